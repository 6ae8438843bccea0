import type { EntityManager } from 'typeorm';

/** The queue tables that keep their finished rows in a `<table>_history` twin of the same columns. */
export type HistoryTable = 'bus_events' | 'bus_deliveries' | 'notifications';

export type FinalState = 'PROCESSED' | 'FAILED';

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
  await manager.query(
    `WITH moved AS (DELETE FROM ${table} WHERE record_id = $1 RETURNING *)
     INSERT INTO ${table}_history SELECT * FROM moved`,
    [recordId],
  );
  await manager.query(`UPDATE ${table}_history SET processing_state = $2, processing_owner = $3, processing_available_date = $4 WHERE record_id = $1`, [
    recordId,
    state,
    owner,
    now,
  ]);
}
