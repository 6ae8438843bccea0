import type { Currency } from '@kb/kernel';
import { InvalidRequestException } from '@kb/platform';
import type { CompletionRequest, PaymentTransactionRequest, PluginProperty, TransactionType } from '@kb/payment';
import type { PaymentTransaction } from '../payment/dto/payment.dto';

/** A transaction on an existing payment: by the path's id, else (the ...ByExternalKey routes, null) by the body's paymentExternalKey. */
type OnPayment = PaymentTransactionRequest & { readonly paymentId: string | null };

/** The query values every payment write takes besides its body. */
export interface PaymentWriteQuery {
  readonly properties: readonly PluginProperty[];
  readonly controlPluginNames: readonly string[];
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined || value === '') throw new InvalidRequestException(`PaymentTransactionJson ${what} needs to be set`);
  return value;
}

function common(body: PaymentTransaction, query: PaymentWriteQuery) {
  return {
    paymentExternalKey: body.paymentExternalKey ?? null,
    transactionExternalKey: body.transactionExternalKey ?? null,
    // Checked against Kill Bill's currencies by the DTO's CurrencyProperty.
    currency: (body.currency ?? null) as Currency | null,
    properties: query.properties,
    controlPluginNames: query.controlPluginNames,
  };
}

/** processPayment: AUTHORIZE, PURCHASE or CREDIT, on the payment of the body's id or keys, else a new one. */
export function processPaymentRequest(body: PaymentTransaction, paymentMethodId: string | undefined, query: PaymentWriteQuery): PaymentTransactionRequest {
  const type = required(body.transactionType, 'transactionType');
  if (type !== 'AUTHORIZE' && type !== 'PURCHASE' && type !== 'CREDIT') throw new InvalidRequestException(`Unsupported transactionType ${type}`);
  return { ...common(body, query), transactionType: type, paymentId: body.paymentId ?? null, amount: required(body.amount, 'amount'), paymentMethodId: paymentMethodId ?? null };
}

/** captureAuthorization, refundPayment, chargebackPayment: an amount on the payment of the path. */
export function paymentOperationRequest(type: 'CAPTURE' | 'REFUND' | 'CHARGEBACK', paymentId: string | null, body: PaymentTransaction | undefined, query: PaymentWriteQuery): OnPayment {
  if (!body) throw new InvalidRequestException('PaymentTransactionJson body should be specified');
  return { ...common(body, query), transactionType: type, paymentId, amount: required(body.amount, 'amount') };
}

/** voidPayment: no amount; the body is optional. */
export function voidRequest(paymentId: string | null, body: PaymentTransaction | undefined, query: PaymentWriteQuery): OnPayment {
  return { ...common(body ?? {}, query), transactionType: 'VOID', paymentId, amount: null, currency: null };
}

/** chargebackReversalPayment: a CHARGEBACK recorded as failed, under the key of the chargeback reversed. */
export function chargebackReversalRequest(paymentId: string | null, body: PaymentTransaction | undefined, query: PaymentWriteQuery): OnPayment {
  if (!body) throw new InvalidRequestException('PaymentTransactionJson body should be specified');
  return {
    ...common(body, query),
    transactionType: 'CHARGEBACK',
    paymentId,
    transactionExternalKey: required(body.transactionExternalKey, 'transactionExternalKey'),
    amount: null,
    currency: null,
    chargebackReversal: true,
  };
}

/** completeTransaction(ByExternalKey), completeInvoicePaymentTransaction: the body (optional) narrows which PENDING transaction, and may change its amount. */
export function completionRequest(paymentId: string | null, body: PaymentTransaction | undefined, query: PaymentWriteQuery): CompletionRequest {
  return {
    paymentId,
    paymentExternalKey: body?.paymentExternalKey ?? null,
    transactionId: body?.transactionId ?? null,
    transactionExternalKey: body?.transactionExternalKey ?? null,
    transactionType: (body?.transactionType ?? null) as TransactionType | null,
    amount: body?.amount ?? null,
    currency: (body?.currency ?? null) as Currency | null,
    properties: query.properties,
    controlPluginNames: query.controlPluginNames,
  };
}

/** notifyStateChanged's body: the payment and the new status (SUCCESS, anything else a failure). */
export function stateChangeOf(body: PaymentTransaction | undefined): { paymentId: string; isSuccess: boolean } {
  if (!body) throw new InvalidRequestException('PaymentTransactionJson body should be specified');
  if (!body.paymentId) throw new InvalidRequestException('PaymentTransactionJson paymentId needs to be set');
  if (!body.status) throw new InvalidRequestException('PaymentTransactionJson status needs to be set');
  return { paymentId: body.paymentId, isSuccess: body.status === 'SUCCESS' };
}
