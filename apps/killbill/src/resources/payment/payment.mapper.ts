import type { InvoicePaymentView, PaymentAttemptView, PaymentTransactionView, PaymentView, PluginProperty as PluginPropertyValue } from '@kb/payment';
import type { PluginProperty } from '../payment-method/payment-method.dto';
import type { InvoicePayment, Payment, PaymentAttempt, PaymentTransaction } from './dto/payment.dto';

export function toPaymentJson(view: PaymentView): Payment {
  const row = view.payment;
  return {
    accountId: row.accountId,
    paymentId: row.id,
    // The payment number is the row's record id, a string in Kill Bill's JSON.
    paymentNumber: String(row.recordId),
    paymentExternalKey: row.externalKey,
    authAmount: view.aggregates.authAmount,
    capturedAmount: view.aggregates.capturedAmount,
    purchasedAmount: view.aggregates.purchasedAmount,
    refundedAmount: view.aggregates.refundedAmount,
    creditedAmount: view.aggregates.creditedAmount,
    currency: view.aggregates.currency,
    paymentMethodId: row.paymentMethodId,
    transactions: view.transactions.map((transaction) => toPaymentTransactionJson(transaction, row.externalKey)),
    paymentAttempts: view.attempts?.map(toPaymentAttemptJson) ?? null,
    auditLogs: view.auditLogs,
  };
}

export function toInvoicePaymentJson(view: InvoicePaymentView): InvoicePayment {
  return { targetInvoiceId: view.targetInvoiceId, ...toPaymentJson(view) };
}

export function toPaymentTransactionJson(view: PaymentTransactionView, paymentExternalKey: string): PaymentTransaction {
  const row = view.transaction;
  const info = view.pluginInfo;
  return {
    transactionId: row.id,
    transactionExternalKey: row.transactionExternalKey,
    paymentId: row.paymentId,
    paymentExternalKey,
    transactionType: row.transactionType,
    amount: row.amount,
    currency: row.currency,
    effectiveDate: row.effectiveDate.toISOString(),
    processedAmount: row.processedAmount,
    processedCurrency: row.processedCurrency,
    status: row.transactionStatus,
    gatewayErrorCode: row.gatewayErrorCode,
    gatewayErrorMsg: row.gatewayErrorMsg,
    firstPaymentReferenceId: info ? info.firstPaymentReferenceId : null,
    secondPaymentReferenceId: info ? info.secondPaymentReferenceId : null,
    properties: info ? info.properties.map(toPluginPropertyJson) : null,
    auditLogs: view.auditLogs,
  };
}

export function toPaymentAttemptJson(view: PaymentAttemptView): PaymentAttempt {
  return {
    accountId: view.accountId,
    paymentMethodId: view.paymentMethodId,
    paymentExternalKey: view.paymentExternalKey,
    transactionId: view.transactionId,
    transactionExternalKey: view.transactionExternalKey,
    transactionType: view.transactionType,
    effectiveDate: view.effectiveDate.toISOString(),
    stateName: view.stateName,
    amount: view.amount,
    currency: view.currency,
    pluginName: view.pluginName,
    pluginProperties: view.pluginProperties?.map(toPluginPropertyJson) ?? null,
    auditLogs: view.auditLogs,
  };
}

function toPluginPropertyJson(property: PluginPropertyValue): PluginProperty {
  return { key: property.key, value: property.value, isUpdatable: property.isUpdatable ?? false };
}
