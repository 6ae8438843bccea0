import { NotFoundException } from '@nestjs/common';
import { type AuditedObjectType, currentTenant, KillBillException, type ObjectRef, type ObjectRegistry } from '@kb/platform';

/**
 * The object a custom field is put on, looked up in the current tenant through the ObjectRegistry. A
 * missing account is ACCOUNT_DOES_NOT_EXIST_FOR_ID; any other missing object is Kill Bill's ObjectDoesNotExist (404).
 */
export async function requireObject(registry: ObjectRegistry, objectType: AuditedObjectType, objectId: string): Promise<ObjectRef> {
  const found = await registry.resolve(objectType, objectId, currentTenant().recordId);
  if (found) return found;
  if (objectType === 'ACCOUNT') throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [objectId]);
  throw new NotFoundException(`Object id=${objectId} type=${objectType} doesn't exist!`);
}
