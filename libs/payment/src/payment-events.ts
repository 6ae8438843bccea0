import { defineBusEvent, defineQueue } from '@kb/platform';

/** What Kill Bill's payment bus events carry (PaymentInfoInternalEvent, PaymentErrorInternalEvent, PaymentPluginErrorInternalEvent). */
export interface PaymentEventPayload {
  readonly accountId: string;
  readonly paymentId: string;
  readonly paymentTransactionId: string;
  readonly transactionType: string;
  readonly status: string;
  /** The processed amount, a decimal string (null for a void). */
  readonly amount: string | null;
  readonly currency: string | null;
  readonly effectiveDate: string;
}

/** A transaction ended SUCCESS or PENDING. */
export const PaymentSuccess = defineBusEvent<PaymentEventPayload>('PAYMENT_SUCCESS');
/** The gateway declined (PAYMENT_FAILURE). */
export const PaymentFailed = defineBusEvent<PaymentEventPayload>('PAYMENT_FAILED');
/** The plugin failed or left the outcome unknown (PLUGIN_FAILURE, UNKNOWN). */
export const PaymentPluginError = defineBusEvent<PaymentEventPayload>('PAYMENT_PLUGIN_ERROR');

/** Kill Bill's janitor notification: look at a PENDING or UNKNOWN transaction again through the plugin's getPaymentInfo. */
export interface PaymentJanitorNotification {
  readonly accountId: string;
  readonly paymentId: string;
  readonly transactionId: string;
  /** 1 for the first check after the operation. */
  readonly attemptNumber: number;
}

export const PaymentJanitorQueue = defineQueue<PaymentJanitorNotification>('payment-janitor');

/**
 * Kill Bill's IncompletePaymentAttemptTask, per attempt: scheduled with the rows written before the
 * plugin call, due after `org.killbill.payment.janitor.attempts.delay`; if the node died before the
 * outcome was written, the transaction is still UNKNOWN then and the janitor settles it. A no-op otherwise.
 */
export const PaymentAttemptJanitorQueue = defineQueue<PaymentJanitorNotification>('payment-janitor-attempts');

/** Kill Bill's InvoicePaymentInfoEvent / InvoicePaymentErrorEvent: an invoice payment row settled or failed. */
export interface InvoicePaymentEventPayload {
  readonly accountId: string;
  readonly invoiceId: string;
  readonly paymentId: string;
  /** The amount the invoice payment row carries, a decimal string. */
  readonly amount: string;
  readonly currency: string;
  readonly status: string;
}

export const InvoicePaymentSuccess = defineBusEvent<InvoicePaymentEventPayload>('INVOICE_PAYMENT_SUCCESS');
export const InvoicePaymentFailed = defineBusEvent<InvoicePaymentEventPayload>('INVOICE_PAYMENT_FAILED');

/**
 * Kill Bill's payment retry notification: pay the invoice again, on the same payment and transaction
 * key. The replay of a payment AUTO_PAY_OFF held back has no payment yet (null ids: a new payment
 * with the account's default method).
 */
export interface PaymentRetryNotification {
  readonly accountId: string;
  readonly invoiceId: string;
  readonly paymentId: string | null;
  readonly paymentExternalKey: string | null;
  readonly transactionExternalKey: string | null;
  readonly paymentMethodId: string | null;
  /** The attempt that failed (RETRIED); what a SCHEDULED attempt and its cancellation refer to. */
  readonly attemptId: string | null;
}

export const PaymentRetryQueue = defineQueue<PaymentRetryNotification>('payment-retry');

/** The automatic payment of a new invoice, due at once: queued by the INVOICE_CREATION handler, paid outside any transaction. */
export interface InvoicePaymentDueNotification {
  readonly accountId: string;
  readonly invoiceId: string;
}

export const InvoicePaymentDueQueue = defineQueue<InvoicePaymentDueNotification>('invoice-payment-due');
