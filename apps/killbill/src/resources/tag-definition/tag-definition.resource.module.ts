import { Module } from '@nestjs/common';
import { TagModule } from '@kb/tag';
import { TagDefinitionController } from './tag-definition.controller';

@Module({ imports: [TagModule], controllers: [TagDefinitionController] })
export class TagDefinitionResourceModule {}
