/**
 * Invoice and account balances as Kill Bill computes them (InvoiceCalculatorUtils, spec 1.11):
 * charges, credit (CBA) and payments of an invoice, the balance it shows, the account's balance and
 * its credit. Pure; amounts come back rounded to the currency.
 */
import Big from 'big.js';
import { roundToCurrency } from '@kb/kernel';
import type { InvoiceItemRecord, InvoiceItemType, InvoiceRecord } from './model';

const CHARGE_TYPES: ReadonlySet<InvoiceItemType> = new Set(['FIXED', 'RECURRING', 'USAGE', 'EXTERNAL_CHARGE', 'TAX', 'ITEM_ADJ', 'REPAIR_ADJ', 'PARENT_SUMMARY']);
const ZERO = new Big(0);

function sum(values: readonly Big[]): Big {
  return values.reduce((total, value) => total.plus(value), ZERO);
}

/** An invoice with exactly one CREDIT_ADJ and one CBA_ADJ of the opposite amount: what `POST /credits` writes. */
export function isCreditInvoice(items: readonly InvoiceItemRecord[]): boolean {
  if (items.length !== 2) return false;
  const credit = items.find((item) => item.type === 'CREDIT_ADJ');
  const cba = items.find((item) => item.type === 'CBA_ADJ');
  return credit !== undefined && cba !== undefined && credit.amount.plus(cba.amount).eq(0);
}

export interface InvoiceAmounts {
  /** `amount`: the charges, adjustments and (but on a credit invoice) credits. */
  readonly charged: Big;
  /** `creditAdj`: the account credit generated (+) or used (−) on the invoice. */
  readonly credited: Big;
  /** Σ successful payment attempts. */
  readonly paid: Big;
  /** `refundAdj`: Σ successful refunds and chargebacks (≤ 0). */
  readonly refunded: Big;
  /** What is owed on the invoice whatever its status (the raw balance). */
  readonly rawBalance: Big;
}

/** The unrounded amounts of an invoice. */
export function rawInvoiceAmounts(invoice: Pick<InvoiceRecord, 'items' | 'payments'>): InvoiceAmounts {
  const creditInvoice = isCreditInvoice(invoice.items);
  const charges = sum(invoice.items.filter((item) => CHARGE_TYPES.has(item.type)).map((item) => item.amount));
  const credits = sum(invoice.items.filter((item) => item.type === 'CREDIT_ADJ').map((item) => item.amount));
  const charged = creditInvoice ? charges : charges.plus(credits);
  const credited = sum(invoice.items.filter((item) => item.type === 'CBA_ADJ').map((item) => item.amount));
  const successful = invoice.payments.filter((payment) => payment.status === 'SUCCESS');
  const paid = sum(successful.filter((payment) => payment.type === 'ATTEMPT').map((payment) => payment.amount));
  const refunded = sum(successful.filter((payment) => payment.type !== 'ATTEMPT').map((payment) => payment.amount));
  const creditInvoiceAdjustment = creditInvoice ? credits : ZERO;
  const rawBalance = charged.plus(credited).plus(creditInvoiceAdjustment).minus(paid.plus(refunded));
  return { charged, credited, paid, refunded, rawBalance };
}

/** The amounts an invoice shows (rounded), with its balance: 0 while DRAFT, VOID, migrated, written off, or a child whose parent owes nothing. */
export function invoiceAmounts(invoice: InvoiceRecord, options: { parentRawBalance?: Big | null } = {}): InvoiceAmounts & { readonly balance: Big } {
  const raw = rawInvoiceAmounts(invoice);
  const round = (value: Big) => roundToCurrency(value, invoice.currency);
  const parentOwesNothing = options.parentRawBalance !== undefined && options.parentRawBalance !== null && options.parentRawBalance.eq(0);
  const zero = invoice.status !== 'COMMITTED' || invoice.migrated || invoice.writtenOff || parentOwesNothing;
  return {
    charged: round(raw.charged),
    credited: round(raw.credited),
    paid: round(raw.paid),
    refunded: round(raw.refunded),
    rawBalance: round(raw.rawBalance),
    balance: zero ? ZERO : round(raw.rawBalance),
  };
}

/** Item types Kill Bill counts as charges when it summarises a child invoice (InvoiceCalculatorUtils#isCharge). */
const CHILD_CHARGE_TYPES: ReadonlySet<InvoiceItemType> = new Set(['FIXED', 'RECURRING', 'USAGE', 'EXTERNAL_CHARGE', 'TAX']);

/**
 * What a child invoice adds to its parent's PARENT_SUMMARY item (Kill Bill's computeChildInvoiceAmount):
 * its charges, adjustments and credit (CBA); with no charge at all, only its credit, negated.
 */
export function childInvoiceAmount(invoice: Pick<InvoiceRecord, 'items' | 'currency'>): Big {
  const credited = sum(invoice.items.filter((item) => item.type === 'CBA_ADJ').map((item) => item.amount));
  if (!invoice.items.some((item) => CHILD_CHARGE_TYPES.has(item.type))) return roundToCurrency(credited.neg(), invoice.currency);
  const raw = rawInvoiceAmounts({ items: invoice.items, payments: [] });
  return roundToCurrency(raw.rawBalance, invoice.currency);
}

/**
 * Kill Bill's shouldIgnoreChildInvoice: a child invoice that would open a new parent draft but adds a
 * negative amount (a credit, used on its next invoice), or $0 without a FIXED or RECURRING item.
 */
export function opensNoParentDraft(invoice: Pick<InvoiceRecord, 'items'>, amount: Big): boolean {
  if (amount.lt(0)) return true;
  if (amount.gt(0)) return false;
  return !invoice.items.some((item) => item.type === 'FIXED' || item.type === 'RECURRING');
}

/**
 * What the parent invoice of each child invoice (`parents`, by child invoice id) owes as it shows it:
 * 0 while DRAFT, VOID, written off or paid. Both `accountBalance` (its `parentRawBalances`) and
 * `invoiceAmounts` (its `parentRawBalance` option) read a 0 here as "the child owes nothing" (Kill Bill's
 * hasZeroParentBalance).
 */
export function parentBalances(parents: ReadonlyMap<string, InvoiceRecord>): Map<string, Big> {
  return new Map([...parents].map(([childInvoiceId, parent]) => [childInvoiceId, invoiceAmounts(parent).balance]));
}

/** The account's credit: Σ CBA_ADJ over COMMITTED invoices (DRAFT and VOID ones do not count). */
export function accountCredit(invoices: readonly InvoiceRecord[]): Big {
  return sum(
    invoices
      .filter((invoice) => invoice.status === 'COMMITTED')
      .flatMap((invoice) => invoice.items.filter((item) => item.type === 'CBA_ADJ').map((item) => item.amount)),
  );
}

/**
 * The account's balance: Σ balances of its COMMITTED invoices minus its credit (all paid and 10 of
 * credit: −10). `parentRawBalances` gives, per child invoice id, its parent invoice's raw balance
 * (null when that parent is not COMMITTED, which makes the child owe nothing here).
 */
export function accountBalance(invoices: readonly InvoiceRecord[], parentRawBalances: ReadonlyMap<string, Big | null> = new Map()): Big {
  const committed = invoices.filter((invoice) => invoice.status === 'COMMITTED');
  const owed = sum(
    committed.map((invoice) => {
      const hasParent = parentRawBalances.has(invoice.id);
      const parentRaw = parentRawBalances.get(invoice.id) ?? null;
      if (hasParent && (parentRaw === null || parentRaw.eq(0))) return ZERO;
      return invoiceAmounts(invoice).balance;
    }),
  );
  const currency = invoices[0]?.currency;
  const balance = owed.minus(accountCredit(invoices));
  return currency ? roundToCurrency(balance, currency) : balance;
}

/**
 * COMMITTED, not written off, owing something (Kill Bill's unpaid invoices), oldest invoice date first.
 * A child invoice summarised on a parent invoice (`parents`, by child invoice id) owes what its parent owes.
 */
export function unpaidInvoices(invoices: readonly InvoiceRecord[], parents: ReadonlyMap<string, InvoiceRecord> = new Map()): InvoiceRecord[] {
  return invoices
    .filter((invoice) => {
      if (invoice.status !== 'COMMITTED' || invoice.writtenOff || invoice.migrated) return false;
      const owing = parents.get(invoice.id) ?? invoice;
      return !owing.migrated && rawInvoiceAmounts(owing).rawBalance.gt(0);
    })
    .sort((a, b) => a.invoiceDate.compareTo(b.invoiceDate) || (a.invoiceNumber ?? 0) - (b.invoiceNumber ?? 0));
}
