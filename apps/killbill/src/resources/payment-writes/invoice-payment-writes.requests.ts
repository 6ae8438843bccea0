import { LocalDate } from '@js-joda/core';
import { InvalidRequestException } from '@kb/platform';
import { parseDecimal } from '@kb/kernel';
import type { InvoicePaymentOrder, PayAllOrder, PluginProperty } from '@kb/payment';
import type { InvoicePayment } from '../payment/dto/payment.dto';

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
