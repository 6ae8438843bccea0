import { Injectable } from '@nestjs/common';
import { type QueueMessage, OnBusEvent, tenantRepository, Transactions } from '@kb/platform';
import { TagCreation, TagDeletion, type TagEventPayload } from '@kb/tag';
import { AccountRow, AccountService } from '@kb/account';
import { InvoiceAdjustment, type InvoiceAdjustmentPayload, InvoiceCreation, type InvoiceCreationPayload, InvoiceRow } from '@kb/invoice';
import { InvoicePaymentFailed, InvoicePaymentSuccess, type InvoicePaymentEventPayload } from '@kb/payment';
import { OverdueService } from './overdue.service';

/**
 * What makes Kill Bill evaluate an account again (its OverdueListener): invoices created or adjusted,
 * invoice payments succeeding or failing, WRITTEN_OFF on an invoice, OVERDUE_ENFORCEMENT_OFF on the
 * account (added: back to clear; removed: evaluate). A parent paying for its children is evaluated
 * with them, and they with it.
 */
@Injectable()
export class OverdueListener {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
    private readonly overdue: OverdueService,
  ) {}

  @OnBusEvent(InvoiceCreation)
  async onInvoiceCreation(message: QueueMessage<InvoiceCreationPayload>): Promise<void> {
    await this.refreshWithFamily(message.payload.accountId, message.tenantRecordId);
  }

  @OnBusEvent(InvoiceAdjustment)
  async onInvoiceAdjustment(message: QueueMessage<InvoiceAdjustmentPayload>): Promise<void> {
    await this.refreshWithFamily(message.payload.accountId, message.tenantRecordId);
  }

  @OnBusEvent(InvoicePaymentSuccess)
  async onInvoicePaymentSuccess(message: QueueMessage<InvoicePaymentEventPayload>): Promise<void> {
    await this.refreshWithFamily(message.payload.accountId, message.tenantRecordId);
  }

  @OnBusEvent(InvoicePaymentFailed)
  async onInvoicePaymentFailed(message: QueueMessage<InvoicePaymentEventPayload>): Promise<void> {
    await this.refreshWithFamily(message.payload.accountId, message.tenantRecordId);
  }

  @OnBusEvent(TagCreation)
  async onTagCreation(message: QueueMessage<TagEventPayload>): Promise<void> {
    const tag = message.payload;
    if (tag.tagDefinitionName === 'OVERDUE_ENFORCEMENT_OFF' && tag.taggedObjectType === 'ACCOUNT') await this.overdue.clear(tag.taggedObjectId);
    else await this.onWrittenOff(tag, message.tenantRecordId);
  }

  @OnBusEvent(TagDeletion)
  async onTagDeletion(message: QueueMessage<TagEventPayload>): Promise<void> {
    const tag = message.payload;
    if (tag.tagDefinitionName === 'OVERDUE_ENFORCEMENT_OFF' && tag.taggedObjectType === 'ACCOUNT') await this.refreshWithFamily(tag.taggedObjectId, message.tenantRecordId);
    else await this.onWrittenOff(tag, message.tenantRecordId);
  }

  private async onWrittenOff(tag: TagEventPayload, tenantRecordId: number): Promise<void> {
    if (tag.tagDefinitionName !== 'WRITTEN_OFF' || tag.taggedObjectType !== 'INVOICE') return;
    const invoice = await tenantRepository(this.transactions.manager(), InvoiceRow, tenantRecordId).findOne({ where: { id: tag.taggedObjectId } });
    if (invoice) await this.refreshWithFamily(invoice.accountId, tenantRecordId);
  }

  private async refreshWithFamily(accountId: string, tenantRecordId: number): Promise<void> {
    await this.overdue.refresh(accountId);
    const account = await this.accounts.findById(accountId, tenantRecordId);
    if (account?.parentAccountId && account.isPaymentDelegatedToParent) await this.overdue.refresh(account.parentAccountId);
    const children = await tenantRepository(this.transactions.manager(), AccountRow, tenantRecordId).find({ where: { parentAccountId: accountId, isPaymentDelegatedToParent: true } });
    for (const child of children) await this.overdue.refresh(child.id);
  }
}
