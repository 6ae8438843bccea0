/** A row of `notifications`, or of `bus_deliveries` joined to its `bus_events` row, as read for dispatch. */
export interface QueueRow {
  record_id: string;
  class_name: string;
  event_json: string;
  user_token: string | null;
  created_date: Date;
  error_count: number;
  search_key1: string | null;
  search_key2: string;
  /** Notifications only. */
  queue_name?: string;
  effective_date?: Date;
  /** Bus deliveries only: the event delivered and the subscriber it is delivered to. */
  bus_event_record_id?: string;
  subscriber?: string;
}

/** What a handler receives for a bus event or a due notification. */
export interface QueueMessage<T = unknown> {
  /** The `bus_events` or `notifications` record id (the same for every subscriber of one event). */
  readonly recordId: number;
  /** Bus event type, or the notification queue name. */
  readonly type: string;
  readonly payload: T;
  readonly accountRecordId: number | null;
  readonly tenantRecordId: number;
  readonly userToken: string | null;
  /** When a notification was due (the clock may be past it); the creation time of a bus event. */
  readonly effectiveDate: Date;
}

export type QueueHandler<T = unknown> = (message: QueueMessage<T>) => Promise<void>;

/** Work a detached handler hands back, run in the transaction that completes its notification. */
export type CompletionWork = () => Promise<void>;

/**
 * A notification handler that runs outside any transaction, because it waits on the outside world
 * (a webhook receiver). What it returns runs in the short transaction that marks its row done.
 */
export type DetachedQueueHandler<T = unknown> = (message: QueueMessage<T>) => Promise<CompletionWork | undefined>;
