import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LocalDate, ZoneOffset } from '@js-joda/core';
import type Big from 'big.js';
import type { EntityManager } from 'typeorm';
import { instantOf } from '@kb/kernel';
import { Clock, insertManyLikeSave, Queues, tenantRepository } from '@kb/platform';
import { computeCredit } from './engine/credit';
import { rawInvoiceAmounts } from './engine/balances';
import type { InvoiceItemRecord, InvoiceStatus } from './engine/model';
import { InvoiceItemRow, InvoiceRow } from './invoice.entity';
import { InvoiceAdjustment, InvoiceCreation } from './invoice-events';
import { type LoadedInvoice, InvoiceStore, loadedInvoiceOf, toItemRecord } from './invoice-store';

/** The account an invoice write is for (an AccountRow fits). */
export interface InvoiceAccount {
  readonly id: string;
  readonly recordId: number;
  readonly tenantRecordId: number;
}

/** The invoice row to create (its number is the record id the database gives it). */
export interface NewInvoice {
  readonly id: string;
  /** The account-local day it is created on. */
  readonly invoiceDate: LocalDate;
  readonly targetDate: LocalDate | null;
  readonly currency: string;
  readonly status: InvoiceStatus;
  readonly migrated?: boolean;
  readonly parentInvoice?: boolean;
  /** The group of invoices one run produced (the first invoice's id); defaults to the invoice's own id. */
  readonly grpId?: string | null;
}

export interface InvoiceWrite {
  /** The rows of the caller's items, in its order. */
  readonly items: readonly InvoiceItemRow[];
  /** The CBA items the credit engine added, on any invoice of the account. */
  readonly creditItems: readonly InvoiceItemRow[];
}

export interface RebalanceOptions {
  /** Invoices this change created or committed: announced with INVOICE_CREATION instead of INVOICE_ADJUSTMENT. */
  readonly createdInvoiceIds?: readonly string[];
  /** Every invoice of the account as it now is in this transaction (the caller's, kept up to date): not read again. */
  readonly invoices?: readonly LoadedInvoice[];
}

/**
 * The one way invoices and their items are written (Kill Bill's DefaultInvoiceDao#createInvoices with
 * its CBA step): rows through the transaction's `save()` (so history and audit are written with them),
 * then the account credit settled over every invoice of the account, then the bus events, all in the
 * caller's transaction. The caller holds the account's lock: `Locks.withAccountLock(accountId, (manager) => …)`.
 *
 * Events: INVOICE_CREATION for each created (or just committed) invoice that is COMMITTED; INVOICE_ADJUSTMENT
 * for every other invoice the change touched (given as changed, or settled by the credit engine) that is
 * COMMITTED, or VOID (only a void makes a VOID invoice change). DRAFT invoices announce nothing.
 */
@Injectable()
export class InvoiceWriter {
  constructor(
    private readonly store: InvoiceStore,
    private readonly queues: Queues,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes a new invoice with its items (their `invoiceId` must be the invoice's), settles the credit, announces it.
   * `existing`: every invoice of the account as the caller loaded it in this transaction, unchanged since; the
   * credit step then reads them and the new one from memory instead of reloading the account's invoices.
   */
  async createInvoice(
    manager: EntityManager,
    account: InvoiceAccount,
    invoice: NewInvoice,
    items: readonly InvoiceItemRecord[],
    existing?: readonly LoadedInvoice[],
  ): Promise<InvoiceWrite> {
    const row = tenantRepository(manager, InvoiceRow, account.tenantRecordId).create({
      id: invoice.id,
      accountId: account.id,
      accountRecordId: account.recordId,
      invoiceDate: invoice.invoiceDate,
      targetDate: invoice.targetDate,
      currency: invoice.currency,
      status: invoice.status,
      migrated: invoice.migrated ?? false,
      parentInvoice: invoice.parentInvoice ?? false,
      grpId: invoice.grpId ?? invoice.id,
    });
    await tenantRepository(manager, InvoiceRow, account.tenantRecordId).save(row);
    const written = await this.insertItems(manager, account, invoice.id, items);
    const invoices = existing && [...existing, loadedInvoiceOf(row, written, [], false)];
    const creditItems = await this.rebalanceCredit(manager, account, [invoice.id], { createdInvoiceIds: [invoice.id], invoices });
    return { items: written, creditItems };
  }

  /**
   * Adds items to an existing invoice of the account (any status: the caller checks what it allows), settles the credit, announces the change.
   * `existing`: as for createInvoice (the invoice added to among them).
   */
  async addItems(
    manager: EntityManager,
    account: InvoiceAccount,
    invoiceId: string,
    items: readonly InvoiceItemRecord[],
    existing?: readonly LoadedInvoice[],
  ): Promise<InvoiceWrite> {
    const written = await this.insertItems(manager, account, invoiceId, items);
    const invoices = existing?.map((invoice) =>
      invoice.row.id === invoiceId
        ? { ...invoice, itemRows: [...invoice.itemRows, ...written], record: { ...invoice.record, items: [...invoice.record.items, ...written.map(toItemRecord)] } }
        : invoice,
    );
    if (invoices && !invoices.some((invoice) => invoice.row.id === invoiceId)) throw new Error(`Invoice ${invoiceId} is not among the account's invoices given`);
    const creditItems = await this.rebalanceCredit(manager, account, [invoiceId], { invoices });
    return { items: written, creditItems };
  }

  /** Turns a DRAFT invoice COMMITTED: its credit is settled and it is announced as created (what payments react to). */
  async commitInvoice(manager: EntityManager, account: InvoiceAccount, invoice: InvoiceRow): Promise<InvoiceWrite> {
    await this.changeStatus(manager, invoice, 'COMMITTED');
    const creditItems = await this.rebalanceCredit(manager, account, [], { createdInvoiceIds: [invoice.id] });
    return { items: [], creditItems };
  }

  /**
   * Sets an existing item's amount (Kill Bill's updateInvoiceItemAmount: a parent's PARENT_SUMMARY as
   * its children are billed), through `save()` so its history and audit rows are written. Like Kill
   * Bill, neither the credit nor the bus hears of it: the caller does what its invoice's status needs.
   */
  async updateItemAmount(manager: EntityManager, item: InvoiceItemRow, amount: Big): Promise<InvoiceItemRow> {
    item.amount = amount;
    return tenantRepository(manager, InvoiceItemRow, item.tenantRecordId).save(item);
  }

  /** Saves a new status (DRAFT → COMMITTED, → VOID); the caller has checked the transition and settles the credit after. */
  async changeStatus(manager: EntityManager, invoice: InvoiceRow, status: InvoiceStatus): Promise<void> {
    invoice.status = status;
    await tenantRepository(manager, InvoiceRow, invoice.tenantRecordId).save(invoice);
  }

  /**
   * Settles the account's credit after a change to `changedInvoiceIds` (none: only the unpaid invoices
   * use the remaining credit, Kill Bill's cbaRebalancing), writes the CBA items and posts the events.
   * Returns the CBA items written.
   */
  async rebalanceCredit(manager: EntityManager, account: InvoiceAccount, changedInvoiceIds: readonly string[], options: RebalanceOptions = {}): Promise<InvoiceItemRow[]> {
    const created = options.createdInvoiceIds ?? [];
    const invoices = options.invoices ?? (await this.store.forAccount(manager, account.tenantRecordId, account.id));
    const parents = await this.store.parentInvoicesOf(
      manager,
      account.tenantRecordId,
      invoices.filter((invoice) => !invoice.row.parentInvoice).map((invoice) => invoice.row.id),
    );
    const now = this.clock.now();
    const credit = computeCredit({
      parents: new Map([...parents].map(([childInvoiceId, parent]) => [childInvoiceId, parent.record])),
      invoices: invoices.map((invoice) => invoice.record),
      changedInvoiceIds,
      newInvoiceIds: created,
      today: LocalDate.ofInstant(instantOf(now), ZoneOffset.UTC),
      newItemId: randomUUID,
      now,
    });
    const creditItems: InvoiceItemRow[] = [];
    for (const item of credit.items) creditItems.push(await this.saveItem(manager, account, item));

    const byId = new Map(invoices.map((invoice) => [invoice.row.id, invoice]));
    for (const id of created) {
      const invoice = byId.get(id);
      if (invoice?.row.status === 'COMMITTED') await this.announceCreation(account, invoice, credit.items);
    }
    const adjusted = new Set([...changedInvoiceIds.filter((id) => ['COMMITTED', 'VOID'].includes(byId.get(id)?.row.status ?? '')), ...credit.adjustedInvoiceIds]);
    await this.announceAdjustments(
      account,
      [...adjusted].filter((id) => !created.includes(id)),
    );
    return creditItems;
  }

  /** INVOICE_ADJUSTMENT for invoices changed outside the credit settling (a deleted CBA item). */
  async announceAdjustments(account: InvoiceAccount, invoiceIds: readonly string[]): Promise<void> {
    for (const invoiceId of invoiceIds) {
      await this.queues.post(InvoiceAdjustment, { invoiceId, accountId: account.id }, { accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId });
    }
  }

  /** The items in one bulk write (rows, history and audit rows as save() writes them): an invoice of 30,000 bundles is one call. */
  private async insertItems(manager: EntityManager, account: InvoiceAccount, invoiceId: string, items: readonly InvoiceItemRecord[]): Promise<InvoiceItemRow[]> {
    const rows = items.map((item) => {
      if (item.invoiceId !== invoiceId || item.accountId !== account.id) {
        throw new Error(`Item ${item.id} is not of invoice ${invoiceId} of account ${account.id}`);
      }
      return itemRowOf(item, account);
    });
    return insertManyLikeSave(manager, InvoiceItemRow, rows, this.clock);
  }

  private async saveItem(manager: EntityManager, account: InvoiceAccount, item: InvoiceItemRecord): Promise<InvoiceItemRow> {
    const items = tenantRepository(manager, InvoiceItemRow, account.tenantRecordId);
    return items.save(items.create({ ...item, currency: item.currency, accountRecordId: account.recordId }));
  }

  /** INVOICE_CREATION with what the invoice owes once the credit is settled (what a payment collects). */
  private async announceCreation(account: InvoiceAccount, invoice: LoadedInvoice, creditItems: readonly InvoiceItemRecord[]): Promise<void> {
    const items = [...invoice.record.items, ...creditItems.filter((item) => item.invoiceId === invoice.row.id)];
    const owed = rawInvoiceAmounts({ items, payments: invoice.record.payments }).rawBalance;
    await this.queues.post(
      InvoiceCreation,
      { invoiceId: invoice.row.id, accountId: account.id, amountOwed: owed.toString(), currency: invoice.row.currency },
      { accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId },
    );
  }
}

/**
 * A new item row of the account's tenant holding the record's columns, as `create({ ...item, tenantRecordId,
 * accountRecordId })` builds it (a value left undefined is not set), without copying each item twice through
 * TypeORM's transformer: an invoice of 30,000 items builds 30,000 of them.
 */
function itemRowOf(item: InvoiceItemRecord, account: InvoiceAccount): InvoiceItemRow {
  const row = new InvoiceItemRow();
  const fields: Partial<InvoiceItemRow> = {
    id: item.id,
    createdDate: item.createdDate,
    tenantRecordId: account.tenantRecordId,
    accountRecordId: account.recordId,
    type: item.type,
    invoiceId: item.invoiceId,
    accountId: item.accountId,
    childAccountId: item.childAccountId,
    bundleId: item.bundleId,
    subscriptionId: item.subscriptionId,
    description: item.description,
    productName: item.productName,
    planName: item.planName,
    phaseName: item.phaseName,
    usageName: item.usageName,
    catalogEffectiveDate: item.catalogEffectiveDate,
    startDate: item.startDate,
    endDate: item.endDate,
    amount: item.amount,
    rate: item.rate,
    currency: item.currency,
    linkedItemId: item.linkedItemId,
    quantity: item.quantity,
    itemDetails: item.itemDetails,
  };
  for (const key in fields) {
    const value = fields[key as keyof InvoiceItemRow];
    if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
  }
  return row;
}
