/**
 * PostgreSQL's own floor for the rows a big invoicing run writes: the same writes with no client work
 * at all. In one transaction on one connection (rolled back), statements that generate their rows in
 * SQL write (1) a copy of each of the run's items, with its history row and audit row, and (2) a new
 * charged-through date on each of the account's subscriptions, with its history row and audit row, as
 * Kill Bill's `@Audited` DAOs write them. Whatever the application does beyond this is its own cost.
 */
import { performance } from 'node:perf_hooks';
import type { DataSource, QueryRunner } from 'typeorm';

export interface PostgresFloor {
  readonly itemsMillis: number;
  readonly chargedThroughMillis: number;
  readonly rows: number;
}

async function columnsOf(runner: QueryRunner, table: string): Promise<string[]> {
  const rows: { attname: string }[] = await runner.query(
    `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return rows.map((row) => `"${row.attname}"`);
}

/** The INSERT … SELECT of each written row's history row and audit row, appended to `written` (a CTE of the rows). */
async function historyAndAudit(runner: QueryRunner, table: string, changeType: 'INSERT' | 'UPDATE'): Promise<string> {
  const history = (await columnsOf(runner, `${table}_history`)).filter((column) => !['"record_id"', '"target_record_id"', '"change_type"'].includes(column));
  return `history AS (
            INSERT INTO "${table}_history" (target_record_id, change_type, ${history.join(', ')})
            SELECT record_id, '${changeType}', ${history.join(', ')} FROM written
            RETURNING record_id, account_record_id, tenant_record_id)
          INSERT INTO audit_log (id, target_record_id, table_name, change_type, created_date, created_by, reason_code, comments, user_token, account_record_id, tenant_record_id)
          SELECT gen_random_uuid(), record_id, '${table}', '${changeType}', now(), 'floor', NULL, NULL, gen_random_uuid(), account_record_id, tenant_record_id FROM history`;
}

async function timedStatement(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<number> {
  const start = performance.now();
  await runner.query(sql, parameters);
  return performance.now() - start;
}

/** Measures the floor on the account the run invoiced (`invoiceId`: the run's invoice); leaves nothing written. */
export async function measurePostgresFloor(dataSource: DataSource, accountRecordId: number, invoiceId: string): Promise<PostgresFloor> {
  // The run found each subscription's page with room for the new version (fillfactor): so does the floor.
  await dataSource.query('VACUUM subscriptions');
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const items = (await columnsOf(runner, 'invoice_items')).filter((column) => column !== '"record_id"');
    const copied = items.map((column) => (column === '"id"' ? 'gen_random_uuid()' : column));
    const itemsMillis = await timedStatement(
      runner,
      `WITH written AS (
            INSERT INTO invoice_items (${items.join(', ')})
            SELECT ${copied.join(', ')} FROM invoice_items WHERE invoice_id = $1
            RETURNING *),
          ${await historyAndAudit(runner, 'invoice_items', 'INSERT')}`,
      [invoiceId],
    );
    const chargedThroughMillis = await timedStatement(
      runner,
      `WITH written AS (
            UPDATE subscriptions SET charged_through_date = charged_through_date + interval '1 month', updated_date = now(), updated_by = 'floor'
             WHERE account_record_id = $1
            RETURNING *),
          ${await historyAndAudit(runner, 'subscriptions', 'UPDATE')}`,
      [accountRecordId],
    );
    const [{ rows }]: { rows: string }[] = await runner.query(`SELECT count(*) AS rows FROM audit_log WHERE created_by = 'floor'`);
    await runner.rollbackTransaction();
    return { itemsMillis, chargedThroughMillis, rows: Number(rows) * 3 };
  } finally {
    await runner.release();
  }
}
