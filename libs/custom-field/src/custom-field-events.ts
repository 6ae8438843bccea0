import { defineBusEvent } from '@kb/platform';

export interface CustomFieldEventPayload {
  readonly objectType: 'CUSTOM_FIELD';
  readonly objectId: string;
  readonly customFieldObjectId: string;
  readonly customFieldObjectType: string;
}

export const CustomFieldCreation = defineBusEvent<CustomFieldEventPayload>('CUSTOM_FIELD_CREATION');
export const CustomFieldDeletion = defineBusEvent<CustomFieldEventPayload>('CUSTOM_FIELD_DELETION');
