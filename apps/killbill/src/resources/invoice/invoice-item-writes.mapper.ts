import type Big from 'big.js';
import { type Currency, roundToCurrency } from '@kb/kernel';
import type { InvoiceItemRecord } from '@kb/invoice';

/** A stored item row or an engine's item (a dry run's). */
type ItemSource = Omit<InvoiceItemRecord, 'currency'> & { readonly currency: string };
import type { InvoiceItem } from './dto/invoice.dto';

/** Kill Bill's default item descriptions (shown when none was stored). */
function defaultDescription(item: ItemSource): string | null {
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

/**
 * The items the write endpoints answer (charges, taxes, credits). `positiveCredits`: the credit
 * endpoints show a CREDIT_ADJ with its amount negated back to what was asked.
 */
export function toWrittenItemJson(item: ItemSource, options: { positiveCredits?: boolean } = {}): InvoiceItem {
  const money = (value: Big) => roundToCurrency(value, item.currency as Currency);
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
    prettyProductName: null,
    prettyPlanName: null,
    prettyPhaseName: null,
    prettyUsageName: null,
    itemType: item.type,
    description: item.description ?? defaultDescription(item),
    startDate: item.startDate.toString(),
    endDate: item.endDate?.toString() ?? null,
    amount: money(amount),
    rate: item.rate,
    currency: item.currency,
    quantity: item.quantity,
    itemDetails: item.itemDetails,
    catalogEffectiveDate: item.catalogEffectiveDate?.toISOString() ?? null,
    childItems: null,
    auditLogs: [],
  };
}
