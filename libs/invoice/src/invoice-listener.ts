import { Injectable } from '@nestjs/common';
import { LocalDate } from '@js-joda/core';
import { instantOf, toAccountLocalDate } from '@kb/kernel';
import { accountTimeOf, AccountChange, type AccountChangePayload, AccountRow } from '@kb/account';
import { BlockingStateChange, type BlockingStatePayload, type EffectiveSubscriptionPayload, EffectiveSubscriptionTransition } from '@kb/entitlement';
import { CONTROL_TAGS, TagCreation, TagDeletion, type TagEventPayload } from '@kb/tag';
import { OnBusEvent, OnNotification, type QueueMessage, Queues, tenantRepository, Transactions } from '@kb/platform';
import { InvoiceDispatcher } from './invoice-dispatcher';
import { InvoiceAdjustment, NextBillingDateQueue, type NextBillingDateNotification } from './invoice-events';
import { InvoiceRow } from './invoice.entity';

/**
 * Kill Bill's InvoiceListener and next-billing-date notifier: what makes invoicing run without a
 * request. Each handler is one system run of the account (nothing to do is not an error).
 */
@Injectable()
export class InvoiceListener {
  constructor(
    private readonly transactions: Transactions,
    private readonly dispatcher: InvoiceDispatcher,
    private readonly queues: Queues,
  ) {}

  /** A subscription event took effect: invoice up to its day (an UNCANCEL never reaches billing). */
  @OnBusEvent(EffectiveSubscriptionTransition)
  async onSubscriptionTransition(message: QueueMessage<EffectiveSubscriptionPayload>): Promise<void> {
    if (message.payload.transitionType === 'UNCANCEL') return;
    const account = await this.account(message.payload.accountId, message.tenantRecordId);
    if (!account) return;
    const time = accountTimeOf(account);
    const targetDate = toAccountLocalDate(instantOf(new Date(message.payload.effectiveDate)), time);
    await this.dispatcher.run(account.id, targetDate, 'SYSTEM');
  }

  /** Kill Bill's InvoiceListener on ACCOUNT_CHANGE: a BCD moved from a set day re-invoices the account (0 → a day does not). */
  @OnBusEvent(AccountChange)
  async onAccountChange(message: QueueMessage<AccountChangePayload>): Promise<void> {
    const bcd = message.payload.changedFields.find((field) => field.fieldName === 'billingCycleDayLocal');
    if (!bcd || bcd.oldValue === bcd.newValue || bcd.oldValue === '0') return;
    await this.dispatcher.run(message.payload.accountId, null, 'SYSTEM');
  }

  /** A blocking state took effect: billing may have been blocked or unblocked (Kill Bill runs on those flips). */
  @OnBusEvent(BlockingStateChange)
  async onBlockingState(message: QueueMessage<BlockingStatePayload>): Promise<void> {
    if (message.accountRecordId === null) return;
    const account = await tenantRepository(this.transactions.manager(), AccountRow, message.tenantRecordId).findOne({
      where: { recordId: message.accountRecordId },
    });
    if (account) await this.dispatcher.run(account.id, null, 'SYSTEM');
  }

  /** AUTO_INVOICING_OFF removed from an account: invoice it now. An invoice no longer written off changed. */
  @OnBusEvent(TagDeletion)
  async onTagDeletion(message: QueueMessage<TagEventPayload>): Promise<void> {
    const { taggedObjectType, tagDefinitionId, taggedObjectId } = message.payload;
    if (taggedObjectType === 'INVOICE') return this.onWriteOffChange(message);
    if (taggedObjectType !== 'ACCOUNT' || tagDefinitionId !== CONTROL_TAGS.AUTO_INVOICING_OFF.id) return;
    await this.dispatcher.run(taggedObjectId, null, 'SYSTEM');
  }

  /** An invoice written off owes nothing any more: Kill Bill announces it as an INVOICE_ADJUSTMENT. */
  @OnBusEvent(TagCreation)
  async onTagCreation(message: QueueMessage<TagEventPayload>): Promise<void> {
    if (message.payload.taggedObjectType === 'INVOICE') await this.onWriteOffChange(message);
  }

  private async onWriteOffChange(message: QueueMessage<TagEventPayload>): Promise<void> {
    if (message.payload.tagDefinitionId !== CONTROL_TAGS.WRITTEN_OFF.id) return;
    const invoice = await tenantRepository(this.transactions.manager(), InvoiceRow, message.tenantRecordId).findOne({
      where: { id: message.payload.taggedObjectId },
    });
    if (!invoice) return;
    await this.queues.post(
      InvoiceAdjustment,
      { invoiceId: invoice.id, accountId: invoice.accountId },
      { accountRecordId: invoice.accountRecordId, tenantRecordId: invoice.tenantRecordId },
    );
  }

  @OnNotification(NextBillingDateQueue)
  async onNextBillingDate(message: QueueMessage<NextBillingDateNotification>): Promise<void> {
    await this.dispatcher.run(message.payload.accountId, LocalDate.parse(message.payload.targetDate), 'SYSTEM');
  }

  private account(accountId: string, tenantRecordId: number): Promise<AccountRow | null> {
    return tenantRepository(this.transactions.manager(), AccountRow, tenantRecordId).findOne({ where: { id: accountId } });
  }
}
