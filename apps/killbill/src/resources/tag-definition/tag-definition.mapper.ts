import type { TagDefinitionView } from '@kb/tag';
import type { TagDefinition } from './tag-definition.dto';

export function toTagDefinitionJson(view: TagDefinitionView): TagDefinition {
  return {
    id: view.id,
    isControlTag: view.isControlTag,
    name: view.name,
    description: view.description,
    applicableObjectTypes: [...view.applicableObjectTypes] as TagDefinition['applicableObjectTypes'],
    auditLogs: view.auditLogs,
  };
}
