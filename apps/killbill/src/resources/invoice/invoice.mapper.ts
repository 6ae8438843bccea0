import { type Currency, roundToCurrency } from '@kb/kernel';
import type { InvoiceItemRecord, InvoiceItemView, InvoiceView } from '@kb/invoice';
import type { Invoice, InvoiceItem } from './dto/invoice.dto';

/** Kill Bill's default item descriptions (what its item classes show when none was stored). */
function defaultDescription(item: InvoiceItemRecord): string | null {
  switch (item.type) {
    case 'EXTERNAL_CHARGE':
      return item.planName ? `${item.planName} (external charge)` : 'External charge';
    case 'TAX':
      return 'Tax';
    case 'CREDIT_ADJ':
      return 'Invoice adjustment';
    case 'CBA_ADJ':
      return item.amount.gte(0) ? 'Adjustment (account credit)' : 'Adjustment (use of account credit)';
    case 'ITEM_ADJ':
      return 'Invoice item adjustment';
    case 'REPAIR_ADJ':
      return 'Adjustment (subscription change)';
    default:
      return null;
  }
}

export interface ItemJsonOptions {
  /** The credit endpoints show a CREDIT_ADJ with its amount negated back to what was asked. */
  readonly positiveCredits?: boolean;
}

/** Kill Bill's InvoiceItemJson, every field present in its order; the amount at the currency's scale (as loaded). */
export function toInvoiceItemJson({ item, pretty, childItems, auditLogs }: InvoiceItemView, options: ItemJsonOptions = {}): InvoiceItem {
  const amount = options.positiveCredits && item.type === 'CREDIT_ADJ' ? item.amount.neg() : item.amount;
  return {
    invoiceItemId: item.id,
    invoiceId: item.invoiceId,
    linkedInvoiceItemId: item.linkedItemId,
    accountId: item.accountId,
    childAccountId: item.childAccountId,
    bundleId: item.bundleId,
    subscriptionId: item.subscriptionId,
    productName: item.productName,
    planName: item.planName,
    phaseName: item.phaseName,
    usageName: item.usageName,
    prettyProductName: pretty.product,
    prettyPlanName: pretty.plan,
    prettyPhaseName: pretty.phase,
    prettyUsageName: pretty.usage,
    itemType: item.type,
    description: item.description ?? defaultDescription(item),
    startDate: item.startDate.toString(),
    endDate: item.endDate?.toString() ?? null,
    amount: roundToCurrency(amount, item.currency),
    rate: item.rate,
    currency: item.currency,
    quantity: item.quantity,
    itemDetails: item.itemDetails,
    catalogEffectiveDate: item.catalogEffectiveDate?.toISOString() ?? null,
    childItems: childItems?.map((child) => toInvoiceItemJson(child)) ?? null,
    auditLogs,
  };
}

const NO_PRETTY_NAMES = { product: null, plan: null, phase: null, usage: null };

/** A stored item row or an engine's item record. */
type ItemSource = Omit<InvoiceItemRecord, 'currency'> & { readonly currency: string };

/** An item written or proposed just now (charges, taxes, credits, dry runs): no pretty names, no audit logs. */
export function toPlainItemJson(item: ItemSource, options: ItemJsonOptions = {}): InvoiceItem {
  const record: InvoiceItemRecord = { ...item, currency: item.currency as Currency };
  return toInvoiceItemJson({ item: record, pretty: NO_PRETTY_NAMES, childItems: null, auditLogs: [] }, options);
}

/**
 * Kill Bill's InvoiceJson: amounts rounded to the currency, the number as a string, `bundleKeys` and
 * `credits` null; a shallow view (listings) has no items (`[]`, as Kill Bill's shallow invoices).
 */
export function toInvoiceJson(view: InvoiceView): Invoice {
  const { invoice, amounts } = view;
  return {
    amount: amounts.charged,
    currency: invoice.currency,
    status: invoice.status,
    creditAdj: amounts.credited,
    refundAdj: amounts.refunded,
    invoiceId: invoice.id,
    invoiceDate: invoice.invoiceDate.toString(),
    targetDate: invoice.targetDate?.toString() ?? null,
    invoiceNumber: invoice.invoiceNumber === null ? null : String(invoice.invoiceNumber),
    balance: amounts.balance,
    accountId: invoice.accountId,
    bundleKeys: null,
    credits: null,
    items: view.items?.map((item) => toInvoiceItemJson(item)) ?? [],
    trackingIds: [...view.trackingIds],
    isParentInvoice: invoice.parentInvoice,
    parentInvoiceId: view.parentInvoiceId,
    parentAccountId: view.parentAccountId,
    auditLogs: view.auditLogs,
  };
}

/**
 * The account timeline's form of an invoice (Kill Bill's InvoiceJson(invoice, bundleKeys, credits, logs)):
 * no items nor tracking ids, the bundles' external keys comma-joined, and the account's credits.
 */
export function toTimelineInvoiceJson(view: InvoiceView, bundleKeys: string, credits: readonly InvoiceItemView[]): Invoice {
  return { ...toInvoiceJson(view), bundleKeys, credits: credits.map((item) => toInvoiceItemJson(item)), items: null, trackingIds: null };
}
