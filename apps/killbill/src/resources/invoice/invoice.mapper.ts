import type { InvoiceItemView, InvoiceView } from '@kb/invoice';
import type { Invoice, InvoiceItem } from './dto/invoice.dto';

/** Kill Bill's InvoiceItemJson, every field present in its order. */
export function toInvoiceItemJson({ item, pretty, childItems, auditLogs }: InvoiceItemView): InvoiceItem {
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
    description: item.description,
    startDate: item.startDate.toString(),
    endDate: item.endDate?.toString() ?? null,
    amount: item.amount,
    rate: item.rate,
    currency: item.currency,
    quantity: item.quantity,
    itemDetails: item.itemDetails,
    catalogEffectiveDate: item.catalogEffectiveDate?.toISOString() ?? null,
    childItems: childItems?.map(toInvoiceItemJson) ?? null,
    auditLogs,
  };
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
    items: view.items?.map(toInvoiceItemJson) ?? [],
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
  return { ...toInvoiceJson(view), bundleKeys, credits: credits.map(toInvoiceItemJson), items: null, trackingIds: null };
}
