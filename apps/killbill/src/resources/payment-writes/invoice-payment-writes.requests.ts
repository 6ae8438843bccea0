import { LocalDate } from '@js-joda/core';
import { InvalidRequestException } from '@kb/platform';
import { parseDecimal } from '@kb/kernel';
import type Big from 'big.js';
import type { InvoiceChargebackOrder, InvoicePaymentOrder, InvoiceRefundOrder, PayAllOrder, PluginProperty } from '@kb/payment';
import type { InvoicePayment, InvoicePaymentTransaction } from '../payment/dto/payment.dto';

/** createInstantPayment's body and query as an order to pay one invoice through the API. */
/** The body's account, which Kill Bill requires ("InvoicePaymentJson accountId needs to be set"). */
export function requiredAccountId(body: InvoicePayment | undefined): string {
  if (!body?.accountId) throw new InvalidRequestException('InvoicePaymentJson accountId needs to be set');
  return body.accountId;
}

export function instantPaymentOrder(invoiceId: string, body: InvoicePayment, externalPayment: boolean, properties: readonly PluginProperty[]): InvoicePaymentOrder {
  return {
    invoiceId,
    amount: body.purchasedAmount ?? null,
    paymentMethodId: body.paymentMethodId ?? null,
    externalPayment,
    isApiPayment: true,
    paymentExternalKey: body.paymentExternalKey ?? null,
    properties,
  };
}

/** payAllInvoices' query values (paymentAmount a decimal, targetDate a local date). */
export function payAllOrder(
  query: { paymentMethodId?: string; externalPayment: boolean; paymentAmount?: string; targetDate?: string },
  properties: readonly PluginProperty[],
): PayAllOrder {
  const paymentAmount = query.paymentAmount === undefined || query.paymentAmount === '' ? null : parseDecimal(query.paymentAmount);
  if (paymentAmount === undefined) throw new InvalidRequestException(`Invalid paymentAmount: ${query.paymentAmount}`);
  return {
    paymentMethodId: query.paymentMethodId ?? null,
    externalPayment: query.externalPayment,
    paymentAmount,
    targetDate: query.targetDate ? LocalDate.parse(query.targetDate) : null,
    properties,
  };
}

/** createRefundWithAdjustments' body: the amount (null: the items'), and with isAdjusted the items to adjust (an item's null amount: all that is left). */
export function refundOrder(
  body: InvoicePaymentTransaction | undefined,
  properties: readonly PluginProperty[],
  external: { externalPayment: boolean; paymentMethodId?: string } = { externalPayment: false },
): InvoiceRefundOrder {
  const adjustments = new Map<string, Big | null>();
  for (const item of body?.adjustments ?? []) {
    if (!item.invoiceItemId) throw new InvalidRequestException('InvoiceItemJson invoiceItemId needs to be set');
    adjustments.set(item.invoiceItemId, item.amount ?? null);
  }
  return {
    amount: body?.amount ?? null,
    isAdjusted: body?.isAdjusted === true,
    adjustments,
    transactionExternalKey: body?.transactionExternalKey ?? null,
    properties,
    externalPayment: external.externalPayment,
    paymentMethodId: external.paymentMethodId ?? null,
    paymentExternalKey: body?.paymentExternalKey ?? null,
  };
}

/** createChargeback's body: the amount is required. */
export function chargebackOrder(body: InvoicePaymentTransaction | undefined, properties: readonly PluginProperty[]): InvoiceChargebackOrder {
  if (!body?.amount) throw new InvalidRequestException('InvoicePaymentTransactionJson amount needs to be set');
  return { amount: body.amount, transactionExternalKey: body.transactionExternalKey ?? null, properties };
}

/** createChargebackReversal's body: the key of the chargeback reversed. */
export function chargebackReversalKey(body: InvoicePaymentTransaction | undefined): string {
  if (!body?.transactionExternalKey) throw new InvalidRequestException('InvoicePaymentTransactionJson transactionExternalKey needs to be set');
  return body.transactionExternalKey;
}
