import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { currentContext, requireContext } from '../context/request-context';
import { Transactions } from '../database/transactions';
import { NODE_NAME } from './node-name';
import type { BusEvent, NotificationQueue } from './queue-handles';
import type { DetachedQueueHandler, QueueHandler } from './queue-rows';

/**
 * A write as data-modifying CTEs that join another statement of the same transaction, so that rows
 * and the events they cause go in one round trip (e.g. a payment's rows and its PAYMENT_SUCCESS).
 * The CTEs number their parameters from $1 (the statement renumbers them) and name themselves from
 * the prefix given; their text depends on `kind` and that prefix alone, so it is built once.
 */
export interface WritePart {
  /** Names the CTEs' text: two parts of one kind differ only in their values. */
  readonly kind: string;
  ctes(name: string): string[];
  readonly values: readonly unknown[];
}

/** The parts' CTEs, their parameters renumbered, by kinds and offset: a hot statement's text is built once. */
const partsSql = new Map<string, readonly string[]>();
const PARTS_SQL_LIMIT = 1_000;

/**
 * The parts' CTEs for a statement whose own parameters end at `offset`, their parameters renumbered
 * after it, with a key naming that text (for the caller's statement cache).
 */
export function writePartsSql(parts: readonly WritePart[], offset: number): { ctes: readonly string[]; values: unknown[]; key: string } {
  const values = parts.flatMap((part) => part.values);
  // Each part's count of values is in the key too: the parts after it are renumbered by it.
  const key = `${parts.map((part) => `${part.kind}:${part.values.length}`).join(',')}@${offset}`;
  let ctes = partsSql.get(key);
  if (ctes === undefined) {
    const built: string[] = [];
    let base = offset;
    parts.forEach((part, index) => {
      // Our own SQL: no dollar quoting, so every $n is a parameter.
      const own = part.ctes(`part${index}`);
      built.push(...(base === 0 ? own : own.map((cte) => cte.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + base}`))));
      base += part.values.length;
    });
    ctes = built;
    if (partsSql.size < PARTS_SQL_LIMIT) partsSql.set(key, ctes);
  }
  return { ctes, values, key };
}

async function runParts(manager: EntityManager, parts: readonly WritePart[]): Promise<void> {
  const { ctes, values } = writePartsSql(parts, 0);
  await manager.query(`WITH ${ctes.join(',\n')} SELECT 1`, values);
}

export interface PostOptions {
  readonly accountRecordId?: number | null;
  /** Defaults to the tenant of the current request. */
  readonly tenantRecordId?: number;
}

export interface BusSubscriber {
  readonly name: string;
  readonly eventType: string;
  readonly handler: QueueHandler;
}

/** Counts behind the queue healthcheck. */
export interface QueueState {
  /** Entries due before `stuckBefore` and still not processed (a handler hangs, or no node handles them). */
  readonly stuck: number;
  /** Entries kept as FAILED since `failedSince`. */
  readonly failed: number;
  /** Entries waiting for a retry. */
  readonly retrying: number;
}

/**
 * The persistent bus and the notification queue: both are rows written in the transaction of the
 * change that causes them (an outbox), so a rolled-back change notifies nobody. A bus event is one
 * `bus_events` row plus one `bus_deliveries` row per subscriber registered in `bus_subscribers` (by
 * any node), so each subscriber has its own retries and one failing subscriber holds back no other.
 * Handlers are registered by QueueExplorer from `@OnBusEvent` / `@OnNotification`.
 */
@Injectable()
export class Queues {
  private readonly busSubscribers = new Map<string, BusSubscriber>();
  private readonly notificationHandlers = new Map<string, QueueHandler>();
  private readonly detachedHandlers = new Map<string, DetachedQueueHandler>();

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(NODE_NAME) private readonly nodeName: string,
  ) {}

  /**
   * Registers a bus subscriber of this node (QueueExplorer, before bootstrap); `name` keys its
   * delivery rows across restarts. It receives events posted after the dispatcher has recorded it in
   * `bus_subscribers` at bootstrap; a subscriber removed from the code keeps receiving deliveries
   * nobody claims (the healthcheck reports them stuck) until its `bus_subscribers` row is deleted.
   */
  subscribe<P extends object>(event: BusEvent<P>, name: string, handler: QueueHandler<P>): void {
    if (this.busSubscribers.has(name)) throw new Error(`Bus subscriber ${name} is registered twice`);
    this.busSubscribers.set(name, { name, eventType: event.type, handler: handler as QueueHandler });
  }

  /** Registers the single handler of a notification queue on this node. */
  handleQueue<P extends object>(queue: NotificationQueue<P>, handler: QueueHandler<P>): void {
    if (this.notificationHandlers.has(queue.name) || this.detachedHandlers.has(queue.name))
      throw new Error(`Notification queue ${queue.name} already has a handler`);
    this.notificationHandlers.set(queue.name, handler as QueueHandler);
  }

  /** Registers the single handler of a notification queue on this node, run outside any transaction. */
  handleQueueOutsideTransaction<P extends object>(queue: NotificationQueue<P>, handler: DetachedQueueHandler<P>): void {
    if (this.notificationHandlers.has(queue.name) || this.detachedHandlers.has(queue.name))
      throw new Error(`Notification queue ${queue.name} already has a handler`);
    this.detachedHandlers.set(queue.name, handler as DetachedQueueHandler);
  }

  detachedHandlerFor(queueName: string): DetachedQueueHandler | undefined {
    return this.detachedHandlers.get(queueName);
  }

  detachedQueueNames(): string[] {
    return [...this.detachedHandlers.keys()];
  }

  subscriber(name: string): BusSubscriber | undefined {
    return this.busSubscribers.get(name);
  }

  subscriberNames(): string[] {
    return [...this.busSubscribers.keys()];
  }

  notificationHandlerFor(queueName: string): QueueHandler | undefined {
    return this.notificationHandlers.get(queueName);
  }

  handledQueueNames(): string[] {
    return [...this.notificationHandlers.keys()];
  }

  /** Records this node's subscribers, so events posted by any node are delivered to them. */
  async registerSubscribers(): Promise<void> {
    for (const subscriber of this.busSubscribers.values()) {
      await this.transactions
        .manager()
        .query(`INSERT INTO bus_subscribers (event_type, subscriber, created_date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          subscriber.eventType,
          subscriber.name,
          this.clock.now(),
        ]);
    }
  }

  /** Writes parts (postPart, schedulePart) on their own, inside the current transaction. */
  async write(parts: readonly WritePart[]): Promise<void> {
    if (parts.length === 0) return;
    await runParts(this.requireTransaction('write to the queues'), parts);
  }

  /** Posts a bus event inside the current transaction, with one delivery per registered subscriber. */
  async post<P extends object>(event: BusEvent<P>, payload: NoInfer<P>, options: PostOptions = {}): Promise<void> {
    const manager = this.requireTransaction('post a bus event');
    await runParts(manager, [this.postPart(event, payload, options)]);
  }

  /**
   * The post of a bus event as CTEs of a statement of the caller's (see WritePart): the event waits
   * in bus_events with a delivery per subscriber, or, when nobody listens, is complete as soon as it
   * is posted and goes straight to its history (same record id sequence).
   */
  postPart<P extends object>(event: BusEvent<P>, payload: NoInfer<P>, options: PostOptions = {}): WritePart {
    const context = requireContext('Posting a bus event');
    const tenantRecordId = this.tenantOf(options);
    const now = this.clock.nowFor(tenantRecordId);
    return {
      kind: 'bus-event',
      ctes: (name) => [
        `${name}_subscribers AS (SELECT subscriber FROM bus_subscribers WHERE event_type = $1)`,
        `${name}_event AS (
         INSERT INTO bus_events (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2)
         SELECT $1, $2, $3, $4, $5, 'AVAILABLE', 0, $6, $7 WHERE EXISTS (SELECT 1 FROM ${name}_subscribers)
         RETURNING record_id)`,
        `${name}_deliveries AS (
         INSERT INTO bus_deliveries (bus_event_record_id, subscriber, class_name, created_date, processing_state, error_count, search_key1, search_key2)
         SELECT ${name}_event.record_id, ${name}_subscribers.subscriber, $1, $4, 'AVAILABLE', 0, $6, $7 FROM ${name}_event CROSS JOIN ${name}_subscribers)`,
        `${name}_unheard AS (
         INSERT INTO bus_events_history (record_id, class_name, event_json, user_token, created_date, creating_owner, processing_owner, processing_available_date,
                                         processing_state, error_count, search_key1, search_key2)
         SELECT nextval(pg_get_serial_sequence('bus_events', 'record_id')), $1, $2, $3, $4, $5, $5, $4, 'PROCESSED', 0, $6, $7
          WHERE NOT EXISTS (SELECT 1 FROM ${name}_subscribers))`,
      ],
      values: [event.type, JSON.stringify(payload), context.userToken, now, this.nodeName, options.accountRecordId ?? null, tenantRecordId],
    };
  }

  /** Schedules a notification for `effectiveDate` (server clock) inside the current transaction. */
  async schedule<P extends object>(queue: NotificationQueue<P>, effectiveDate: Date, payload: NoInfer<P>, options: PostOptions = {}): Promise<void> {
    const manager = this.requireTransaction('schedule a notification');
    await runParts(manager, [this.schedulePart(queue, effectiveDate, payload, options)]);
  }

  /** The scheduling of a notification as a CTE of a statement of the caller's (see WritePart). */
  schedulePart<P extends object>(queue: NotificationQueue<P>, effectiveDate: Date, payload: NoInfer<P>, options: PostOptions = {}): WritePart {
    const context = requireContext('Scheduling a notification');
    const tenantRecordId = this.tenantOf(options);
    return {
      kind: 'notification',
      ctes: (name) => [
        `${name}_notification AS (
         INSERT INTO notifications (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2, queue_name, effective_date, future_user_token)
         VALUES ($1, $2, $3, $4, $5, 'AVAILABLE', 0, $6, $7, $1, $8, $3))`,
      ],
      values: [
        queue.name,
        JSON.stringify(payload),
        context.userToken,
        this.clock.nowFor(tenantRecordId),
        this.nodeName,
        options.accountRecordId ?? null,
        tenantRecordId,
        effectiveDate,
      ],
    };
  }

  /**
   * Schedules many notifications of one queue in one statement (rows as `schedule` writes them, in
   * the order given): an invoicing run of 30,000 subscriptions schedules 30,000 next billing dates.
   */
  async scheduleMany<P extends object>(
    queue: NotificationQueue<P>,
    notifications: readonly { readonly effectiveDate: Date; readonly payload: NoInfer<P> }[],
    options: PostOptions = {},
  ): Promise<void> {
    if (notifications.length === 0) return;
    const manager = this.requireTransaction('schedule notifications');
    const context = requireContext('Scheduling notifications');
    const tenantRecordId = this.tenantOf(options);
    await manager.query(
      `INSERT INTO notifications (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2, queue_name, effective_date, future_user_token)
       SELECT $1, given.event_json, $2, $3, $4, 'AVAILABLE', 0, $5, $6, $1, given.effective_date, $2
         FROM ROWS FROM (json_to_recordset($7::json) AS (event_json text, effective_date timestamptz)) WITH ORDINALITY AS given (event_json, effective_date, position)
        ORDER BY given.position`,
      [
        queue.name,
        context.userToken,
        this.clock.nowFor(tenantRecordId),
        this.nodeName,
        options.accountRecordId ?? null,
        tenantRecordId,
        // One json text (escaped by JSON.stringify, native) rather than two arrays node-pg escapes element by element.
        JSON.stringify(
          notifications.map((notification) => ({ event_json: JSON.stringify(notification.payload), effective_date: notification.effectiveDate.toISOString() })),
        ),
      ],
    );
  }

  /** The payloads of the tenant's events of this type not yet delivered to every subscriber. */
  async pendingBusEvents<P extends object>(event: BusEvent<P>, tenantRecordId: number): Promise<P[]> {
    const rows: { event_json: string }[] = await this.transactions
      .manager()
      .query(`SELECT event_json FROM bus_events WHERE class_name = $1 AND search_key2 = $2 ORDER BY record_id`, [event.type, tenantRecordId]);
    return rows.map((row) => JSON.parse(row.event_json) as P);
  }

  /**
   * Kill Bill's getFutureNotificationForSearchKeys: the notifications of `queue` not yet due of one
   * account (or of several, in one read), earliest first.
   */
  async futureNotifications<P extends object>(
    queue: NotificationQueue<P>,
    accountRecordIds: number | readonly number[],
    tenantRecordId: number,
  ): Promise<{ recordId: number; effectiveDate: Date; payload: P }[]> {
    const rows: { record_id: string; effective_date: Date; event_json: string }[] = await this.transactions.manager().query(
      `SELECT record_id, effective_date, event_json FROM notifications
        WHERE search_key1 = ANY($1) AND search_key2 = $2 AND queue_name = $3 AND effective_date > $4 AND processing_state = 'AVAILABLE'
        ORDER BY effective_date, record_id`,
      [typeof accountRecordIds === 'number' ? [accountRecordIds] : accountRecordIds, tenantRecordId, queue.name, this.clock.nowFor(tenantRecordId)],
    );
    return rows.map((row) => ({ recordId: Number(row.record_id), effectiveDate: new Date(row.effective_date), payload: JSON.parse(row.event_json) as P }));
  }

  /**
   * Kill Bill's updateFutureNotificationFromTransaction: a notification not yet due gets a new
   * payload, inside the current transaction (false when it was claimed or removed meanwhile).
   */
  async updateFutureNotification<P extends object>(queue: NotificationQueue<P>, recordId: number, payload: NoInfer<P>): Promise<boolean> {
    const manager = this.requireTransaction('update a notification');
    const rows: unknown[] = await manager.query(
      `WITH updated AS (
         UPDATE notifications SET event_json = $1 WHERE record_id = $2 AND queue_name = $3 AND processing_state = 'AVAILABLE' RETURNING record_id)
       SELECT record_id FROM updated`,
      [JSON.stringify(payload), recordId, queue.name],
    );
    return rows.length > 0;
  }

  /**
   * Kill Bill's removeFutureNotificationsForSearchKeys: the account's notifications not yet due (of
   * one queue when given, and only those whose payload contains `payloadContains` when given) leave
   * the queue for its history as REMOVED, inside the current transaction.
   */
  async removeFutureNotifications<P extends object>(
    accountRecordId: number,
    tenantRecordId: number,
    queue?: NotificationQueue<P>,
    payloadContains?: Partial<P>,
  ): Promise<void> {
    const manager = this.requireTransaction('remove notifications');
    await manager.query(
      `WITH removed AS (
         DELETE FROM notifications
          WHERE search_key1 = $1 AND search_key2 = $2 AND effective_date > $3 AND processing_state = 'AVAILABLE'
            AND ($4::text IS NULL OR queue_name = $4) AND ($5::jsonb IS NULL OR event_json::jsonb @> $5::jsonb)
         RETURNING *)
       INSERT INTO notifications_history
       SELECT record_id, class_name, event_json, user_token, created_date, creating_owner, processing_owner, processing_available_date,
              'REMOVED', error_count, search_key1, search_key2, queue_name, effective_date, future_user_token
         FROM removed`,
      [accountRecordId, tenantRecordId, this.clock.nowFor(tenantRecordId), queue?.name ?? null, payloadContains ? JSON.stringify(payloadContains) : null],
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
      [tenantRecordId, this.clock.nowFor(tenantRecordId)],
    );
    return Number(row.pending) === 0;
  }

  /** Stuck, failed and retrying entries across all tenants and nodes (the queue healthcheck). */
  async state(stuckBefore: Date, failedSince: Date): Promise<QueueState> {
    const [row]: { stuck: string; failed: string; retrying: string }[] = await this.transactions.manager().query(
      `SELECT
         (SELECT count(*) FROM notifications WHERE GREATEST(effective_date, COALESCE(processing_available_date, effective_date)) < $1)
           + (SELECT count(*) FROM bus_deliveries WHERE GREATEST(created_date, COALESCE(processing_available_date, created_date)) < $1) AS stuck,
         (SELECT count(*) FROM notifications_history WHERE processing_state = 'FAILED' AND processing_available_date >= $2)
           + (SELECT count(*) FROM bus_deliveries_history WHERE processing_state = 'FAILED' AND processing_available_date >= $2) AS failed,
         (SELECT count(*) FROM notifications WHERE error_count > 0) + (SELECT count(*) FROM bus_deliveries WHERE error_count > 0) AS retrying`,
      [stuckBefore, failedSince],
    );
    return { stuck: Number(row.stuck), failed: Number(row.failed), retrying: Number(row.retrying) };
  }

  private tenantOf(options: PostOptions): number {
    const tenantRecordId = options.tenantRecordId ?? currentContext().tenant?.recordId;
    if (tenantRecordId === undefined) throw new Error('A bus event or notification needs a tenant');
    return tenantRecordId;
  }

  private requireTransaction(what: string): EntityManager {
    const manager = currentContext().manager;
    if (!manager) throw new Error(`Cannot ${what} outside a transaction`);
    return manager;
  }
}
