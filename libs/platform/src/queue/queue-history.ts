import type { EntityManager } from 'typeorm';

/** The queue tables that keep their finished rows in a `<table>_history` twin of the same columns. */
export type HistoryTable = 'bus_events' | 'bus_deliveries' | 'notifications';

export type FinalState = 'PROCESSED' | 'FAILED';

/** Each history table's columns in order, read once from the catalog (every database has the migrated schema). */
const historyColumns = new Map<HistoryTable, Promise<readonly string[]>>();

function historyColumnsOf(manager: EntityManager, table: HistoryTable): Promise<readonly string[]> {
  let columns = historyColumns.get(table);
  if (columns === undefined) {
    columns = manager
      .query(`SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [`${table}_history`])
      .then((rows: { attname: string }[]) => rows.map((row) => row.attname));
    historyColumns.set(table, columns);
    columns.catch(() => historyColumns.delete(table));
  }
  return columns;
}

/**
 * The CTEs that move the rows `where` selects from `table` to its history, stamped with the final
 * state (an SQL expression), the owner and the date given as SQL: one statement, no second pass
 * over the history row.
 */
export async function moveToHistoryCtes(
  manager: EntityManager,
  table: HistoryTable,
  where: string,
  stamps: { readonly state: string; readonly owner: string; readonly date: string },
  /** Rows of another CTE joined to the moved ones (`USING`), e.g. the date of each; what of it the stamps read, as `extra` (columns of `moved`). */
  join?: { readonly using: string; readonly extra: string },
): Promise<string> {
  const columns = await historyColumnsOf(manager, table);
  const values = columns.map((column) =>
    column === 'processing_state' ? stamps.state : column === 'processing_owner' ? stamps.owner : column === 'processing_available_date' ? stamps.date : column,
  );
  const returned = join ? `${table}.*, ${join.extra}` : '*';
  return `moved AS (DELETE FROM ${table}${join ? ` USING ${join.using}` : ''} WHERE ${where} RETURNING ${returned}),
          kept AS (INSERT INTO ${table}_history (${columns.join(', ')}) SELECT ${values.join(', ')} FROM moved RETURNING record_id)`;
}

/**
 * Moves a finished row to its history table in the current transaction, stamped with its final
 * state, the node that finished it and when (processing_available_date, as Kill Bill records it).
 */
export async function moveToHistory(
  manager: EntityManager,
  table: HistoryTable,
  recordId: string | number,
  state: FinalState,
  owner: string,
  now: Date,
): Promise<void> {
  const ctes = await moveToHistoryCtes(manager, table, 'record_id = $1', { state: '$2', owner: '$3', date: '$4' });
  await manager.query(`WITH ${ctes} SELECT count(*) FROM kept`, [recordId, state, owner, now]);
}
