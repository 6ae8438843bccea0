import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { type AuditedObjectType, InvalidRequestException } from '@kb/platform';

/** Kill Bill's ObjectType values as the API accepts and returns them. */
export const OBJECT_TYPES = [
  'ACCOUNT',
  'ACCOUNT_EMAIL',
  'BLOCKING_STATES',
  'BUNDLE',
  'CUSTOM_FIELD',
  'INVOICE',
  'PAYMENT',
  'TRANSACTION',
  'INVOICE_ITEM',
  'INVOICE_PAYMENT',
  'SUBSCRIPTION',
  'SUBSCRIPTION_EVENT',
  'SERVICE_BROADCAST',
  'PAYMENT_ATTEMPT',
  'PAYMENT_METHOD',
  'TAG',
  'TAG_DEFINITION',
  'TENANT',
  'TENANT_KVS',
] as const satisfies readonly AuditedObjectType[];

export type ObjectType = (typeof OBJECT_TYPES)[number];

export function isObjectType(value: unknown): value is ObjectType {
  return typeof value === 'string' && (OBJECT_TYPES as readonly string[]).includes(value);
}

/** An ObjectType query parameter: absent stays undefined, an unknown name is a 400 (Kill Bill's ObjectType.valueOf). */
@Injectable()
export class ObjectTypePipe implements PipeTransform<string | undefined, ObjectType | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): ObjectType | undefined {
    if (value === undefined || value === '') return undefined;
    if (!isObjectType(value)) throw new InvalidRequestException(`Invalid ${metadata.data ?? 'objectType'}: ${value}`);
    return value;
  }
}
