import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { AuditedOptions } from './audited';

/** Who wrote a row when the request or job names no one (calls Kill Bill does not audit by user). */
export const SYSTEM_USER = 'SYSTEM';

/** `accountRecordIdOf` of a row that is its own account (accounts): its record id, known once inserted. */
export const OWN_RECORD_ID = 'recordId';

/** The columns of an `audit_log` row, in the order the history writers give them. */
export const AUDIT_COLUMNS =
  'id, target_record_id, table_name, change_type, created_date, created_by, reason_code, comments, user_token, account_record_id, tenant_record_id';

export function historyTableOf(tableName: string): string {
  return `${tableName}_history`;
}

/** The columns a `<table>_history` row copies from its row (all but the record id and the secrets left out). */
export function historyColumnsOf(metadata: EntityMetadata, options: AuditedOptions): string[] {
  const excluded = new Set(['record_id', ...(options.excludeFromHistory ?? [])]);
  return metadata.columns.map((column) => column.databaseName).filter((name) => !excluded.has(name));
}
