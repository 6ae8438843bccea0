import type { Currency } from '@kb/kernel';
import { roundToCurrency } from '@kb/kernel';
import type { DryRunInvoice, InvoiceDryRunSpec } from '@kb/invoice';
import { toPriceOverride } from '../subscription/subscription.mapper';
import type { InvoiceDryRun } from './dto/invoice-dry-run.dto';
import type { Invoice } from './dto/invoice.dto';
import { toPlainItemJson } from './invoice.mapper';

/** Kill Bill's InvoiceJson of a dry-run invoice: no number, no audit logs, the amounts it would show once committed. */
export function toDryRunInvoiceJson(dryRun: DryRunInvoice): Invoice {
  const { invoice, amounts } = dryRun;
  const money = (value: DryRunInvoice['amounts']['charged']) => roundToCurrency(value, invoice.currency as Currency);
  return {
    amount: money(amounts.charged),
    currency: invoice.currency,
    status: invoice.status,
    creditAdj: money(amounts.credited),
    refundAdj: money(amounts.refunded),
    invoiceId: invoice.id,
    invoiceDate: invoice.invoiceDate.toString(),
    targetDate: invoice.targetDate?.toString() ?? null,
    invoiceNumber: null,
    balance: money(amounts.balance),
    accountId: invoice.accountId,
    bundleKeys: null,
    credits: null,
    items: invoice.items.map((item) => toPlainItemJson(item)),
    trackingIds: [...dryRun.trackingIds],
    isParentInvoice: invoice.parentInvoice,
    parentInvoiceId: null,
    parentAccountId: null,
    auditLogs: [],
  };
}

/** The body as the service reads it (an absent body is an empty one: a TARGET_DATE dry run). */
export function toDryRunSpec(body: InvoiceDryRun | undefined): InvoiceDryRunSpec {
  return { ...body, priceOverrides: body?.priceOverrides?.map(toPriceOverride) ?? null };
}
