/**
 * Account credit (CBA) after a change (Kill Bill's CBADao#doCBAComplexityFromTransaction, spec 1.10):
 * an invoice left owing less than nothing turns the excess into credit on itself; a COMMITTED invoice
 * left owing something uses what credit the account has; then the remaining credit pays the account's
 * unpaid invoices, oldest first. Pure: it says which CBA_ADJ items to add, the caller writes them.
 */
import Big from 'big.js';
import type { LocalDate } from '@js-joda/core';
import { roundToCurrency } from '@kb/kernel';
import { accountCredit, rawInvoiceAmounts, unpaidInvoices } from './balances';
import type { InvoiceItemRecord, InvoiceRecord } from './model';

export interface CreditInput {
  /** Every invoice of the account as it is now (the change written, its credit not yet). */
  readonly invoices: readonly InvoiceRecord[];
  /** The invoices the change created or modified, in the order they are to be settled. */
  readonly changedInvoiceIds: readonly string[];
  /** Invoices announced as created by this change (INVOICE_CREATION), hence not reported as adjusted. */
  readonly newInvoiceIds?: readonly string[];
  /** The UTC calendar day of the change: start and end of every CBA item (Kill Bill uses the UTC date here, not the account's). */
  readonly today: LocalDate;
  readonly newItemId: () => string;
  /** Creation instant stamped on the items. */
  readonly now: Date;
  /** The parent invoice of each child invoice of the account summarised on one (by child invoice id). */
  readonly parents?: ReadonlyMap<string, InvoiceRecord>;
}

export interface CreditResult {
  /** The CBA_ADJ items to add: positive for credit generated, negative for credit used. */
  readonly items: readonly InvoiceItemRecord[];
  /** COMMITTED invoices, not new, that got a CBA item (each owes an INVOICE_ADJUSTMENT event). */
  readonly adjustedInvoiceIds: readonly string[];
}

type Working = InvoiceRecord & { items: InvoiceItemRecord[] };

export function computeCredit(input: CreditInput): CreditResult {
  const invoices: Working[] = input.invoices.map((invoice) => ({ ...invoice, items: [...invoice.items] }));
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  const added: InvoiceItemRecord[] = [];

  const parents = input.parents ?? new Map<string, InvoiceRecord>();
  const settle = (invoice: Working): void => {
    const amount = cbaAmount(invoice, balanceForCredit(invoice, parents.get(invoice.id)), accountCredit(invoices));
    if (!amount) return;
    const item = cbaItem(invoice, amount, input);
    invoice.items.push(item);
    added.push(item);
  };

  for (const id of input.changedInvoiceIds) {
    const invoice = byId.get(id);
    if (invoice && invoice.status !== 'VOID') settle(invoice);
  }
  // What credit is left pays the oldest unpaid invoices first.
  for (const unpaid of unpaidInvoices(invoices, parents)) {
    if (accountCredit(invoices).lte(0)) break;
    settle(byId.get(unpaid.id)!);
  }

  const fresh = new Set(input.newInvoiceIds ?? []);
  const adjusted = [...new Set(added.map((item) => item.invoiceId))].filter((id) => !fresh.has(id) && byId.get(id)!.status === 'COMMITTED');
  return { items: added, adjustedInvoiceIds: adjusted };
}

/**
 * What an invoice owes for the credit (Kill Bill's CBADao#getInvoiceBalance): its raw balance, but a
 * child invoice whose parent owes nothing owes its charges less what the parent billed for the child.
 */
function balanceForCredit(invoice: InvoiceRecord, parent: InvoiceRecord | undefined): Big {
  if (parent && !parent.migrated && rawInvoiceAmounts(parent).rawBalance.eq(0)) {
    const billedOnParent = parent.items.filter((item) => item.childAccountId === invoice.accountId).reduce((total, item) => total.plus(item.amount), new Big(0));
    return roundToCurrency(rawInvoiceAmounts(invoice).charged.minus(billedOnParent), invoice.currency);
  }
  return roundToCurrency(rawInvoiceAmounts(invoice).rawBalance, invoice.currency);
}

/** The CBA item an invoice needs given what it owes and the account's credit: +credit if it owes less than nothing, −(what it uses) if it owes and may use credit, none otherwise. */
function cbaAmount(invoice: InvoiceRecord, balance: Big, credit: Big): Big | undefined {
  if (balance.lt(0)) return balance.neg();
  const mayUseCredit = invoice.status === 'COMMITTED' && !invoice.writtenOff && !hasPendingAttempt(invoice);
  if (balance.gt(0) && mayUseCredit && credit.gt(0)) return (credit.gt(balance) ? balance : credit).neg();
  return undefined;
}

/** A payment still PENDING may yet pay the invoice: credit is not used on it meanwhile. */
function hasPendingAttempt(invoice: InvoiceRecord): boolean {
  return invoice.payments.some((payment) => payment.type === 'ATTEMPT' && payment.status === 'PENDING');
}

function cbaItem(invoice: InvoiceRecord, amount: Big, input: CreditInput): InvoiceItemRecord {
  return {
    id: input.newItemId(),
    invoiceId: invoice.id,
    accountId: invoice.accountId,
    childAccountId: null,
    type: 'CBA_ADJ',
    bundleId: null,
    subscriptionId: null,
    description: null,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: input.today,
    endDate: input.today,
    amount: new Big(amount),
    rate: null,
    currency: invoice.currency,
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: input.now,
  };
}
