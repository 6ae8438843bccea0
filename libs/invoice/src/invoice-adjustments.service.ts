import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { LocalDate, ZoneOffset } from '@js-joda/core';
import type { EntityManager } from 'typeorm';
import { instantOf } from '@kb/kernel';
import { Clock, InvalidRequestException, KillBillException, Locks, tenantRepository, Transactions } from '@kb/platform';
import { type AccountRow, AccountService } from '@kb/account';
import { accountCredit, rawInvoiceAmounts } from './engine/balances';
import type { InvoiceItemRecord } from './engine/model';
import { adjustableAmountOf, itemAdjustment } from './engine/item-adjustments';
import { InvoiceItemRow, InvoiceParentChildRow, InvoiceRow, InvoiceTrackingIdRow } from './invoice.entity';
import { accountLocalDate, type InvoiceItemInput, localDateOr } from './invoice-item-input';
import { InvoiceStore, type LoadedInvoice } from './invoice-store';
import { ChargedThroughDates } from './charged-through-dates';
import { chargedThroughDates } from './engine/generator';
import { InvoiceWriter } from './invoice-writer';

/**
 * What changes existing invoices through the API (Kill Bill's DefaultInvoiceUserApi and
 * DefaultInvoiceDao): item adjustments, commit and void, deleting a CBA item, re-running the credit,
 * moving a child account's credit to its parent. Each runs in one transaction under the account's lock.
 */
@Injectable()
export class InvoiceAdjustmentsService {
  constructor(
    private readonly locks: Locks,
    private readonly accounts: AccountService,
    private readonly store: InvoiceStore,
    private readonly writer: InvoiceWriter,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly chargedThroughDates: ChargedThroughDates,
  ) {}

  /**
   * POST /invoices/{invoiceId}: an ITEM_ADJ of `amount` (default: all that is left) on the item.
   * Returns the invoice id, or null when nothing is left to adjust (the resource answers 404).
   */
  async adjustItem(invoiceId: string, input: InvoiceItemInput | undefined, requestedDate: string | undefined): Promise<{ invoiceId: string } | null> {
    if (!input) throw new InvalidRequestException('InvoiceItemJson body should be specified');
    if (!input.accountId) throw new InvalidRequestException('InvoiceItemJson accountId needs to be set');
    if (!input.invoiceItemId) throw new InvalidRequestException('InvoiceItemJson invoiceItemId needs to be set');
    const { accountId, invoiceItemId } = input;
    if (input.amount && input.amount.lte(0)) throw new KillBillException('INVOICE_ITEM_ADJUSTMENT_AMOUNT_SHOULD_BE_POSITIVE', [input.amount]);
    return this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, accountId);
      const invoices = await this.store.forAccount(manager, account.tenantRecordId, account.id);
      const invoice = invoices.find((candidate) => candidate.row.id === invoiceId);
      if (!invoice) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
      if (invoice.row.status === 'VOID') throw new KillBillException('INVOICE_VOID_UPDATED', [invoiceId]);
      if (input.currency && input.currency !== invoice.row.currency) throw new KillBillException('CURRENCY_INVALID', [input.currency, invoice.row.currency]);
      const target = invoice.record.items.find((item) => item.id === invoiceItemId);
      if (!target) throw new KillBillException('INVOICE_ITEM_NOT_FOUND', [invoiceItemId]);
      const left = adjustableAmountOf(
        target,
        invoices.flatMap((loaded) => loaded.record.items),
      );
      if (input.amount && input.amount.gt(left)) throw new KillBillException('INVOICE_ITEM_ADJUSTMENT_AMOUNT_INVALID', [input.amount, left]);
      const amount = input.amount ?? left;
      if (amount.lte(0)) return null;
      const now = this.clock.now();
      const date = localDateOr(requestedDate, accountLocalDate(account, now), 'requestedDate');
      const adjustment = itemAdjustment(target, { id: randomUUID(), amount, date, description: input.description, itemDetails: input.itemDetails, now });
      await this.writer.addItems(manager, account, invoiceId, [adjustment]);
      return { invoiceId };
    });
  }

  /** PUT /invoices/{invoiceId}/commitInvoice: DRAFT → COMMITTED (same status or VOID: INVOICE_INVALID_STATUS). */
  async commit(invoiceId: string): Promise<void> {
    await this.withInvoiceLocked(invoiceId, async (manager, account, invoice) => {
      checkTransition(invoice.row, 'COMMITTED');
      await this.writer.commitInvoice(manager, account, invoice.row);
      await this.chargedThroughDates.set(account, chargedThroughDates(invoice.record.items));
    });
  }

  /**
   * PUT /invoices/{invoiceId}/voidInvoice: refused for an invoice that was paid, or (COMMITTED) repaired
   * by a later invoice or whose credit was partly used; the credit is settled again, the invoice's
   * usage tracking ids are released so that the usage is billed again.
   */
  async void(invoiceId: string): Promise<void> {
    await this.withInvoiceLocked(invoiceId, async (manager, account, invoice, invoices) => {
      checkTransition(invoice.row, 'VOID');
      if (invoice.row.status === 'COMMITTED') {
        const itemIds = new Set(invoice.record.items.map((item) => item.id));
        const repaired = invoices.some(
          (other) =>
            other.row.id !== invoiceId &&
            other.row.status !== 'VOID' &&
            other.record.items.some((item) => item.type === 'REPAIR_ADJ' && item.linkedItemId !== null && itemIds.has(item.linkedItemId)),
        );
        if (repaired) throw new KillBillException('CAN_NOT_VOID_INVOICE_THAT_IS_REPAIRED', [invoiceId]);
        const credit = accountCredit(invoices.map((loaded) => loaded.record));
        if (invoice.record.items.some((item) => item.type === 'CBA_ADJ' && item.amount.gt(0) && item.amount.gt(credit))) {
          throw new KillBillException('CAN_NOT_VOID_INVOICE_THAT_GENERATED_USED_CREDIT', [invoiceId]);
        }
      }
      const amounts = rawInvoiceAmounts(invoice.record);
      if (!amounts.paid.plus(amounts.refunded).eq(0)) throw new KillBillException('CAN_NOT_VOID_INVOICE_THAT_IS_PAID', [invoiceId]);
      await this.writer.changeStatus(manager, invoice.row, 'VOID');
      const trackingIds = tenantRepository(manager, InvoiceTrackingIdRow, account.tenantRecordId);
      for (const tracking of await trackingIds.find({ where: { invoiceId, isActive: true } })) {
        tracking.isActive = false;
        await trackingIds.save(tracking);
      }
      await this.writer.rebalanceCredit(manager, account, [invoiceId]);
    });
  }

  /**
   * DELETE /invoices/{invoiceId}/{invoiceItemId}/cba: a credit use is set to 0; a credit generated by a
   * credit (CREDIT_ADJ) is set to 0 with that credit, after taking back from other invoices what of
   * it was already used; a credit the system generated (a repair) cannot be deleted.
   */
  async deleteCba(accountId: string | undefined, invoiceId: string, itemId: string): Promise<void> {
    if (!accountId) throw new InvalidRequestException('accountId needs to be set');
    await this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, accountId);
      const invoices = await this.store.forAccount(manager, account.tenantRecordId, account.id);
      const invoice = invoices.find((candidate) => candidate.row.id === invoiceId);
      if (!invoice || invoice.row.migrated || invoice.row.status !== 'COMMITTED') throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
      const cba = invoice.itemRows.find((item) => item.id === itemId);
      if (!cba) throw new KillBillException('INVOICE_ITEM_NOT_FOUND', [itemId]);
      const items = tenantRepository(manager, InvoiceItemRow, account.tenantRecordId);
      const changed = new Set<string>();
      if (cba.amount.lt(0)) {
        await items.save(Object.assign(cba, { amount: new Big(0), description: 'Delete used credit' }));
        changed.add(invoiceId);
      } else if (cba.amount.gt(0)) {
        const credit = invoice.itemRows.find((item) => item.type === 'CREDIT_ADJ' && item.amount.neg().gte(cba.amount));
        if (!credit) throw new KillBillException('INVOICE_CBA_DELETED', [itemId]);
        const accountCba = accountCredit(invoices.map((loaded) => loaded.record));
        if (accountCba.lt(cba.amount)) await this.reclaimUsedCredit(manager, account, invoices, cba.amount.minus(accountCba), changed);
        const generated = cba.amount;
        await items.save(Object.assign(cba, { amount: new Big(0), description: 'Delete gen credit' }));
        await items.save(Object.assign(credit, { amount: credit.amount.plus(generated), itemDetails: 'Delete gen credit' }));
        changed.add(invoiceId);
      }
      await this.writer.announceAdjustments(account, [...changed]);
    });
  }

  /** PUT /accounts/{accountId}/cbaRebalancing: the account's credit pays its unpaid invoices. */
  async rebalance(accountId: string): Promise<void> {
    await this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, accountId);
      await this.writer.rebalanceCredit(manager, account, []);
    });
  }

  /**
   * PUT /accounts/{childAccountId}/transferCredit: the child's credit is used up by an external charge
   * on a COMMITTED invoice of its own, and given to the parent as a COMMITTED credit invoice linked to it.
   */
  async transferCreditToParent(childAccountId: string): Promise<void> {
    await this.locks.withAccountLock(childAccountId, async (manager) => {
      const child = await this.accounts.requireById(manager, childAccountId);
      if (!child.parentAccountId) throw new KillBillException('ACCOUNT_DOES_NOT_HAVE_PARENT_ACCOUNT', [childAccountId]);
      const credit = accountCredit((await this.store.forAccount(manager, child.tenantRecordId, child.id)).map((loaded) => loaded.record));
      if (credit.lte(0)) throw new KillBillException('CHILD_ACCOUNT_MISSING_CREDIT', [childAccountId]);
      const parent = await this.accounts.lockedAccount(manager, child.parentAccountId);
      const now = this.clock.now();
      const utcToday = LocalDate.ofInstant(instantOf(now), ZoneOffset.UTC);
      const currency = child.currency ?? parent.currency ?? '';
      const childInvoiceId = randomUUID();
      const parentInvoiceId = randomUUID();
      const item = (invoiceId: string, accountId: string, fields: Partial<InvoiceItemRecord>): InvoiceItemRecord => ({
        ...transferItem(invoiceId, accountId, currency, utcToday, now),
        ...fields,
      });
      await this.writer.createInvoice(
        manager,
        child,
        { id: childInvoiceId, invoiceDate: accountLocalDate(child, now), targetDate: utcToday, currency, status: 'COMMITTED' },
        [item(childInvoiceId, child.id, { type: 'EXTERNAL_CHARGE', description: 'Charge to move credit from child to parent account', amount: credit })],
      );
      await this.writer.createInvoice(
        manager,
        parent,
        { id: parentInvoiceId, invoiceDate: accountLocalDate(parent, now), targetDate: utcToday, currency, status: 'COMMITTED' },
        [item(parentInvoiceId, parent.id, { type: 'CREDIT_ADJ', description: `Credit migrated from child account ${child.id}`, amount: credit.neg() })],
      );
      const links = tenantRepository(manager, InvoiceParentChildRow, parent.tenantRecordId);
      await links.save(links.create({ id: randomUUID(), parentInvoiceId, childInvoiceId, childAccountId: child.id, accountRecordId: parent.recordId }));
    });
  }

  /** Takes back `amount` of used credit: negative CBA items of the account's COMMITTED invoices, newest first, shrink toward 0. */
  private async reclaimUsedCredit(
    manager: EntityManager,
    account: AccountRow,
    invoices: readonly LoadedInvoice[],
    amount: Big,
    changed: Set<string>,
  ): Promise<void> {
    const items = tenantRepository(manager, InvoiceItemRow, account.tenantRecordId);
    let left = amount;
    for (const invoice of [...invoices].reverse().filter((candidate) => candidate.row.status === 'COMMITTED')) {
      for (const used of [...invoice.itemRows].reverse().filter((item) => item.type === 'CBA_ADJ' && item.amount.lt(0))) {
        if (left.lte(0)) return;
        const taken = used.amount.neg().gt(left) ? left : used.amount.neg();
        await items.save(Object.assign(used, { amount: used.amount.plus(taken) }));
        left = left.minus(taken);
        changed.add(invoice.row.id);
      }
    }
  }

  /** Finds the invoice (404 INVOICE_NOT_FOUND), locks its account, and hands over the account's invoices as they are under the lock. */
  private async withInvoiceLocked(
    invoiceId: string,
    work: (manager: EntityManager, account: AccountRow, invoice: LoadedInvoice, invoices: LoadedInvoice[]) => Promise<void>,
  ): Promise<void> {
    const found = await tenantRepository(this.transactions.manager(), InvoiceRow).findOne({ where: { id: invoiceId } });
    if (!found) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
    await this.locks.withAccountLock(found.accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, found.accountId);
      const invoices = await this.store.forAccount(manager, account.tenantRecordId, account.id);
      const invoice = invoices.find((candidate) => candidate.row.id === invoiceId);
      if (!invoice) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
      await work(manager, account, invoice, invoices);
    });
  }
}

/** Kill Bill's changeInvoiceStatus: the same status again, or anything from VOID, is INVOICE_INVALID_STATUS. */
function checkTransition(invoice: InvoiceRow, status: 'COMMITTED' | 'VOID'): void {
  if (invoice.status === status || invoice.status === 'VOID') throw new KillBillException('INVOICE_INVALID_STATUS', [status, invoice.id, invoice.status]);
}

function transferItem(invoiceId: string, accountId: string, currency: string, day: LocalDate, now: Date): InvoiceItemRecord {
  return {
    id: randomUUID(),
    invoiceId,
    accountId,
    childAccountId: null,
    type: 'EXTERNAL_CHARGE',
    bundleId: null,
    subscriptionId: null,
    description: null,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: day,
    endDate: day,
    amount: new Big(0),
    rate: null,
    currency: currency as InvoiceItemRecord['currency'],
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: now,
  };
}
