import { Injectable } from '@nestjs/common';
import { Clock, OnBusEvent, type QueueMessage, Queues } from '@kb/platform';
import { TenantConfigChange, TenantConfigDeletion, TenantKey, TenantKvService } from '@kb/tenant';
import { TagCreation, TagDeletion } from '@kb/tag';
import { CustomFieldCreation, CustomFieldDeletion } from '@kb/custom-field';
import { AccountChange, AccountCreation } from '@kb/account';
import {
  BlockingStateChange,
  EffectiveSubscriptionTransition,
  SubscriptionCancel,
  SubscriptionChange,
  SubscriptionCreation,
  SubscriptionUncancel,
} from '@kb/entitlement';
import { InvoiceAdjustment, InvoiceCreation } from '@kb/invoice';
import { InvoicePaymentFailed, InvoicePaymentSuccess, PaymentFailed, PaymentPluginError, PaymentSuccess } from '@kb/payment';
import { OverdueChange } from '@kb/overdue';
import { toExtBusEvent } from './engine/ext-bus-events';
import { EventFactsReader } from './event-facts.reader';
import { PushNotificationQueue } from './push-notification-events';

/**
 * Kill Bill's BeatrixListener + PushNotificationListener.triggerPushNotifications: every forwarded
 * internal event of a tenant with callbacks becomes one push-notification-queue row per callback,
 * written in the bus delivery's transaction (the outbox: a restart loses none, each is sent once).
 * The POST itself runs outside any transaction (PushNotificationSender).
 */
@Injectable()
export class PushNotificationListener {
  constructor(
    private readonly kv: TenantKvService,
    private readonly facts: EventFactsReader,
    private readonly queues: Queues,
    private readonly clock: Clock,
  ) {}

  @OnBusEvent(AccountCreation)
  onAccountCreation(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(AccountChange)
  onAccountChange(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(EffectiveSubscriptionTransition)
  onSubscriptionTransition(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(SubscriptionCreation)
  onSubscriptionCreation(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(SubscriptionChange)
  onSubscriptionChange(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(SubscriptionCancel)
  onSubscriptionCancel(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(SubscriptionUncancel)
  onSubscriptionUncancel(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(BlockingStateChange)
  onBlockingState(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(InvoiceCreation)
  onInvoiceCreation(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(InvoiceAdjustment)
  onInvoiceAdjustment(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(InvoicePaymentSuccess)
  onInvoicePaymentSuccess(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(InvoicePaymentFailed)
  onInvoicePaymentFailed(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(PaymentSuccess)
  onPaymentSuccess(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(PaymentFailed)
  onPaymentFailed(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(PaymentPluginError)
  onPaymentPluginError(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(OverdueChange)
  onOverdueChange(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(TagCreation)
  onTagCreation(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(TagDeletion)
  onTagDeletion(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(CustomFieldCreation)
  onCustomFieldCreation(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(CustomFieldDeletion)
  onCustomFieldDeletion(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(TenantConfigChange)
  onTenantConfigChange(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }
  @OnBusEvent(TenantConfigDeletion)
  onTenantConfigDeletion(message: QueueMessage<object>): Promise<void> {
    return this.forward(message);
  }

  private async forward(message: QueueMessage<object>): Promise<void> {
    const callbacks = await this.kv.cachedValues(TenantKey.PUSH_NOTIFICATION_CB);
    // Kill Bill's optimisation: a tenant without callbacks costs no conversion.
    if (callbacks.length === 0) return;
    const event = toExtBusEvent(message.type, message.payload, await this.facts.read(message));
    if (!event) return;
    const tenantId = await this.facts.tenantIdOf(message.tenantRecordId);
    const now = this.clock.nowFor(message.tenantRecordId);
    await this.queues.scheduleMany(
      PushNotificationQueue,
      callbacks.map((url) => ({ effectiveDate: now, payload: { tenantId, ...event, attemptNumber: 0, url } })),
      { accountRecordId: message.accountRecordId, tenantRecordId: message.tenantRecordId },
    );
  }
}
