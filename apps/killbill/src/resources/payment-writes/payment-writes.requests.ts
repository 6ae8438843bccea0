import type { Currency } from '@kb/kernel';
import { InvalidRequestException } from '@kb/platform';
import type { PaymentTransactionRequest, PluginProperty } from '@kb/payment';

type OnPayment = PaymentTransactionRequest & { readonly paymentId: string };
import type { PaymentTransaction } from '../payment/dto/payment.dto';

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
export function paymentOperationRequest(type: 'CAPTURE' | 'REFUND' | 'CHARGEBACK', paymentId: string, body: PaymentTransaction, query: PaymentWriteQuery): OnPayment {
  return { ...common(body, query), transactionType: type, paymentId, amount: required(body.amount, 'amount') };
}

/** voidPayment: no amount; the body is optional. */
export function voidRequest(paymentId: string, body: PaymentTransaction | undefined, query: PaymentWriteQuery): OnPayment {
  return { ...common(body ?? {}, query), transactionType: 'VOID', paymentId, amount: null, currency: null };
}

/** chargebackReversalPayment: a CHARGEBACK recorded as failed, under the key of the chargeback reversed. */
export function chargebackReversalRequest(paymentId: string, body: PaymentTransaction, query: PaymentWriteQuery): OnPayment {
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
