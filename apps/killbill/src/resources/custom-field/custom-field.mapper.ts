import type { CustomFieldChange, CustomFieldView, NewCustomField } from '@kb/custom-field';
import type { CustomField } from './custom-field.dto';

export function toCustomFieldJson({ field, auditLogs }: CustomFieldView): CustomField {
  return { customFieldId: field.id, objectId: field.objectId, objectType: field.objectType, name: field.fieldName, value: field.fieldValue, auditLogs };
}

/** Request items as the service reads them; non-string values are left for its checks to refuse. */
export function toNewCustomFields(body: readonly Record<string, unknown>[]): NewCustomField[] {
  return body.map((item) => ({ name: text(item.name), value: text(item.value) }));
}

export function toCustomFieldChanges(body: readonly Record<string, unknown>[]): CustomFieldChange[] {
  return body.map((item) => ({ customFieldId: text(item.customFieldId), value: text(item.value), name: text(item.name) }));
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
