import { defineQueue } from '@kb/platform';

/** Kill Bill's PushNotificationKey: one attempt at POSTing one external event to one callback. */
export interface PushNotificationKey {
  readonly tenantId: string;
  readonly accountId: string | null;
  readonly eventType: string;
  readonly objectType: string;
  readonly objectId: string | null;
  /** 0 for the first POST; n for the n-th retry. */
  readonly attemptNumber: number;
  readonly metaData: string | null;
  readonly url: string;
}

/** Kill Bill's server-service push-notification-queue (first attempts and retries alike). */
export const PushNotificationQueue = defineQueue<PushNotificationKey>('push-notification-queue');
