import { randomUUID } from 'node:crypto';
import type { EntityManager, EntityMetadata, EntitySubscriberInterface, InsertEvent, RemoveEvent, UpdateEvent } from 'typeorm';
import type { Clock } from '../clock/clock';
import { requireContext } from '../context/request-context';
import { type AuditedOptions, auditedOptionsOf } from './audited';
import { insertLikeSave } from './audited-insert';
import { AUDIT_COLUMNS, historyColumnsOf, historyTableOf, OWN_RECORD_ID, SYSTEM_USER } from './history-columns';

type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE';
type Row = Record<string, unknown>;

/**
 * Stamps created/updated columns on every entity, and for entities marked @Audited writes the
 * `<table>_history` copy and the `audit_log` row through the same manager, hence in the same
 * transaction as the change itself.
 */
export class HistorySubscriber implements EntitySubscriberInterface {
  constructor(private readonly clock: Clock) {}

  /**
   * A new row written as `save()` writes it, stamps, history and audit included, in one statement;
   * undefined when the entity needs TypeORM's persistence (then call `save()`).
   */
  insert<T extends object>(manager: EntityManager, metadata: EntityMetadata, entity: T): Promise<T> | undefined {
    return insertLikeSave(manager, metadata, entity, this.clock);
  }

  /** The history subscriber of a data source when it is its only one (the fast insert path knows no other). */
  static soleOf(subscribers: readonly EntitySubscriberInterface[]): HistorySubscriber | undefined {
    return subscribers.length === 1 && subscribers[0] instanceof HistorySubscriber ? subscribers[0] : undefined;
  }

  beforeInsert(event: InsertEvent<Row>): void {
    const entity = event.entity as Row;
    const now = this.clock.now();
    const who = requireContext(`Write to ${event.metadata.tableName}`).createdBy ?? SYSTEM_USER;
    if (has(event.metadata, 'createdDate') && entity.createdDate == null) entity.createdDate = now;
    if (has(event.metadata, 'createdBy') && entity.createdBy == null) entity.createdBy = who;
    if (has(event.metadata, 'updatedDate') && entity.updatedDate == null) entity.updatedDate = now;
    if (has(event.metadata, 'updatedBy') && entity.updatedBy == null) entity.updatedBy = who;
  }

  beforeUpdate(event: UpdateEvent<Row>): void {
    const entity = event.entity as Row | undefined;
    if (!entity) return;
    if (has(event.metadata, 'updatedDate')) entity.updatedDate = this.clock.now();
    if (has(event.metadata, 'updatedBy')) entity.updatedBy = requireContext(`Write to ${event.metadata.tableName}`).createdBy ?? SYSTEM_USER;
  }

  async afterInsert(event: InsertEvent<Row>): Promise<void> {
    await this.record(event.manager, event.metadata, event.entity as Row, 'INSERT');
  }

  async afterUpdate(event: UpdateEvent<Row>): Promise<void> {
    // Kill Bill deletes most rows softly (is_active = false) and audits that as a DELETE.
    const deactivated = event.databaseEntity?.isActive === true && (event.entity as Row | undefined)?.isActive === false;
    await this.record(event.manager, event.metadata, event.entity as Row | undefined, deactivated ? 'DELETE' : 'UPDATE');
  }

  async beforeRemove(event: RemoveEvent<Row>): Promise<void> {
    await this.record(event.manager, event.metadata, (event.entity ?? event.databaseEntity) as Row | undefined, 'DELETE');
  }

  private async record(manager: EntityManager, metadata: EntityMetadata, entity: Row | undefined, changeType: ChangeType): Promise<void> {
    const options = auditedOptionsOf(metadata.target as Function);
    if (!options) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`${metadata.tableName} is audited: write it inside Transactions.run()`);
    }
    const recordId = entity?.recordId;
    if (recordId == null) {
      throw new Error(`${metadata.tableName} is audited: write it with save()/remove() on a loaded entity, not update()/delete()`);
    }
    const context = requireContext(`Write to ${metadata.tableName}`);
    const tenantRecordId = options.tenantRecordIdOf?.(entity as object) ?? (entity?.tenantRecordId as number | undefined) ?? context.tenant?.recordId;
    if (tenantRecordId == null) throw new Error(`${metadata.tableName} is audited: its row names no tenant and neither does the context`);
    const accountRecordId =
      options.accountRecordIdOf === OWN_RECORD_ID
        ? Number(recordId)
        : (options.accountRecordIdOf?.(entity as object) ?? (entity?.accountRecordId as number | null | undefined) ?? null);
    // One round trip for both rows: the audit row points at the history row the same statement writes.
    const rows: unknown[] = await manager.query(historyAndAuditSql(metadata, options), [
      changeType,
      Number(recordId),
      randomUUID(),
      metadata.tableName,
      this.clock.now(),
      context.createdBy ?? SYSTEM_USER,
      context.reasonCode ?? null,
      context.comments ?? null,
      context.userToken,
      accountRecordId,
      tenantRecordId,
    ]);
    if (rows.length !== 1) throw new Error(`No ${metadata.tableName} row ${String(recordId)} to copy into its history`);
  }
}

const historyAndAuditStatements = new WeakMap<EntityMetadata, string>();

/** The copy of the row into `<table>_history` and its `audit_log` row, as one statement (built once per entity). */
function historyAndAuditSql(metadata: EntityMetadata, options: AuditedOptions): string {
  let sql = historyAndAuditStatements.get(metadata);
  if (sql === undefined) {
    const list = historyColumnsOf(metadata, options)
      .map((name) => `"${name}"`)
      .join(', ');
    sql = `WITH history AS (
             INSERT INTO "${historyTableOf(metadata.tableName)}" (target_record_id, change_type, ${list})
             SELECT record_id, $1, ${list} FROM "${metadata.tableName}" WHERE record_id = $2 RETURNING record_id)
           INSERT INTO audit_log (${AUDIT_COLUMNS})
           SELECT $3, history.record_id, $4, $1, $5, $6, $7, $8, $9, $10, $11 FROM history
           RETURNING target_record_id`;
    historyAndAuditStatements.set(metadata, sql);
  }
  return sql;
}

export { historyTableOf };

function has(metadata: EntityMetadata, propertyName: string): boolean {
  return metadata.columns.some((column) => column.propertyName === propertyName);
}
