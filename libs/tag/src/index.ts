import { TagDefinitionRow } from './tag-definition.entity';
import { TagRow } from './tag.entity';
import { Tags1700000000400 } from './migrations/1700000000400-tags';
import { TagDefinitionUniqueName1700000000501 } from './migrations/1700000000501-tag-definition-unique-name';
import { TagUniqueActive1700000000520 } from './migrations/1700000000520-tag-unique-active';

export * from './object-types';
export * from './control-tags';
export * from './tag-events';
export * from './tag-definition.entity';
export * from './tag.entity';
export * from './tag-definition.service';
export * from './tag.service';
export * from './tag.module';

export const TAG_ENTITIES = [TagDefinitionRow, TagRow];
export const TAG_MIGRATIONS = [Tags1700000000400, TagDefinitionUniqueName1700000000501, TagUniqueActive1700000000520];
