import { Module } from '@nestjs/common';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountMetadataController } from './account-metadata.controller';

@Module({ imports: [ObjectMetadataModule], controllers: [AccountMetadataController] })
export class AccountMetadataResourceModule {}
