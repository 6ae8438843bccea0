import { Module } from '@nestjs/common';
import { CustomFieldModule } from '@kb/custom-field';
import { TagModule } from '@kb/tag';
import { AccountMetadataController } from './account-metadata.controller';

@Module({ imports: [TagModule, CustomFieldModule], controllers: [AccountMetadataController] })
export class AccountMetadataResourceModule {}
