import type { LocalDate } from '@js-joda/core';
import Big from 'big.js';
import { formatMoney, minorUnitOf, type Currency } from '@kb/kernel';
import type { InvoiceAmounts, InvoiceItemRecord, InvoiceRecord } from '../engine';
import { type JavaLocale, intlTag } from './locale';
import type { Translator } from './translator';

/** The account fields a template reads (`account.*`: Kill Bill hands the template its Account). */
export interface HtmlInvoiceAccount {
  readonly id: string;
  readonly externalKey: string;
  readonly name: string | null;
  readonly firstNameLength: number | null;
  readonly email: string | null;
  readonly billingCycleDayLocal: number;
  readonly currency: string | null;
  readonly parentAccountId: string | null;
  readonly isPaymentDelegatedToParent: boolean | null;
  readonly paymentMethodId: string | null;
  readonly referenceTime: Date;
  readonly timeZone: string;
  readonly locale: string | null;
  readonly address1: string | null;
  readonly address2: string | null;
  readonly companyName: string | null;
  readonly city: string | null;
  readonly stateOrProvince: string | null;
  readonly country: string | null;
  readonly postalCode: string | null;
  readonly phone: string | null;
  readonly notes: string | null;
  readonly migrated: boolean | null;
  readonly createdDate: Date;
  readonly updatedDate: Date;
}

/** The catalog's pretty names of an item's plan, product, phase and usage (the names themselves when the catalog has none). */
export interface HtmlPrettyNames {
  readonly product: string | null;
  readonly plan: string | null;
  readonly phase: string | null;
  readonly usage: string | null;
}

export interface InvoiceHtmlInput {
  readonly invoice: InvoiceRecord;
  readonly amounts: InvoiceAmounts & { readonly balance: Big };
  readonly account: HtmlInvoiceAccount;
  readonly locale: JavaLocale;
  /** Invoice texts: the tenant's (or built-in) bundle of the account locale, then of the default locale. */
  readonly invoiceText: Translator;
  /** Catalog names (plans, products, item descriptions) in the account locale. */
  readonly catalogText: Translator;
  readonly prettyNames: (item: InvoiceItemRecord) => HtmlPrettyNames;
}

/** The labels Kill Bill's DefaultInvoiceTranslator has a getter for (`text.invoiceTitle`…). */
const TEXT_KEYS = [
  'invoiceTitle',
  'invoiceDate',
  'invoiceNumber',
  'accountOwnerName',
  'accountOwnerEmail',
  'accountOwnerPhone',
  'companyName',
  'companyAddress',
  'companyCityProvincePostalCode',
  'companyCountry',
  'companyUrl',
  'invoiceItemBundleName',
  'invoiceItemDescription',
  'invoiceItemServicePeriod',
  'invoiceItemAmount',
  'invoiceAmount',
  'invoiceAmountPaid',
  'invoiceBalance',
  'processedPaymentCurrency',
  'processedPaymentRate',
] as const;

/**
 * What Kill Bill's HtmlInvoiceGenerator gives the template, under the names its getters resolve to
 * (mustache.java reads `invoice.formattedBalance` through getFormattedBalance()), so a template
 * written for Kill Bill renders the same here: `text` (DefaultInvoiceTranslator), `account`,
 * `invoice` (DefaultInvoiceFormatter) with its `invoiceItems` (DefaultInvoiceItemFormatter).
 */
export function invoiceHtmlModel(input: InvoiceHtmlInput): Record<string, unknown> {
  const { invoice, amounts, locale, invoiceText } = input;
  const tag = intlTag(locale);
  const text: Record<string, unknown> = Object.fromEntries(TEXT_KEYS.map((key) => [key, invoiceText.translate(key)]));
  const subject = invoiceText.translate('invoiceEmailSubject');
  text.invoiceEmailSubject = subject === 'invoiceEmailSubject' ? null : subject;
  // {{#text.properties}}anyKey{{/text.properties}}: any key of the bundles, as Kill Bill's lambda.
  text.properties = () => (key: string, render: (template: string) => string) => invoiceText.translate(render(key).trim());
  const invoiceTotal = (amount: Big) => formatInvoiceAmount(amount, invoice.currency, tag);
  return {
    text,
    account: { ...input.account, billCycleDayLocal: input.account.billingCycleDayLocal, paymentDelegatedToParent: input.account.isPaymentDelegatedToParent },
    invoice: {
      id: invoice.id,
      accountId: invoice.accountId,
      invoiceNumber: invoice.invoiceNumber ?? 0,
      invoiceDate: invoice.invoiceDate.toString(),
      targetDate: invoice.targetDate?.toString() ?? null,
      formattedInvoiceDate: formatDate(invoice.invoiceDate, tag),
      currency: invoice.currency,
      status: invoice.status,
      migrationInvoice: invoice.migrated,
      parentInvoice: invoice.parentInvoice,
      groupId: invoice.groupId,
      numberOfItems: invoice.items.length,
      numberOfPayments: invoice.payments.length,
      chargedAmount: formatMoney(amounts.charged, invoice.currency),
      creditedAmount: formatMoney(amounts.credited, invoice.currency),
      paidAmount: formatMoney(amounts.paid, invoice.currency),
      refundedAmount: formatMoney(amounts.refunded, invoice.currency),
      balance: formatMoney(amounts.balance, invoice.currency),
      formattedChargedAmount: invoiceTotal(amounts.charged),
      formattedPaidAmount: invoiceTotal(amounts.paid),
      formattedBalance: invoiceTotal(amounts.balance),
      invoiceItems: displayedItems(invoice.items).map((item) => itemModel(item, input, tag)),
    },
  };
}

function itemModel(item: InvoiceItemRecord, input: InvoiceHtmlInput, tag: string): Record<string, unknown> {
  const names = input.catalogText;
  const pretty = input.prettyNames(item);
  return {
    id: item.id,
    invoiceId: item.invoiceId,
    accountId: item.accountId,
    childAccountId: item.childAccountId,
    bundleId: item.bundleId,
    subscriptionId: item.subscriptionId,
    linkedItemId: null,
    invoiceItemType: item.type,
    description: names.translateOptional(item.description) ?? '',
    productName: names.translateOptional(item.productName) ?? '',
    prettyProductName: names.translateOptional(pretty.product) ?? '',
    planName: names.translateOptional(item.planName) ?? '',
    prettyPlanName: names.translateOptional(pretty.plan) ?? '',
    phaseName: names.translateOptional(item.phaseName) ?? '',
    prettyPhaseName: names.translateOptional(pretty.phase) ?? '',
    usageName: names.translateOptional(item.usageName) ?? '',
    prettyUsageName: names.translateOptional(pretty.usage) ?? '',
    startDate: item.startDate.toString(),
    endDate: item.endDate?.toString() ?? null,
    formattedStartDate: formatDate(item.startDate, tag),
    formattedEndDate: item.endDate ? formatDate(item.endDate, tag) : null,
    amount: formatMoney(item.amount, item.currency),
    formattedAmount: formatItemAmount(item.amount, item.currency, tag),
    currency: item.currency,
    rate: '0',
    quantity: item.quantity?.toString() ?? null,
    itemDetails: item.itemDetails,
    catalogEffectiveDate: item.catalogEffectiveDate?.toISOString() ?? null,
  };
}

/**
 * Kill Bill's mergeCBAAndCreditAdjustmentItems: the credit (CBA_ADJ) items are one line and the
 * invoice adjustments (CREDIT_ADJ) another, after the other items, and neither shows when it sums to 0.
 */
export function displayedItems(items: readonly InvoiceItemRecord[]): InvoiceItemRecord[] {
  const shown = items.filter((item) => item.type !== 'CBA_ADJ' && item.type !== 'CREDIT_ADJ');
  for (const type of ['CBA_ADJ', 'CREDIT_ADJ'] as const) {
    const merged = items.filter((item) => item.type === type);
    if (merged.length === 0) continue;
    const amount = merged.reduce((total, item) => total.plus(item.amount), new Big(0));
    if (!amount.eq(0)) shown.push({ ...merged[0], amount });
  }
  return shown;
}

/** Joda's mediumDate in the account locale (`Mar 15, 2024`, `15 mars 2024`), as DefaultInvoiceFormatter formats dates. */
export function formatDate(date: LocalDate, tag: string): string {
  const instant = new Date(Date.UTC(date.year(), date.monthValue() - 1, date.dayOfMonth()));
  return new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' }).format(instant);
}

/** An item amount as Java's currency format of the locale writes it (`$1,234.50`, `1 234,50 $US`). */
export function formatItemAmount(amount: Big, currency: Currency, tag: string): string {
  return currencyFormat(tag, currency, 'symbol').format(formatMoney(amount, currency) as unknown as number);
}

/**
 * An invoice total: the locale's currency format with the currency's own symbol (Kill Bill sets the
 * symbol of its Currency enum, `$` whatever the locale: `1 234,50 $`).
 */
export function formatInvoiceAmount(amount: Big, currency: Currency, tag: string): string {
  return currencyFormat(tag, currency, 'narrowSymbol').format(formatMoney(amount, currency) as unknown as number);
}

/** Intl takes the amount as a decimal string, digit for digit (no binary float on the way); decimals are the currency's, as Kill Bill sets them. */
function currencyFormat(tag: string, currency: Currency, currencyDisplay: 'symbol' | 'narrowSymbol'): Intl.NumberFormat {
  const digits = minorUnitOf(currency);
  return new Intl.NumberFormat(tag, { style: 'currency', currency, currencyDisplay, minimumFractionDigits: digits, maximumFractionDigits: digits });
}
