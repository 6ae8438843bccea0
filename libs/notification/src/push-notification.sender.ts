import { Injectable, Logger } from '@nestjs/common';
import { Clock, type CompletionWork, OnNotificationOutsideTransaction, type QueueMessage, Queues } from '@kb/platform';
import { NotificationConfig } from './notification-config';
import { type PushNotificationKey, PushNotificationQueue } from './push-notification-events';

/** Kill Bill's PushNotificationListener constants. */
export const PUSH_NOTIFICATION_USER_AGENT = 'KillBill/1.0';
export const PUSH_NOTIFICATION_CONTENT_TYPE = 'application/json; charset=UTF-8';
export const PUSH_NOTIFICATION_TIMEOUT_MILLIS = 15_000;

/**
 * Kill Bill's PushNotificationListener.doPost and PushNotificationRetryService: POSTs one external
 * event to one callback, outside any transaction. A non-2xx answer, a timeout or an I/O error
 * schedules the next attempt after `org.killbill.billing.server.notifications.retries` (in the
 * transaction that completes this one, on the tenant's clock); after the last retry it is given up.
 */
@Injectable()
export class PushNotificationSender {
  private readonly logger = new Logger('PushNotifications');

  constructor(
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly config: NotificationConfig,
  ) {}

  @OnNotificationOutsideTransaction(PushNotificationQueue)
  async send(message: QueueMessage<PushNotificationKey>): Promise<CompletionWork | undefined> {
    const key = message.payload;
    const failure = await this.post(key);
    if (failure === undefined) return undefined;
    return () => this.scheduleRetry(message, failure);
  }

  /** One POST; the reason it failed, or undefined on a 2xx answer. */
  private async post(key: PushNotificationKey): Promise<string | undefined> {
    const body = JSON.stringify({ eventType: key.eventType, accountId: key.accountId, objectType: key.objectType, objectId: key.objectId, metaData: key.metaData });
    try {
      const response = await fetch(key.url, {
        method: 'POST',
        headers: { 'User-Agent': PUSH_NOTIFICATION_USER_AGENT, 'Content-Type': PUSH_NOTIFICATION_CONTENT_TYPE },
        body,
        // Java's HttpClient does not follow redirects: a 3xx is a failure.
        redirect: 'manual',
        signal: AbortSignal.timeout(PUSH_NOTIFICATION_TIMEOUT_MILLIS),
      });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300 ? undefined : `statusCode=${response.status}`;
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }

  private async scheduleRetry(message: QueueMessage<PushNotificationKey>, reason: string): Promise<void> {
    const key = message.payload;
    const attemptNumber = key.attemptNumber + 1;
    const retries = await this.config.pushNotificationRetriesMillis();
    if (attemptNumber > retries.length) {
      this.logger.warn(`Max attempt number reached for push notification url='${key.url}', tenantId='${key.tenantId}' (${reason})`);
      return;
    }
    const retryAt = new Date(this.clock.nowFor(message.tenantRecordId).getTime() + retries[attemptNumber - 1]);
    this.logger.warn(`Push notification ${key.eventType} to url='${key.url}' re-scheduled at ${retryAt.toISOString()} (attempt ${attemptNumber}): ${reason}`);
    await this.queues.schedule(PushNotificationQueue, retryAt, { ...key, attemptNumber }, { accountRecordId: message.accountRecordId, tenantRecordId: message.tenantRecordId });
  }
}
