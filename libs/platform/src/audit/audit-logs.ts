import { Injectable } from '@nestjs/common';
import type { AuditedObjectType } from './audited';
import { AuditLevel } from './audit-level';
import type { AuditLog } from './audit-log.dto';
import { historyTableOf } from './history.subscriber';
import { Transactions } from '../database/transactions';

export interface AuditTarget {
  readonly tableName: string;
  readonly objectType: AuditedObjectType;
  readonly tenantRecordId: number;
}

interface AuditRow {
  object_record_id: string;
  change_type: string;
  created_date: Date;
  created_by: string;
  reason_code: string | null;
  comments: string | null;
  user_token: string | null;
  history: Record<string, unknown>;
}

/** Columns of a history row that describe the history itself, not the entity. */
const HISTORY_BOOKKEEPING = new Set(['record_id', 'target_record_id', 'change_type']);

/** Reads audit logs (with or without the history snapshots) for many rows in one query. */
@Injectable()
export class AuditLogs {
  constructor(private readonly transactions: Transactions) {}

  /** Audit logs per record id, at the requested level; NONE costs no query. */
  async forRecords(target: AuditTarget, recordIds: readonly number[], level: AuditLevel, withHistory = false): Promise<Map<number, AuditLog[]>> {
    const result = new Map<number, AuditLog[]>(recordIds.map((id) => [id, []]));
    if (level === AuditLevel.NONE || recordIds.length === 0) return result;
    const rows: AuditRow[] = await this.transactions.manager().query(
      `SELECT h.target_record_id AS object_record_id, a.change_type, a.created_date, a.created_by, a.reason_code, a.comments, a.user_token,
              to_jsonb(h) AS history
         FROM audit_log a
         JOIN "${historyTableOf(target.tableName)}" h ON h.record_id = a.target_record_id
        WHERE a.table_name = $1 AND a.tenant_record_id = $2 AND h.target_record_id = ANY($3::bigint[])
          AND ($4::boolean OR a.change_type = 'INSERT')
        ORDER BY a.record_id`,
      [target.tableName, target.tenantRecordId, recordIds, level === AuditLevel.FULL],
    );
    for (const row of rows) {
      const history = row.history;
      result.get(Number(row.object_record_id))?.push({
        changeType: row.change_type,
        changeDate: row.created_date.toISOString(),
        objectType: target.objectType,
        objectId: String(history.id ?? ''),
        changedBy: row.created_by,
        reasonCode: row.reason_code,
        comments: row.comments,
        userToken: row.user_token,
        history: withHistory ? historySnapshot(history) : null,
      });
    }
    return result;
  }

  async forRecord(target: AuditTarget, recordId: number, level: AuditLevel, withHistory = false): Promise<AuditLog[]> {
    return (await this.forRecords(target, [recordId], level, withHistory)).get(recordId) ?? [];
  }
}

/** The entity as it was after the change, with Kill Bill's camelCase field names. */
function historySnapshot(row: Record<string, unknown>): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (HISTORY_BOOKKEEPING.has(column)) continue;
    snapshot[column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  snapshot.recordId = row.target_record_id;
  return snapshot;
}
