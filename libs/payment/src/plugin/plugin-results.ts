import type Big from 'big.js';
import type { GatewayNotification, HostedPaymentPageFormDescriptor, PaymentPluginStatus, PaymentTransactionCall, PaymentTransactionInfoPlugin, PluginTransactionType } from './payment-plugin-api';

/** A transaction answer with no gateway references (Kill Bill's DefaultNoOpPaymentInfoPlugin). */
export function transactionInfo(call: PaymentTransactionCall, type: PluginTransactionType, status: PaymentPluginStatus | null, processedAmount: Big | null): PaymentTransactionInfoPlugin {
  return {
    kbPaymentId: call.kbPaymentId,
    kbTransactionPaymentId: call.kbTransactionId,
    transactionType: type,
    processedAmount,
    processedCurrency: call.currency,
    effectiveDate: call.context.createdDate,
    createdDate: call.context.createdDate,
    status,
    gatewayError: null,
    gatewayErrorCode: null,
    firstPaymentReferenceId: null,
    secondPaymentReferenceId: null,
    properties: [],
  };
}

/** Kill Bill's DefaultNoOpHostedPaymentPageFormDescriptor: no form. */
export function noFormDescriptor(kbAccountId: string): HostedPaymentPageFormDescriptor {
  return { kbAccountId, formMethod: null, formUrl: null, formFields: [], properties: [] };
}

/** Kill Bill's DefaultNoOpGatewayNotification: 200, no body. */
export function noOpNotification(): GatewayNotification {
  return { kbPaymentId: null, status: 200, entity: null, headers: {}, properties: [] };
}

/** Waits without keeping the process alive (a sleeping test plugin must not hold up a shutdown). */
export function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis).unref());
}
