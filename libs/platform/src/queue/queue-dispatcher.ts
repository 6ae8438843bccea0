import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { ClockStore } from '../clock/clock-store';
import { KillBillConfig } from '../config/config';
import { currentContext, type RequestContext, runWithContext } from '../context/request-context';
import { sendBeforeNextStatement } from '../database/data-source';
import { Transactions } from '../database/transactions';
import { NODE_NAME } from './node-name';
import { moveToHistory, moveToHistoryCtes } from './queue-history';
import type { CompletionWork, QueueHandler, QueueMessage, QueueRow } from './queue-rows';
import { Queues } from './queues';

const QUEUE_USER = 'SYSTEM';

type Kind = 'bus' | 'notification';

/** Kill Bill's per-queue settings, read once. */
interface DispatchSettings {
  readonly claimed: number;
  readonly maxFailures: number;
  /** Delay before the n-th retry (the last one repeats). */
  readonly retrySchedule: readonly number[];
}

/**
 * Delivers bus events (one `bus_deliveries` row per subscriber) and due notifications. A node claims
 * only rows it has a handler for, up to `*.claimed` at a time with FOR UPDATE SKIP LOCKED, and handles
 * each in its own savepoint of the claiming transaction: a handler's writes commit together with its
 * row's completion, a failure undoes only that handler's writes, and the row stays locked until its
 * failure is recorded. A failed row is retried after the configured delay and, after
 * `*.max.failure.retry` failures, kept as FAILED in history.
 *
 * Queues handled outside a transaction (`@OnNotificationOutsideTransaction`) run in a loop of their
 * own, so that a slow receiver holds back neither billing nor a database connection: a short
 * transaction claims due rows as IN_PROCESSING (leased until `reapThreshold`, after which any node
 * may claim them again), the handlers run with no transaction open, and a short transaction per row
 * runs the work the handler returned and moves the row to history.
 */
@Injectable()
export class QueueDispatcher implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');
  private readonly settings: Record<Kind, DispatchSettings>;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly queues: Queues,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly clockStore: ClockStore,
    private readonly config: KillBillConfig,
    @Inject(NODE_NAME) private readonly nodeName: string,
  ) {
    this.settings = { bus: this.read('org.killbill.persistent.bus.main'), notification: this.read('org.killbill.notificationq.main') };
    // A moved test clock (on any node) may make notifications due: look at once.
    clockStore.onChange(() => this.wakeAll());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queues.registerSubscribers();
    this.start();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.run(() => this.dispatchInTransaction()), this.run(() => this.dispatchDetachedNotifications())];
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeAll();
    await Promise.all(this.loops);
  }

  /** Handles everything currently deliverable; returns how many rows were handled (tests, tools). */
  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = (await this.dispatchInTransaction()) + (await this.dispatchDetachedNotifications());
      if (batch === 0) return handled;
      handled += batch;
    }
  }

  private read(prefix: string): DispatchSettings {
    const retrySchedule = this.config.getDurationListMillis(`${prefix}.retry.schedule`);
    return {
      claimed: Math.max(1, this.config.getInteger(`${prefix}.claimed`)),
      maxFailures: this.config.getInteger(`${prefix}.max.failure.retry`),
      retrySchedule: retrySchedule.length > 0 ? retrySchedule : [0],
    };
  }

  private async dispatchInTransaction(): Promise<number> {
    return (await this.dispatchBus()) + (await this.dispatchNotifications());
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  /** Dispatches until stopped: again at once while there is work, else after the configured sleep. */
  private async run(dispatch: () => Promise<number>): Promise<void> {
    const sleepMillis = Math.min(
      this.config.getDurationMillis('org.killbill.notificationq.main.sleep'),
      this.config.getDurationMillis('org.killbill.persistent.bus.main.sleep'),
    );
    while (this.running) {
      try {
        const handled = await dispatch();
        if (handled === 0) await this.sleep(sleepMillis);
      } catch (error) {
        this.logger.error(`Queue dispatch failed: ${String(error)}`);
        await this.sleep(sleepMillis);
      }
    }
  }

  private sleep(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, millis);
      this.wakers.add(wake);
    });
  }

  /** Claims and handles a batch of this node's due notifications; returns the batch size. */
  async dispatchNotifications(): Promise<number> {
    const queueNames = this.queues.handledQueueNames();
    if (queueNames.length === 0) return 0;
    // Due on the clock of the row's own tenant (test clocks are read in the query itself).
    const now = this.clockStore.tenantNowSql('n.search_key2', '$1');
    const due = `processing_state = 'AVAILABLE' AND queue_name = ANY($2) AND effective_date <= ${now}
            AND (processing_available_date IS NULL OR processing_available_date <= ${now})`;
    // A look first, on its own: most polls find nothing, and then cost one round trip rather than three.
    const found: unknown[] = await this.transactions
      .manager()
      .query(`SELECT 1 FROM notifications n WHERE ${due} LIMIT 1`, [this.clock.realNow(), queueNames]);
    if (found.length === 0) return 0;
    return this.transactions.run(async (manager) => {
      const rows: QueueRow[] = await manager.query(
        `SELECT * FROM notifications n
          WHERE ${due}
          ORDER BY effective_date, record_id
          LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [this.clock.realNow(), queueNames, this.settings.notification.claimed],
      );
      if (rows.length > 0) await this.clockStore.refresh();
      for (const row of rows) {
        const handler = this.queues.notificationHandlerFor(row.queue_name ?? '');
        if (!handler) continue; // claimed by name: cannot happen
        const error = await this.handleInSavepoint(manager, row, handler, Number(row.record_id));
        if (error === undefined) await moveToHistory(manager, 'notifications', row.record_id, 'PROCESSED', this.nodeName, this.rowNow(row));
        else await this.recordFailure(manager, 'notification', row, error);
      }
      return rows.length;
    });
  }

  /** Claims and handles a batch of deliveries to this node's bus subscribers; returns the batch size. */
  async dispatchBus(): Promise<number> {
    const subscribers = this.queues.subscriberNames();
    if (subscribers.length === 0) return 0;
    return this.transactions.run(async (manager) => {
      const now = this.clockStore.tenantNowSql('d.search_key2', '$1');
      // In event order, so that completing events takes their row locks in one order on every node.
      const rows: QueueRow[] = await manager.query(
        // The claim first, then its few events: joined before the LIMIT, a backlog is read whole.
        `SELECT d.*, e.event_json, e.user_token
           FROM (SELECT * FROM bus_deliveries d
                  WHERE d.processing_state = 'AVAILABLE' AND d.subscriber = ANY($2)
                    AND (d.processing_available_date IS NULL OR d.processing_available_date <= ${now})
                  ORDER BY d.bus_event_record_id, d.record_id
                  LIMIT $3 FOR UPDATE SKIP LOCKED) d
           JOIN bus_events e ON e.record_id = d.bus_event_record_id
          ORDER BY d.bus_event_record_id, d.record_id`,
        [this.clock.realNow(), subscribers, this.settings.bus.claimed],
      );
      if (rows.length > 0) await this.clockStore.refresh();
      const delivered: QueueRow[] = [];
      const givenUp: QueueRow[] = [];
      for (const row of rows) {
        const subscriber = this.queues.subscriber(row.subscriber ?? '');
        if (!subscriber) continue; // claimed by name: cannot happen
        const error = await this.handleInSavepoint(manager, row, subscriber.handler, Number(row.bus_event_record_id));
        if (error === undefined) delivered.push(row);
        else if (await this.recordFailure(manager, 'bus', row, error)) givenUp.push(row);
      }
      await this.completeDeliveries(manager, delivered, givenUp);
      return rows.length;
    });
  }

  /**
   * Claims this node's due rows of queues handled outside a transaction (and rows whose lease ran
   * out: their node died), runs their handlers concurrently with no transaction open, and completes
   * each in a short transaction of its own; returns the batch size.
   */
  async dispatchDetachedNotifications(): Promise<number> {
    const queueNames = this.queues.detachedQueueNames();
    if (queueNames.length === 0) return 0;
    const realNow = this.clock.realNow();
    const leaseEnd = new Date(realNow.getTime() + this.config.getDurationMillis('org.killbill.notificationq.main.reapThreshold'));
    // One statement: PostgreSQL claims the rows atomically without a BEGIN and COMMIT around it.
    const claimed = await this.transactions.runStatement(async (manager) => {
      const now = this.clockStore.tenantNowSql('n.search_key2', '$1');
      const rows: QueueRow[] = await manager.query(
        // A SELECT around the UPDATE, so that the driver returns the claimed rows themselves.
        `WITH claimed AS (
           UPDATE notifications SET processing_state = 'IN_PROCESSING', processing_owner = $4, processing_available_date = $5
            WHERE record_id IN (
              SELECT record_id FROM notifications n
               WHERE queue_name = ANY($2)
                 AND ((processing_state = 'AVAILABLE' AND effective_date <= ${now}
                       AND (processing_available_date IS NULL OR processing_available_date <= ${now}))
                   OR (processing_state = 'IN_PROCESSING' AND processing_available_date <= $1))
               ORDER BY effective_date, record_id
               LIMIT $3 FOR UPDATE SKIP LOCKED)
            RETURNING *)
         SELECT * FROM claimed ORDER BY effective_date, record_id`,
        [realNow, queueNames, this.settings.notification.claimed, this.nodeName, leaseEnd],
      );
      return rows;
    });
    if (claimed.length === 0) return 0;
    await this.clockStore.refresh();
    await Promise.all(claimed.map((row) => this.handleDetached(row)));
    return claimed.length;
  }

  private async handleDetached(row: QueueRow): Promise<void> {
    const handler = this.queues.detachedHandlerFor(row.queue_name ?? '');
    if (!handler) return; // claimed by name: cannot happen
    const message = this.messageOf(row, Number(row.record_id));
    const context = this.jobContext(row, message);
    let completion: CompletionWork | undefined;
    let error: unknown;
    try {
      completion = await runWithContext(context, () => handler(message));
    } catch (failure) {
      error = failure ?? new Error('handler failed');
    }
    const complete = (work: CompletionWork | undefined, failure: unknown) =>
      runWithContext(context, () =>
        this.transactions.run(async (manager) => {
          // Still ours: a row whose lease ran out may have been claimed (and completed) by another node.
          const owned: unknown[] = await manager.query(
            `SELECT 1 FROM notifications WHERE record_id = $1 AND processing_state = 'IN_PROCESSING' AND processing_owner = $2 FOR UPDATE`,
            [row.record_id, this.nodeName],
          );
          if (owned.length === 0) return;
          if (failure === undefined) {
            await work?.();
            await moveToHistory(manager, 'notifications', row.record_id, 'PROCESSED', this.nodeName, this.rowNow(row));
          } else {
            await manager.query(`UPDATE notifications SET processing_state = 'AVAILABLE' WHERE record_id = $1`, [row.record_id]);
            await this.recordFailure(manager, 'notification', row, failure);
          }
        }),
      );
    try {
      await complete(completion, error);
    } catch (failure) {
      // The completion work failed (its writes undone): count it as the handler's failure.
      await complete(undefined, failure ?? new Error('completion failed'));
    }
  }

  private messageOf(row: QueueRow, recordId: number): QueueMessage {
    return {
      recordId,
      type: row.class_name,
      payload: JSON.parse(row.event_json) as unknown,
      accountRecordId: row.search_key1 === null ? null : Number(row.search_key1),
      tenantRecordId: Number(row.search_key2),
      userToken: row.user_token,
      effectiveDate: row.effective_date ?? row.created_date,
    };
  }

  private jobContext(row: QueueRow, message: QueueMessage, manager?: EntityManager): RequestContext {
    return {
      requestId: randomUUID(),
      userToken: row.user_token ?? randomUUID(),
      tenant: { recordId: message.tenantRecordId },
      createdBy: QUEUE_USER,
      manager,
      // a handler inside the claiming transaction: its after-transaction work waits for that one's end
      afterTransaction: manager ? currentContext().afterTransaction : undefined,
    };
  }

  /**
   * Runs the handler in a savepoint; returns its error (its writes undone), or undefined. The
   * savepoint is sent just before the handler's first statement: a handler that finds nothing to do
   * (a tenant without push callbacks) costs no round trip. A savepoint that served is not released:
   * the next one of the same name hides it (a rollback goes to the latest) and the commit ends them all.
   */
  private async handleInSavepoint(manager: EntityManager, row: QueueRow, handler: QueueHandler, recordId: number): Promise<unknown> {
    const message = this.messageOf(row, recordId);
    const context = this.jobContext(row, message, manager);
    const savepoint = sendBeforeNextStatement(manager, 'SAVEPOINT queue_handler');
    try {
      await runWithContext(context, () => handler(message));
      return undefined;
    } catch (error) {
      // Refused, the transaction is broken: rolling back to an earlier handler's savepoint would undo that one's writes.
      if (savepoint.state === 'failed' || savepoint.state === 'sending') throw error;
      if (savepoint.state === 'sent') await manager.query('ROLLBACK TO SAVEPOINT queue_handler');
      return error ?? new Error('handler failed');
    } finally {
      savepoint.cancel();
    }
  }

  /** Counts a failure and schedules the retry; true when the row is now kept as FAILED. */
  private async recordFailure(manager: EntityManager, kind: Kind, row: QueueRow, error: unknown): Promise<boolean> {
    const { maxFailures, retrySchedule } = this.settings[kind];
    const table = kind === 'bus' ? 'bus_deliveries' : 'notifications';
    const errorCount = row.error_count + 1;
    const what = kind === 'bus' ? `${row.class_name} to ${row.subscriber}` : row.class_name;
    this.logger.warn(`${table} ${row.record_id} (${what}) failed (${errorCount}/${maxFailures}): ${error instanceof Error ? error.message : String(error)}`);
    const now = this.rowNow(row);
    const delay = retrySchedule[Math.min(errorCount, retrySchedule.length) - 1];
    await manager.query(`UPDATE ${table} SET error_count = $2, processing_available_date = $3 WHERE record_id = $1`, [
      row.record_id,
      errorCount,
      new Date(now.getTime() + delay),
    ]);
    if (errorCount < maxFailures) return false;
    await moveToHistory(manager, table, row.record_id, 'FAILED', this.nodeName, now);
    return true;
  }

  /**
   * The batch's handled deliveries move to history and the events left without deliveries too, in
   * two statements whatever the batch size. The first moves the deliveries and takes the events' row
   * locks (in event order, as every node takes them): those locks order nodes finishing the last two
   * deliveries of an event at once, and the second statement (a new snapshot, taken after the
   * locks) sees the other node's delivery gone. `givenUp` deliveries are already in history (FAILED).
   */
  private async completeDeliveries(manager: EntityManager, delivered: readonly QueueRow[], givenUp: readonly QueueRow[]): Promise<void> {
    const finished = [...delivered, ...givenUp];
    if (finished.length === 0) return;
    const ctes = await moveToHistoryCtes(
      manager,
      'bus_deliveries',
      'bus_deliveries.record_id = done.record_id',
      { state: "'PROCESSED'", owner: '$3', date: 'kb_at' },
      {
        using: 'done',
        extra: 'done.at AS kb_at',
      },
    );
    const locked: { record_id: string }[] = await manager.query(
      `WITH done AS (SELECT * FROM unnest($1::bigint[], $2::timestamptz[]) AS d(record_id, at)), ${ctes}
       SELECT record_id FROM bus_events WHERE record_id = ANY($4::bigint[]) ORDER BY record_id FOR UPDATE`,
      [
        delivered.map((row) => row.record_id),
        delivered.map((row) => this.rowNow(row)),
        this.nodeName,
        [...new Set(finished.map((row) => row.bus_event_record_id))],
      ],
    );
    if (locked.length === 0) return;
    const atOf = new Map(finished.map((row) => [String(row.bus_event_record_id), this.rowNow(row)]));
    const events = locked.map((row) => row.record_id);
    // Under the events' locks: each moves to history (FAILED when a subscriber gave up) unless a delivery of it is left.
    const failed = `CASE WHEN EXISTS (SELECT 1 FROM bus_deliveries_history h WHERE h.bus_event_record_id = bus_events.record_id AND h.processing_state = 'FAILED') THEN 'FAILED' ELSE 'PROCESSED' END`;
    const eventCtes = await moveToHistoryCtes(
      manager,
      'bus_events',
      'bus_events.record_id = done.record_id AND NOT EXISTS (SELECT 1 FROM bus_deliveries d WHERE d.bus_event_record_id = bus_events.record_id)',
      { state: 'kb_state', owner: '$3', date: 'kb_at' },
      { using: 'done', extra: `done.at AS kb_at, ${failed} AS kb_state` },
    );
    await manager.query(`WITH done AS (SELECT * FROM unnest($1::bigint[], $2::timestamptz[]) AS d(record_id, at)), ${eventCtes} SELECT count(*) FROM kept`, [
      events,
      events.map((id) => atOf.get(String(id))),
      this.nodeName,
    ]);
  }

  /** Now on the clock of the row's tenant. */
  private rowNow(row: QueueRow): Date {
    return this.clock.nowFor(Number(row.search_key2));
  }
}
