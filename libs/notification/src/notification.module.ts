import { Module } from '@nestjs/common';
import { TenantModule } from '@kb/tenant';
import { EventFactsReader } from './event-facts.reader';
import { NotificationConfig } from './notification-config';
import { PushNotificationListener } from './push-notification.listener';
import { PushNotificationSender } from './push-notification.sender';
import { QueueEntriesService } from './queue-entries.service';

/** Push notifications (webhooks) of every tenant's external events, and the queue dump of GET /admin/queues. */
@Module({
  imports: [TenantModule],
  providers: [NotificationConfig, EventFactsReader, PushNotificationListener, PushNotificationSender, QueueEntriesService],
  exports: [QueueEntriesService, NotificationConfig],
})
export class NotificationModule {}
