import type { TagView } from '@kb/tag';
import type { Tag } from './tag.dto';

export function toTagJson({ tag, tagDefinitionName, auditLogs }: TagView): Tag {
  return { tagId: tag.id, objectType: tag.objectType, objectId: tag.objectId, tagDefinitionId: tag.tagDefinitionId, tagDefinitionName, auditLogs };
}
