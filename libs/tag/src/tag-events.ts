import { defineBusEvent } from '@kb/platform';

export interface TagDefinitionEventPayload {
  readonly objectType: 'TAG_DEFINITION';
  readonly objectId: string;
  readonly tagDefinitionName: string;
  readonly isControlTag: boolean;
}

export interface TagEventPayload {
  readonly objectType: 'TAG';
  readonly objectId: string;
  readonly taggedObjectId: string;
  readonly taggedObjectType: string;
  readonly tagDefinitionId: string;
  readonly tagDefinitionName: string;
  readonly isControlTag: boolean;
}

export const TagDefinitionCreation = defineBusEvent<TagDefinitionEventPayload>('TAG_DEFINITION_CREATION');
export const TagDefinitionDeletion = defineBusEvent<TagDefinitionEventPayload>('TAG_DEFINITION_DELETION');
export const TagCreation = defineBusEvent<TagEventPayload>('TAG_CREATION');
export const TagDeletion = defineBusEvent<TagEventPayload>('TAG_DELETION');
