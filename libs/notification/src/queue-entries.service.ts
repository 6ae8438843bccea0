import { Injectable } from '@nestjs/common';
import { Clock, currentTenant, KillBillException, Transactions } from '@kb/platform';

const TWO_DAYS_MILLIS = 2 * 86_400_000;

/** GET /admin/queues parameters (Kill Bill's AdminResource.getQueueEntries). */
export interface QueueEntriesFilter {
  readonly accountId?: string;
  readonly queueName?: string;
  readonly serviceName?: string;
  readonly withHistory: boolean;
  /** History from this date on; default: two days ago. */
  readonly minDate?: Date;
  /** Pending entries up to this date; default: in two days. */
  readonly maxDate?: Date;
  readonly withInProcessing: boolean;
  readonly withBusEvents: boolean;
  readonly withNotifications: boolean;
}

/** Kill Bill's BusEventWithMetadata (with AdminResource's className). */
export interface BusEventEntry {
  readonly recordId: number;
  readonly userToken: string | null;
  readonly createdDate: string;
  readonly searchKey1: number | null;
  readonly searchKey2: number;
  readonly event: unknown;
  readonly className: string;
}

/** Kill Bill's NotificationEventWithMetadata. */
export interface NotificationEntry {
  readonly recordId: number;
  readonly userToken: string | null;
  readonly createdDate: string;
  readonly searchKey1: number | null;
  readonly searchKey2: number;
  readonly event: unknown;
  readonly futureUserToken: string | null;
  readonly effectiveDate: string;
  readonly queueName: string;
}

export interface QueueEntries {
  readonly busEvents?: BusEventEntry[];
  readonly notifications?: NotificationEntry[];
}

interface QueueTableRow {
  record_id: string;
  class_name: string;
  event_json: string;
  user_token: string | null;
  created_date: Date;
  search_key1: string | null;
  search_key2: string;
  queue_name?: string;
  effective_date?: Date;
  future_user_token?: string | null;
}

/** Kill Bill's service of a notification queue (`<service>-service`), for the serviceName filter. */
export function serviceOfQueue(queueName: string): string {
  return queueName === 'push-notification-queue' ? 'server-service' : `${queueName.split('-')[0]}-service`;
}

/**
 * The tenant's bus events and notifications, history first (Kill Bill's order), as GET /admin/queues
 * dumps them: by account when one is given, else pending entries up to maxDate and history from minDate.
 */
@Injectable()
export class QueueEntriesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  async entries(filter: QueueEntriesFilter): Promise<QueueEntries> {
    const tenantRecordId = currentTenant().recordId;
    const accountRecordId = filter.accountId === undefined ? null : await this.accountRecordIdOf(filter.accountId, tenantRecordId);
    const now = this.clock.nowFor(tenantRecordId).getTime();
    const minDate = filter.minDate ?? new Date(now - TWO_DAYS_MILLIS);
    const maxDate = filter.maxDate ?? new Date(now + TWO_DAYS_MILLIS);
    const result: { busEvents?: BusEventEntry[]; notifications?: NotificationEntry[] } = {};
    if (filter.withBusEvents) {
      const history = filter.withHistory ? await this.rows('bus_events_history', 'created_date >= $3', tenantRecordId, accountRecordId, minDate) : [];
      const pending = await this.rows('bus_events', 'created_date <= $3', tenantRecordId, accountRecordId, maxDate);
      result.busEvents = [...history, ...pending].map(toBusEventEntry);
    }
    if (filter.withNotifications) {
      const states = filter.withInProcessing ? ['AVAILABLE', 'IN_PROCESSING'] : ['AVAILABLE'];
      const history = filter.withHistory ? await this.rows('notifications_history', 'effective_date >= $3', tenantRecordId, accountRecordId, minDate) : [];
      const pending = (await this.rows('notifications', 'effective_date <= $3', tenantRecordId, accountRecordId, maxDate)).filter((row) =>
        states.includes((row as QueueTableRow & { processing_state: string }).processing_state),
      );
      result.notifications = [...history, ...pending]
        .filter((row) => filter.queueName === undefined || row.queue_name === filter.queueName)
        .filter((row) => filter.serviceName === undefined || serviceOfQueue(row.queue_name ?? '') === filter.serviceName)
        .map(toNotificationEntry);
    }
    return result;
  }

  private async accountRecordIdOf(accountId: string, tenantRecordId: number): Promise<number> {
    const [row]: { record_id: string }[] = await this.transactions
      .manager()
      .query(`SELECT record_id FROM accounts WHERE id = $1 AND tenant_record_id = $2`, [accountId, tenantRecordId]);
    if (!row) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [accountId]);
    return Number(row.record_id);
  }

  /** The tenant's rows of `table`: the account's when given, else those within the date bound. */
  private rows(table: string, dateBound: string, tenantRecordId: number, accountRecordId: number | null, date: Date): Promise<QueueTableRow[]> {
    return this.transactions
      .manager()
      .query(
        `SELECT * FROM ${table} WHERE search_key2 = $1 AND (CASE WHEN $2::bigint IS NULL THEN ${dateBound} ELSE search_key1 = $2::bigint END) ORDER BY record_id`,
        [tenantRecordId, accountRecordId, date],
      );
  }
}

function common(row: QueueTableRow) {
  return {
    recordId: Number(row.record_id),
    userToken: row.user_token,
    createdDate: new Date(row.created_date).toISOString(),
    searchKey1: row.search_key1 === null ? null : Number(row.search_key1),
    searchKey2: Number(row.search_key2),
    event: JSON.parse(row.event_json) as unknown,
  };
}

function toBusEventEntry(row: QueueTableRow): BusEventEntry {
  return { ...common(row), className: row.class_name };
}

function toNotificationEntry(row: QueueTableRow): NotificationEntry {
  return {
    ...common(row),
    futureUserToken: row.future_user_token ?? null,
    effectiveDate: new Date(row.effective_date ?? row.created_date).toISOString(),
    queueName: row.queue_name ?? '',
  };
}
