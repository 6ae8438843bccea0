import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type AuditedObjectType, auditedOptionsOf, type AuditLog, AuditLevel, AuditLogs, currentTenant, Transactions } from '@kb/platform';
import { AccountService } from './account.service';

interface AccountAuditRow {
  table_name: string;
  target_record_id: string;
  change_type: string;
  created_date: Date;
  created_by: string;
  reason_code: string | null;
  comments: string | null;
  user_token: string | null;
}

/** The audit trail of an account: every audited row it owns, and the history of single rows. */
@Injectable()
export class AccountAuditService {
  private objectTypes?: Map<string, AuditedObjectType>;

  constructor(
    private readonly transactions: Transactions,
    private readonly dataSource: DataSource,
    private readonly auditLogs: AuditLogs,
    private readonly accounts: AccountService,
  ) {}

  /**
   * GET /accounts/{id}/auditLogs: Kill Bill's AccountAuditLogs, i.e. the changes of every audited
   * object of the account (the account, its emails, blocking states, and whatever later modules
   * write with the account's record id), oldest first. Two queries per table touched, none per row.
   */
  async allForAccount(accountId: string): Promise<AuditLog[]> {
    const manager = this.transactions.manager();
    const account = await this.accounts.requireById(manager, accountId);
    const rows: AccountAuditRow[] = await manager.query(
      `SELECT table_name, target_record_id, change_type, created_date, created_by, reason_code, comments, user_token
         FROM audit_log WHERE account_record_id = $1 AND tenant_record_id = $2 ORDER BY record_id`,
      [account.recordId, account.tenantRecordId],
    );
    const objectIds = new Map<string, Map<number, string>>();
    const objectTypes = this.objectTypesByTable();
    for (const table of new Set(rows.map((row) => row.table_name))) {
      if (!objectTypes.has(table)) continue; // only tables known to this server's entities are read
      const historyIds = rows.filter((row) => row.table_name === table).map((row) => Number(row.target_record_id));
      const history: { record_id: string; id: string }[] = await manager.query(
        `SELECT record_id, id FROM "${table}_history" WHERE record_id = ANY($1::bigint[])`,
        [historyIds],
      );
      objectIds.set(table, new Map(history.map((row) => [Number(row.record_id), row.id])));
    }
    return rows
      .filter((row) => objectTypes.has(row.table_name))
      .map((row) => ({
        changeType: row.change_type,
        changeDate: row.created_date.toISOString(),
        objectType: objectTypes.get(row.table_name) as string,
        objectId: objectIds.get(row.table_name)?.get(Number(row.target_record_id)) ?? '',
        changedBy: row.created_by,
        reasonCode: row.reason_code,
        comments: row.comments,
        userToken: row.user_token,
        history: null,
      }));
  }

  /** GET /accounts/{id}/emails/{emailId}/auditLogsWithHistory; a removed email keeps its history. */
  async emailWithHistory(accountId: string, emailId: string): Promise<AuditLog[]> {
    const tenantRecordId = currentTenant().recordId;
    const manager = this.transactions.manager();
    await this.accounts.requireById(manager, accountId);
    const [row]: { target_record_id: string }[] = await manager.query(
      `SELECT target_record_id FROM account_emails_history WHERE id = $1 AND account_id = $2 AND tenant_record_id = $3 LIMIT 1`,
      [emailId, accountId, tenantRecordId],
    );
    if (!row) return [];
    return this.auditLogs.forRecord(
      { tableName: 'account_emails', objectType: 'ACCOUNT_EMAIL', tenantRecordId },
      Number(row.target_record_id),
      AuditLevel.FULL,
      true,
    );
  }

  private objectTypesByTable(): Map<string, AuditedObjectType> {
    if (!this.objectTypes) {
      this.objectTypes = new Map();
      for (const metadata of this.dataSource.entityMetadatas) {
        const options = auditedOptionsOf(metadata.target as Function);
        if (options) this.objectTypes.set(metadata.tableName, options.objectType);
      }
    }
    return this.objectTypes;
  }
}
