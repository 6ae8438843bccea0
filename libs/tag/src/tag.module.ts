import { Module } from '@nestjs/common';
import { TagDefinitionService } from './tag-definition.service';
import { TagService } from './tag.service';

@Module({
  providers: [TagDefinitionService, TagService],
  exports: [TagDefinitionService, TagService],
})
export class TagModule {}
