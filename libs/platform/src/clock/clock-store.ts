import { Injectable, Logger } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { Clock, type ClockOffset } from './clock';

const CHANNEL = 'kb_test_clock';

interface OffsetRow {
  scope: string;
  offset_millis: string;
  version: string;
}

/**
 * The test clock in the database, so that every node sharing it tells the same time: a move is one
 * row upsert plus a NOTIFY; every node LISTENs, reloads the offsets into its Clock and wakes its
 * queue dispatcher. Requests and queue batches also reload before they run (test mode only), so a
 * node never acts on a time older than the one stored when it started the work.
 */
@Injectable()
export class ClockStore {
  private readonly logger = new Logger('Clock');
  private readonly changeListeners = new Set<() => void>();
  private listener?: PoolClient;

  constructor(
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  /** Loads the stored offsets and listens for moves made by any node (nothing outside test mode). */
  async start(): Promise<void> {
    if (!this.clock.movable) return;
    await this.refresh();
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    this.listener = await pool.connect();
    this.listener.on('notification', () => {
      this.refresh()
        .then(() => this.changed())
        .catch((error: unknown) => this.logger.warn(`Reloading the test clock failed: ${String(error)}`));
    });
    await this.listener.query(`LISTEN ${CHANNEL}`);
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (!listener) return;
    try {
      await listener.query(`UNLISTEN ${CHANNEL}`);
    } finally {
      listener.release();
    }
  }

  /** Re-reads every stored offset (cheap: one row per moved scope). */
  async refresh(): Promise<void> {
    if (!this.clock.movable) return;
    const rows: OffsetRow[] = await this.dataSource.query(`SELECT scope, offset_millis, version FROM test_clocks`);
    this.clock.apply(rows.map(toOffset));
  }

  /** Stores `scope`'s offset from real time (0 = back to real time) and tells every node. */
  async setOffset(scope: number, offsetMillis: number): Promise<void> {
    if (!this.clock.movable) throw new Error('The clock can only be moved when the server runs in test mode');
    // One statement: the upsert and the notification commit together.
    const rows: OffsetRow[] = await this.dataSource.query(
      `WITH stored AS (
         INSERT INTO test_clocks (scope, offset_millis, version, updated_date) VALUES ($1, $2, 1, clock_timestamp())
         ON CONFLICT (scope) DO UPDATE SET offset_millis = EXCLUDED.offset_millis, version = test_clocks.version + 1, updated_date = EXCLUDED.updated_date
         RETURNING scope, offset_millis, version)
       SELECT stored.*, pg_notify('${CHANNEL}', stored.scope::text) FROM stored`,
      [scope, Math.round(offsetMillis)],
    );
    this.clock.observe(toOffset(rows[0]));
    this.changed();
  }

  /** Called after any move seen by this node (its own or another's): the dispatcher wakes up. */
  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  /**
   * SQL for "now" on the clock of the tenant in `tenantColumn`, from the node's real time in
   * `realNowParameter`: the stored offset is read in the query itself, so every node judges what is
   * due with the same, current time.
   */
  tenantNowSql(tenantColumn: string, realNowParameter: string): string {
    const realNow = `${realNowParameter}::timestamptz`;
    if (this.clock.mode === 'real') return realNow;
    const scope = this.clock.mode === 'perTenant' ? tenantColumn : '0';
    return `(${realNow} + COALESCE((SELECT c.offset_millis FROM test_clocks c WHERE c.scope = ${scope}), 0) * interval '1 millisecond')`;
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}

function toOffset(row: OffsetRow): ClockOffset {
  return { scope: Number(row.scope), offsetMillis: Number(row.offset_millis), version: Number(row.version) };
}
