import { Module } from '@nestjs/common';
import { TagModule } from '@kb/tag';
import { TagController } from './tag.controller';

@Module({ imports: [TagModule], controllers: [TagController] })
export class TagResourceModule {}
