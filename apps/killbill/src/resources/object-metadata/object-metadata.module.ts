import { Module } from '@nestjs/common';
import { CustomFieldModule } from '@kb/custom-field';
import { TagModule } from '@kb/tag';

/** What a controller built by metadataController() injects; ObjectHistory and ObjectRegistry come from the global platform. */
@Module({ imports: [TagModule, CustomFieldModule], exports: [TagModule, CustomFieldModule] })
export class ObjectMetadataModule {}
