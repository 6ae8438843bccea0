import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { KillBillConfig } from '../config/config';
import { runWithContext } from '../context/request-context';
import { Transactions } from '../database/transactions';
import { NODE_NAME } from './node-name';
import type { QueueHandler, QueueMessage, QueueRow, QueueTable } from './queue-rows';
import { Queues } from './queues';

const RETRY_DELAY_MILLIS = 1000;
const QUEUE_USER = 'SYSTEM';

/**
 * Delivers bus events and due notifications. Each row is claimed with FOR UPDATE SKIP LOCKED and
 * handled in the same transaction that moves it to history, so a row is handled once across all
 * nodes and a handler's writes commit together with the row's completion. A failing handler rolls
 * back; the row is retried later and, after the configured number of failures, kept as FAILED in
 * history.
 */
@Injectable()
export class QueueDispatcher implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly queues: Queues,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly config: KillBillConfig,
    @Inject(NODE_NAME) private readonly nodeName: string,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Handles everything currently deliverable; returns how many rows were handled (tests, tools). */
  async drain(): Promise<number> {
    let handled = 0;
    while ((await this.dispatchOne('bus_events')) || (await this.dispatchOne('notifications'))) handled++;
    return handled;
  }

  private async run(): Promise<void> {
    const sleepMillis = this.config.getDurationMillis('org.killbill.notificationq.main.sleep');
    while (this.running) {
      try {
        const handled = await this.drain();
        if (handled === 0) await this.sleep(sleepMillis);
      } catch (error) {
        this.logger.error(`Queue dispatch failed: ${String(error)}`);
        await this.sleep(sleepMillis);
      }
    }
  }

  private sleep(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, millis);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * Claims and handles one deliverable row of `table`; false when there was none. The handler runs
   * in a savepoint of the claiming transaction: on failure its writes are undone while the row stays
   * locked, so no node can pick it up again before its failure is recorded.
   */
  async dispatchOne(table: QueueTable): Promise<boolean> {
    return this.transactions.run(async (manager) => {
      const now = this.clock.now();
      const due = table === 'notifications' ? 'AND effective_date <= $1' : '';
      const rows: QueueRow[] = await manager.query(
        `SELECT * FROM ${table}
          WHERE processing_state = 'AVAILABLE' ${due} AND (processing_available_date IS NULL OR processing_available_date <= $1)
          ORDER BY ${table === 'notifications' ? 'effective_date, ' : ''}record_id
          LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      const row = rows[0];
      if (!row) return false;
      await manager.query('SAVEPOINT queue_handler');
      try {
        await this.handle(table, row, manager);
        await manager.query('RELEASE SAVEPOINT queue_handler');
        await this.moveToHistory(table, row, 'PROCESSED');
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT queue_handler');
        await this.recordFailure(table, row, error);
      }
      return true;
    });
  }

  private async handle(table: QueueTable, row: QueueRow, manager: EntityManager): Promise<void> {
    const message: QueueMessage = {
      recordId: Number(row.record_id),
      type: row.class_name,
      payload: JSON.parse(row.event_json) as unknown,
      accountRecordId: row.search_key1 === null ? null : Number(row.search_key1),
      tenantRecordId: Number(row.search_key2),
      userToken: row.user_token,
      effectiveDate: row.effective_date ?? row.created_date,
    };
    const handlers: readonly QueueHandler[] =
      table === 'bus_events'
        ? this.queues.busHandlersFor(row.class_name)
        : [this.queues.notificationHandlerFor(row.class_name)].filter((h): h is QueueHandler => !!h);
    if (table === 'notifications' && handlers.length === 0) throw new Error(`No handler for notification queue ${row.class_name}`);
    const context = {
      requestId: randomUUID(),
      userToken: row.user_token ?? randomUUID(),
      tenant: { recordId: message.tenantRecordId },
      createdBy: QUEUE_USER,
    };
    // The handler joins the claiming transaction: its writes commit with the row's completion.
    await runWithContext({ ...context, manager }, async () => {
      for (const handler of handlers) await handler(message);
    });
  }

  private async moveToHistory(table: QueueTable, row: QueueRow, state: 'PROCESSED' | 'FAILED'): Promise<void> {
    const manager = this.transactions.manager();
    await manager.query(
      `WITH moved AS (DELETE FROM ${table} WHERE record_id = $1 RETURNING *)
       INSERT INTO ${table}_history SELECT * FROM moved`,
      [row.record_id],
    );
    await manager.query(`UPDATE ${table}_history SET processing_state = $2, processing_owner = $3, processing_available_date = $4 WHERE record_id = $1`, [
      row.record_id,
      state,
      this.nodeName,
      this.clock.now(),
    ]);
  }

  private async recordFailure(table: QueueTable, row: QueueRow, error: unknown): Promise<void> {
    const maxFailures = this.config.getInteger(
      table === 'bus_events' ? 'org.killbill.persistent.bus.main.max.failure.retry' : 'org.killbill.notificationq.main.max.failure.retry',
    );
    const errorCount = row.error_count + 1;
    this.logger.warn(
      `${table} ${row.record_id} (${row.class_name}) failed (${errorCount}/${maxFailures}): ${error instanceof Error ? error.message : String(error)}`,
    );
    await this.transactions
      .manager()
      .query(`UPDATE ${table} SET error_count = $2, processing_available_date = $3 WHERE record_id = $1`, [
        row.record_id,
        errorCount,
        new Date(this.clock.now().getTime() + RETRY_DELAY_MILLIS * errorCount),
      ]);
    if (errorCount >= maxFailures) await this.moveToHistory(table, row, 'FAILED');
  }
}
