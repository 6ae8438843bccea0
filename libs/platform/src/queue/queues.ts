import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { currentContext } from '../context/request-context';
import { Transactions } from '../database/transactions';
import { NODE_NAME } from './node-name';
import type { QueueHandler } from './queue-rows';

export interface PostOptions {
  readonly accountRecordId?: number | null;
  /** Defaults to the tenant of the current request. */
  readonly tenantRecordId?: number;
}

/**
 * The persistent bus and the notification queue: both are rows written in the transaction of the
 * change that causes them (an outbox), so a rolled-back change notifies nobody. Handlers register
 * here; the QueueDispatcher of any node delivers.
 */
@Injectable()
export class Queues {
  private readonly busHandlers = new Map<string, QueueHandler[]>();
  private readonly notificationHandlers = new Map<string, QueueHandler>();

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(NODE_NAME) private readonly nodeName: string,
  ) {}

  /** Subscribes to a bus event type; every subscriber of a type sees each event once. */
  subscribe<T>(eventType: string, handler: QueueHandler<T>): void {
    const handlers = this.busHandlers.get(eventType) ?? [];
    handlers.push(handler as QueueHandler);
    this.busHandlers.set(eventType, handlers);
  }

  /** The single handler of a notification queue. */
  handleQueue<T>(queueName: string, handler: QueueHandler<T>): void {
    if (this.notificationHandlers.has(queueName)) throw new Error(`Queue ${queueName} already has a handler`);
    this.notificationHandlers.set(queueName, handler as QueueHandler);
  }

  busHandlersFor(eventType: string): readonly QueueHandler[] {
    return this.busHandlers.get(eventType) ?? [];
  }

  notificationHandlerFor(queueName: string): QueueHandler | undefined {
    return this.notificationHandlers.get(queueName);
  }

  /** Posts a bus event inside the current transaction. */
  async post(eventType: string, payload: object, options: PostOptions = {}): Promise<void> {
    const manager = this.requireTransaction('post a bus event');
    const context = currentContext();
    await manager.query(
      `INSERT INTO bus_events (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2)
       VALUES ($1, $2, $3, $4, $5, 'AVAILABLE', 0, $6, $7)`,
      [eventType, JSON.stringify(payload), context.userToken, this.clock.now(), this.nodeName, options.accountRecordId ?? null, this.tenantOf(options)],
    );
  }

  /** Schedules a notification for `effectiveDate` (server clock) inside the current transaction. */
  async schedule(queueName: string, effectiveDate: Date, payload: object, options: PostOptions = {}): Promise<void> {
    const manager = this.requireTransaction('schedule a notification');
    const context = currentContext();
    await manager.query(
      `INSERT INTO notifications (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2, queue_name, effective_date, future_user_token)
       VALUES ($1, $2, $3, $4, $5, 'AVAILABLE', 0, $6, $7, $1, $8, $3)`,
      [
        queueName,
        JSON.stringify(payload),
        context.userToken,
        this.clock.now(),
        this.nodeName,
        options.accountRecordId ?? null,
        this.tenantOf(options),
        effectiveDate,
      ],
    );
  }

  /**
   * Kill Bill's removeFutureNotificationsForSearchKeys: the account's notifications not yet due leave
   * the queue for its history as REMOVED, inside the current transaction.
   */
  async removeFutureNotifications(accountRecordId: number, tenantRecordId: number): Promise<void> {
    const manager = this.requireTransaction('remove notifications');
    await manager.query(
      `WITH removed AS (
         DELETE FROM notifications
          WHERE search_key1 = $1 AND search_key2 = $2 AND effective_date > $3 AND processing_state = 'AVAILABLE'
         RETURNING *)
       INSERT INTO notifications_history
       SELECT record_id, class_name, event_json, user_token, created_date, creating_owner, processing_owner, processing_available_date,
              'REMOVED', error_count, search_key1, search_key2, queue_name, effective_date, future_user_token
         FROM removed`,
      [accountRecordId, tenantRecordId, this.clock.now()],
    );
  }

  /**
   * True when, for the tenant, no notification is due and no bus event waits or is being handled
   * (Kill Bill's test-mode notion of "processed").
   */
  async isIdle(tenantRecordId: number): Promise<boolean> {
    const [row]: { pending: string }[] = await this.transactions.manager().query(
      `SELECT (SELECT count(*) FROM bus_events WHERE search_key2 = $1)
            + (SELECT count(*) FROM notifications WHERE search_key2 = $1 AND effective_date <= $2) AS pending`,
      [tenantRecordId, this.clock.now()],
    );
    return Number(row.pending) === 0;
  }

  private tenantOf(options: PostOptions): number {
    const tenantRecordId = options.tenantRecordId ?? currentContext().tenant?.recordId;
    if (tenantRecordId === undefined) throw new Error('A bus event or notification needs a tenant');
    return tenantRecordId;
  }

  private requireTransaction(what: string) {
    const manager = currentContext().manager;
    if (!manager) throw new Error(`Cannot ${what} outside a transaction`);
    return manager;
  }
}
