import { Module } from '@nestjs/common';
import { CustomFieldModule } from '@kb/custom-field';
import { CustomFieldController } from './custom-field.controller';

@Module({ imports: [CustomFieldModule], controllers: [CustomFieldController] })
export class CustomFieldResourceModule {}
