import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import type { LocalDate } from '@js-joda/core';
import type { EntityManager } from 'typeorm';
import type { Currency } from '@kb/kernel';
import { Clock, IllegalStateError, InvalidRequestException, KillBillException, Locks, tenantRepository, Transactions } from '@kb/platform';
import { type AccountRow, AccountService } from '@kb/account';
import { INVOICE_ITEM_TYPES, type InvoiceItemRecord, type InvoiceItemType } from './engine/model';
import { InvoiceItemRow, InvoiceRow } from './invoice.entity';
import { accountLocalDate, type InvoiceItemInput, localDateOr } from './invoice-item-input';
import { InvoiceWriter } from './invoice-writer';

/** The items the API adds to invoices: external charges, taxes, credits. */
export type ApiItemKind = 'EXTERNAL_CHARGE' | 'TAX' | 'CREDIT_ADJ';

export interface ApiItemOptions {
  /** `yyyy-MM-dd`; default the account's today. */
  readonly requestedDate?: string;
  readonly autoCommit: boolean;
}

/**
 * Kill Bill's DefaultInvoiceUserApi#insertExternalCharges / insertTaxItems / insertCredits and
 * createMigrationInvoice: items without an invoice go together on one new invoice (COMMITTED with
 * autoCommit, else DRAFT), items with one are added to that DRAFT invoice. One transaction under the
 * account's lock; every check is made before anything is written.
 */
@Injectable()
export class InvoiceChargesService {
  constructor(
    private readonly locks: Locks,
    private readonly accounts: AccountService,
    private readonly writer: InvoiceWriter,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
  ) {}

  /** POST /credits: the account is the first item's; amounts are positive in the request, stored negative. */
  async insertCredits(inputs: readonly InvoiceItemInput[] | undefined, options: ApiItemOptions): Promise<InvoiceItemRow[]> {
    if (!inputs || inputs.length === 0) throw new InvalidRequestException('CreditJson body should be specified');
    const accountId = inputs[0].accountId;
    if (!accountId) throw new InvalidRequestException('CreditJson accountId needs to be set');
    if (inputs[0].amount === undefined || inputs[0].amount === null) throw new InvalidRequestException('CreditJson creditAmount needs to be set');
    return this.insertItems('CREDIT_ADJ', accountId, inputs, options);
  }

  /** POST /invoices/charges/{accountId} and /invoices/taxes/{accountId}. */
  async insertItems(kind: ApiItemKind, accountId: string, inputs: readonly InvoiceItemInput[] | undefined, options: ApiItemOptions): Promise<InvoiceItemRow[]> {
    if (!inputs || inputs.length === 0) throw new InvalidRequestException('Body should be specified');
    return this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, accountId);
      const currency = accountCurrency(account, inputs);
      const now = this.clock.now();
      const today = accountLocalDate(account, now);
      const requestedDate = localDateOr(options.requestedDate, today, 'requestedDate');
      const existing = new Map<string, InvoiceRow>();
      const newInvoiceId = randomUUID();
      const planned: InvoiceItemRecord[] = [];
      for (const input of inputs) {
        checkAmount(kind, input.amount);
        const invoiceId = input.invoiceId ? (await this.draftInvoice(manager, account, input.invoiceId, existing)).id : newInvoiceId;
        planned.push(apiItem(kind, input, { invoiceId, accountId, currency, requestedDate, now }));
      }
      const written = new Map<string, InvoiceItemRow>();
      const onNewInvoice = planned.filter((item) => item.invoiceId === newInvoiceId);
      if (onNewInvoice.length > 0) {
        const invoice = { id: newInvoiceId, invoiceDate: today, targetDate: requestedDate, currency, status: options.autoCommit ? ('COMMITTED' as const) : ('DRAFT' as const) };
        for (const row of (await this.writer.createInvoice(manager, account, invoice, onNewInvoice)).items) written.set(row.id, row);
      }
      for (const invoiceId of existing.keys()) {
        const items = planned.filter((item) => item.invoiceId === invoiceId);
        for (const row of (await this.writer.addItems(manager, account, invoiceId, items)).items) written.set(row.id, row);
      }
      return planned.map((item) => written.get(item.id)!);
    });
  }

  /** GET /credits/{creditId}: a CREDIT_ADJ item of the tenant, or 404 INVOICE_NO_SUCH_CREDIT. */
  async getCredit(creditId: string): Promise<InvoiceItemRow> {
    const item = await tenantRepository(this.transactions.manager(), InvoiceItemRow).findOne({ where: { id: creditId, type: 'CREDIT_ADJ' } });
    if (!item) throw new KillBillException('INVOICE_NO_SUCH_CREDIT', [creditId]);
    return item;
  }

  /** POST /invoices/migration/{accountId}: a COMMITTED invoice flagged migrated (its balance reads 0) with the items as given. */
  async createMigrationInvoice(accountId: string, inputs: readonly InvoiceItemInput[] | undefined, targetDate: string | undefined): Promise<{ invoiceId: string }> {
    if (!inputs || inputs.length === 0) throw new InvalidRequestException('Body should be specified');
    return this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, accountId);
      const currency = accountCurrency(account, inputs);
      const now = this.clock.now();
      const today = accountLocalDate(account, now);
      const invoiceId = randomUUID();
      const items = inputs.map((input) => migratedItem(input, { invoiceId, accountId, currency, requestedDate: today, now }));
      const invoice = { id: invoiceId, invoiceDate: today, targetDate: localDateOr(targetDate, today, 'targetDate'), currency, status: 'COMMITTED' as const, migrated: true };
      await this.writer.createInvoice(manager, account, invoice, items);
      return { invoiceId };
    });
  }

  /** An invoice items are added to must be of the account and DRAFT (Kill Bill: COMMITTED is 4024, VOID an IllegalStateException). */
  private async draftInvoice(manager: EntityManager, account: AccountRow, invoiceId: string, seen: Map<string, InvoiceRow>): Promise<InvoiceRow> {
    const known = seen.get(invoiceId);
    if (known) return known;
    const invoice = await tenantRepository(manager, InvoiceRow, account.tenantRecordId).findOne({ where: { id: invoiceId } });
    if (!invoice || invoice.accountId !== account.id) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
    if (invoice.status === 'COMMITTED') throw new KillBillException('INVOICE_ALREADY_COMMITTED', [invoiceId]);
    if (invoice.status === 'VOID') throw new IllegalStateError(`Cannot add credit or external charge for invoice id ${invoiceId} because it is in VOID status`);
    seen.set(invoiceId, invoice);
    return invoice;
  }
}

/** Every item is in the account's currency (CURRENCY_INVALID otherwise); the account must have one. */
function accountCurrency(account: AccountRow, inputs: readonly InvoiceItemInput[]): Currency {
  if (!account.currency) throw new InvalidRequestException(`Account ${account.id} has no currency`);
  for (const input of inputs) {
    if (input.currency && input.currency !== account.currency) throw new KillBillException('CURRENCY_INVALID', [input.currency, account.currency]);
  }
  return account.currency as Currency;
}

function checkAmount(kind: ApiItemKind, amount: Big | null | undefined): void {
  if (kind === 'EXTERNAL_CHARGE' && (!amount || amount.lt(0))) throw new KillBillException('EXTERNAL_CHARGE_AMOUNT_INVALID', [amount ?? null]);
  // Kill Bill's message says "should be positive"; a zero credit is let through, as there.
  if (kind === 'CREDIT_ADJ' && (!amount || amount.lt(0))) throw new KillBillException('CREDIT_AMOUNT_INVALID', [amount ?? null]);
  if (kind === 'TAX' && !amount) throw new InvalidRequestException('TAX item amount needs to be set');
}

interface ItemContext {
  readonly invoiceId: string;
  readonly accountId: string;
  readonly currency: Currency;
  readonly requestedDate: LocalDate;
  readonly now: Date;
}

function blankItem(type: InvoiceItemType, context: ItemContext): InvoiceItemRecord {
  return {
    id: randomUUID(),
    invoiceId: context.invoiceId,
    accountId: context.accountId,
    childAccountId: null,
    type,
    bundleId: null,
    subscriptionId: null,
    description: null,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: context.requestedDate,
    endDate: null,
    amount: new Big(0),
    rate: null,
    currency: context.currency,
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: context.now,
  };
}

/** The stored item of an API charge, tax or credit (which fields each keeps is Kill Bill's). */
function apiItem(kind: ApiItemKind, input: InvoiceItemInput, context: ItemContext): InvoiceItemRecord {
  const base = blankItem(kind, context);
  const amount = input.amount!;
  const startDate = localDateOr(input.startDate, context.requestedDate, 'startDate');
  switch (kind) {
    case 'EXTERNAL_CHARGE':
      return {
        ...base,
        bundleId: input.bundleId ?? null,
        subscriptionId: input.subscriptionId ?? null,
        productName: input.productName ?? null,
        planName: input.planName ?? null,
        phaseName: input.phaseName ?? null,
        description: input.description ?? null,
        startDate,
        endDate: input.endDate ? localDateOr(input.endDate, startDate, 'endDate') : null,
        amount,
        rate: input.rate ?? null,
        linkedItemId: input.linkedInvoiceItemId ?? null,
        quantity: input.quantity ?? null,
        itemDetails: input.itemDetails ?? null,
      };
    case 'TAX':
      return { ...base, bundleId: input.bundleId ?? null, description: input.description ?? null, startDate, amount };
    case 'CREDIT_ADJ':
      return {
        ...base,
        description: input.description ?? null,
        endDate: context.requestedDate,
        amount: amount.neg(),
        rate: input.rate ?? null,
        quantity: input.quantity ?? null,
        itemDetails: input.itemDetails ?? null,
      };
  }
}

/** A migration item keeps what it was given (its type is required). */
function migratedItem(input: InvoiceItemInput, context: ItemContext): InvoiceItemRecord {
  const type = input.itemType as InvoiceItemType | null | undefined;
  if (!type || !(INVOICE_ITEM_TYPES as readonly string[]).includes(type)) throw new InvalidRequestException('InvoiceItemJson itemType needs to be set');
  if (!input.amount) throw new InvalidRequestException('InvoiceItemJson amount needs to be set');
  const startDate = localDateOr(input.startDate, context.requestedDate, 'startDate');
  return {
    ...blankItem(type, context),
    bundleId: input.bundleId ?? null,
    subscriptionId: input.subscriptionId ?? null,
    description: input.description ?? null,
    productName: input.productName ?? null,
    planName: input.planName ?? null,
    phaseName: input.phaseName ?? null,
    usageName: input.usageName ?? null,
    catalogEffectiveDate: input.catalogEffectiveDate ? new Date(input.catalogEffectiveDate) : null,
    startDate,
    endDate: input.endDate ? localDateOr(input.endDate, startDate, 'endDate') : null,
    amount: input.amount,
    rate: input.rate ?? null,
    linkedItemId: input.linkedInvoiceItemId ?? null,
  };
}
