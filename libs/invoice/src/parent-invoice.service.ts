import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { LocalDate, LocalTime, ZoneOffset } from '@js-joda/core';
import type { EntityManager } from 'typeorm';
import { type Currency, instantOf, toJsDate } from '@kb/kernel';
import { AccountRow, AccountService } from '@kb/account';
import { Clock, Locks, OnBusEvent, OnNotification, type QueueMessage, Queues, tenantRepository, Transactions } from '@kb/platform';
import { childInvoiceAmount, opensNoParentDraft, rawInvoiceAmounts } from './engine/balances';
import type { InvoiceItemRecord } from './engine/model';
import { InvoiceParentChildRow, InvoiceRow } from './invoice.entity';
import {
  InvoiceAdjustment,
  type InvoiceAdjustmentPayload,
  InvoiceCreation,
  type InvoiceCreationPayload,
  ParentInvoiceCommitQueue,
  type ParentInvoiceCommitNotification,
} from './invoice-events';
import { InvoiceConfig } from './invoice-config';
import { accountLocalDate } from './invoice-item-input';
import { type LoadedInvoice, InvoiceStore } from './invoice-store';
import { InvoiceWriter } from './invoice-writer';

/**
 * Kill Bill's hierarchical accounts in invoicing (InvoiceDispatcher#processParentInvoiceForInvoiceGeneration
 * and #processParentInvoiceForAdjustments, ParentInvoiceCommitmentNotifier): the invoices of a child
 * account that delegates its payments are summarised, one PARENT_SUMMARY item per child, on its parent's
 * DRAFT parent invoice, which a notification commits at the configured UTC time of its day. Every change
 * of a parent invoice runs under the PARENT's account lock.
 */
@Injectable()
export class ParentInvoiceService {
  private readonly logger = new Logger(ParentInvoiceService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly clock: Clock,
    private readonly queues: Queues,
    private readonly config: InvoiceConfig,
    private readonly accounts: AccountService,
    private readonly store: InvoiceStore,
    private readonly writer: InvoiceWriter,
  ) {}

  /** A COMMITTED invoice of a delegating child: its amount goes on the parent's DRAFT parent invoice. */
  @OnBusEvent(InvoiceCreation)
  async onInvoiceCreation(message: QueueMessage<InvoiceCreationPayload>): Promise<void> {
    const child = await this.delegatingChild(message.payload.accountId, message.tenantRecordId);
    if (!child) return;
    await this.locks.withAccountLock(child.parentAccountId, (manager) => this.summarise(manager, child, message.payload.invoiceId));
  }

  /** A child invoice changed: its latest item adjustment is carried to its parent invoice. */
  @OnBusEvent(InvoiceAdjustment)
  async onInvoiceAdjustment(message: QueueMessage<InvoiceAdjustmentPayload>): Promise<void> {
    const child = await this.delegatingChild(message.payload.accountId, message.tenantRecordId);
    if (!child) return;
    await this.locks.withAccountLock(child.parentAccountId, (manager) => this.propagateAdjustment(manager, child, message.payload.invoiceId));
  }

  /** The commit time came: the parent draft is committed (INVOICE_CREATION follows), unless already committed or voided. */
  @OnNotification(ParentInvoiceCommitQueue)
  async onCommitDue(message: QueueMessage<ParentInvoiceCommitNotification>): Promise<void> {
    const { accountId, invoiceId } = message.payload;
    await this.locks.withAccountLock(accountId, async (manager) => {
      const invoice = await tenantRepository(manager, InvoiceRow, message.tenantRecordId).findOne({ where: { id: invoiceId } });
      if (!invoice || invoice.status !== 'DRAFT') return;
      const parent = await this.accounts.requireById(manager, invoice.accountId);
      await this.writer.commitInvoice(manager, parent, invoice);
    });
  }

  private async summarise(manager: EntityManager, child: DelegatingChild, childInvoiceId: string): Promise<void> {
    const tenantRecordId = child.tenantRecordId;
    const links = tenantRepository(manager, InvoiceParentChildRow, tenantRecordId);
    // A redelivered event, or a credit transfer that linked its invoices itself.
    if (await links.exists({ where: { childInvoiceId } })) return;
    const [childInvoice] = await this.store.byIds(manager, tenantRecordId, [childInvoiceId]);
    if (!childInvoice || childInvoice.row.status !== 'COMMITTED') return;
    const parent = await this.accounts.requireById(manager, child.parentAccountId);
    const amount = childInvoiceAmount(childInvoice.record);
    const draft = await this.parentDraftOf(manager, parent);
    let parentInvoiceId: string;
    if (draft) {
      parentInvoiceId = draft.row.id;
      const summary = draft.itemRows.find((item) => item.type === 'PARENT_SUMMARY' && item.childAccountId === child.id);
      if (summary) await this.writer.updateItemAmount(manager, summary, summary.amount.plus(amount));
      else await this.writer.addItems(manager, parent, parentInvoiceId, [summaryItem(parentInvoiceId, parent, child, amount, draft.row.invoiceDate, this.clock.now())]);
    } else {
      if (opensNoParentDraft(childInvoice.record, amount)) return;
      parentInvoiceId = randomUUID();
      const now = this.clock.now();
      const invoiceDate = accountLocalDate(parent, now);
      await this.writer.createInvoice(
        manager,
        parent,
        { id: parentInvoiceId, invoiceDate, targetDate: null, currency: childCurrency(child, parent), status: 'DRAFT', parentInvoice: true },
        [summaryItem(parentInvoiceId, parent, child, amount, invoiceDate, now)],
      );
      await this.queues.schedule(
        ParentInvoiceCommitQueue,
        this.commitTime(now),
        { accountId: parent.id, invoiceId: parentInvoiceId },
        { accountRecordId: parent.recordId, tenantRecordId },
      );
    }
    await links.save(links.create({ id: randomUUID(), parentInvoiceId, childInvoiceId, childAccountId: child.id, accountRecordId: parent.recordId }));
  }

  /**
   * Kill Bill's processParentInvoiceForAdjustments: the child invoice's latest ITEM_ADJ raises (it is
   * negative) the PARENT_SUMMARY of a DRAFT parent, or becomes an ITEM_ADJ of that summary on a
   * COMMITTED one; a parent that owes nothing (paid) is left alone.
   */
  private async propagateAdjustment(manager: EntityManager, child: DelegatingChild, childInvoiceId: string): Promise<void> {
    const tenantRecordId = child.tenantRecordId;
    const [childInvoice] = await this.store.byIds(manager, tenantRecordId, [childInvoiceId]);
    if (!childInvoice || childInvoice.row.parentInvoice) return;
    const parentInvoice = (await this.store.parentInvoicesOf(manager, tenantRecordId, [childInvoiceId])).get(childInvoiceId);
    // Kill Bill answers INVOICE_MISSING_PARENT_INVOICE and the bus retries for ever: an invoice that opened no parent draft has nothing to carry.
    if (!parentInvoice) {
      this.logger.debug(`Child invoice ${childInvoiceId} has no parent invoice: adjustment not propagated`);
      return;
    }
    if (parentInvoice.row.status === 'VOID' || parentInvoice.row.migrated || rawInvoiceAmounts(parentInvoice.record).rawBalance.eq(0)) return;
    const summary = parentInvoice.itemRows.find((item) => item.type === 'PARENT_SUMMARY' && item.childAccountId === childInvoice.row.accountId);
    const adjustment = latestItemAdjustment(childInvoice);
    if (!summary || !adjustment) return;
    if (parentInvoice.row.status === 'DRAFT') {
      await this.writer.updateItemAmount(manager, summary, summary.amount.plus(adjustment.amount));
      return;
    }
    // The parent's ITEM_ADJ carries the child's creation instant (as in Kill Bill): a second event about the same adjustment adds nothing.
    const carried = parentInvoice.itemRows.some(
      (item) => item.type === 'ITEM_ADJ' && item.linkedItemId === summary.id && item.createdDate.getTime() === adjustment.createdDate.getTime(),
    );
    if (carried) return;
    const parent = await this.accounts.requireById(manager, parentInvoice.row.accountId);
    await this.writer.addItems(manager, parent, parentInvoice.row.id, [
      {
        ...summaryItem(parentInvoice.row.id, parent, child, adjustment.amount, adjustment.startDate, adjustment.createdDate),
        type: 'ITEM_ADJ',
        childAccountId: null,
        description: `Adjustment for account ${child.externalKey}`,
        endDate: adjustment.startDate,
        currency: parentInvoice.row.currency as Currency,
        linkedItemId: summary.id,
      },
    ]);
  }

  /** The parent's DRAFT parent invoice (Kill Bill keeps one at a time; the latest if several). */
  private async parentDraftOf(manager: EntityManager, parent: AccountRow): Promise<LoadedInvoice | undefined> {
    const row = await tenantRepository(manager, InvoiceRow, parent.tenantRecordId).findOne({
      where: { accountId: parent.id, status: 'DRAFT', parentInvoice: true },
      order: { recordId: 'DESC' },
    });
    if (!row) return undefined;
    return (await this.store.withDetails(manager, parent.tenantRecordId, [row]))[0];
  }

  /** `org.killbill.invoice.parent.commit.local.utc.time` of today (UTC), or of the next day once past. */
  private commitTime(now: Date): Date {
    const time = LocalTime.parse(this.config.parentCommitUtcTime.trim());
    let day = LocalDate.ofInstant(instantOf(now), ZoneOffset.UTC);
    const at = (date: LocalDate) => toJsDate(date.atTime(time).toInstant(ZoneOffset.UTC));
    while (at(day).getTime() < now.getTime()) day = day.plusDays(1);
    return at(day);
  }

  private async delegatingChild(accountId: string, tenantRecordId: number): Promise<DelegatingChild | null> {
    const account = await tenantRepository(this.transactions.manager(), AccountRow, tenantRecordId).findOne({ where: { id: accountId } });
    if (!account?.parentAccountId || !account.isPaymentDelegatedToParent) return null;
    return account as DelegatingChild;
  }
}

type DelegatingChild = AccountRow & { readonly parentAccountId: string };

function childCurrency(child: AccountRow, parent: AccountRow): string {
  return child.currency ?? parent.currency ?? '';
}

/** The child invoice's ITEM_ADJ created last (Kill Bill's lastChildInvoiceItemAdjustment). */
function latestItemAdjustment(invoice: LoadedInvoice): InvoiceItemRecord | undefined {
  return invoice.record.items
    .filter((item) => item.type === 'ITEM_ADJ')
    .reduce<InvoiceItemRecord | undefined>((latest, item) => (!latest || item.createdDate.getTime() >= latest.createdDate.getTime() ? item : latest), undefined);
}

/** A PARENT_SUMMARY item: "<childExternalKey> summary", dated on the parent invoice's day (Kill Bill leaves it undated). */
function summaryItem(invoiceId: string, parent: AccountRow, child: AccountRow, amount: Big, day: LocalDate, now: Date): InvoiceItemRecord {
  return {
    id: randomUUID(),
    invoiceId,
    accountId: parent.id,
    childAccountId: child.id,
    type: 'PARENT_SUMMARY',
    bundleId: null,
    subscriptionId: null,
    description: `${child.externalKey} summary`,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: day,
    endDate: null,
    amount: new Big(amount),
    rate: null,
    currency: childCurrency(child, parent) as Currency,
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: now,
  };
}
