/** Kill Bill's ObjectType names as they appear in AuditLog.objectType (and internal ones). */
export type AuditedObjectType =
  | 'ACCOUNT'
  | 'ACCOUNT_EMAIL'
  | 'BLOCKING_STATES'
  | 'BUNDLE'
  | 'CUSTOM_FIELD'
  | 'INVOICE'
  | 'PAYMENT'
  | 'TRANSACTION'
  | 'INVOICE_ITEM'
  | 'INVOICE_PAYMENT'
  | 'INVOICE_PARENT_CHILD'
  | 'INVOICE_TRACKING'
  | 'SUBSCRIPTION'
  | 'SUBSCRIPTION_EVENT'
  | 'SERVICE_BROADCAST'
  | 'PAYMENT_ATTEMPT'
  | 'PAYMENT_METHOD'
  | 'TAG'
  | 'TAG_DEFINITION'
  | 'TENANT'
  | 'TENANT_KVS'
  | 'USER'
  | 'ROLE_DEFINITION'
  | 'USER_ROLE'
  | 'ROLLED_UP_USAGE';

/** Kill Bill's ObjectType values as the API accepts and returns them (the audited types but ours). */
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

export interface AuditedOptions {
  readonly objectType: AuditedObjectType;
  /** Columns left out of the history copy (secrets). They are still kept in the row itself. */
  readonly excludeFromHistory?: readonly string[];
  /** Tenant of the row when it has no `tenantRecordId` (tenants themselves, users). */
  readonly tenantRecordIdOf?: (entity: object) => number;
  /** Account of the row when it has no `accountRecordId`; `'recordId'` (OWN_RECORD_ID) for a row that is its own account. */
  readonly accountRecordIdOf?: ((entity: object) => number | null) | 'recordId';
}

const registry = new Map<Function, AuditedOptions>();

/**
 * Marks an entity as audited: every save/remove through a transaction's manager writes a
 * `<table>_history` row and an `audit_log` row in the same transaction (see HistorySubscriber).
 */
export function Audited(options: AuditedOptions): ClassDecorator {
  return (target) => {
    registry.set(target, options);
  };
}

export function auditedOptionsOf(target: Function): AuditedOptions | undefined {
  return registry.get(target);
}
