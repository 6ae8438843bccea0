/**
 * From a plugin's answer to a transaction status, an automaton result, the processed amounts
 * (Kill Bill's PaymentTransactionInfoPluginConverter and PaymentAutomatonDAOHelper#processPaymentInfoPlugin),
 * and from the outcome to Kill Bill's HTTP answer (JaxRsResourceBase#createPaymentResponse, spec 2.3).
 */
import Big from 'big.js';
import { type Currency, KillBillError, javaClassForErrorCode } from '@kb/kernel';
import type { OperationResult, PluginCallResult, TransactionStatus } from './model';

/**
 * The transaction status a plugin call leaves: PROCESSED → SUCCESS, PENDING → PENDING, ERROR →
 * PAYMENT_FAILURE (the gateway declined), CANCELED → PLUGIN_FAILURE (it surely did not happen),
 * UNDEFINED, no status, a timeout, an exception or a null result → UNKNOWN (for the janitor).
 */
export function transactionStatusOf(result: PluginCallResult): TransactionStatus {
  if (result.kind !== 'ANSWER') return 'UNKNOWN';
  switch (result.status) {
    case 'PROCESSED':
      return 'SUCCESS';
    case 'PENDING':
      return 'PENDING';
    case 'ERROR':
      return 'PAYMENT_FAILURE';
    case 'CANCELED':
      return 'PLUGIN_FAILURE';
    default:
      return 'UNKNOWN';
  }
}

/** The automaton's result for a plugin call: CANCELED, UNDEFINED and every call without an answer are EXCEPTION (→ `<OP>_ERRORED`). */
export function operationResultOf(result: PluginCallResult): OperationResult {
  if (result.kind !== 'ANSWER') return 'EXCEPTION';
  switch (result.status) {
    case 'PROCESSED':
      return 'SUCCESS';
    case 'PENDING':
      return 'PENDING';
    case 'ERROR':
      return 'FAILURE';
    default:
      return 'EXCEPTION';
  }
}

/** The automaton's result for a status set from outside the plugin (completion, admin fix, janitor). */
export function operationResultOfStatus(status: TransactionStatus): OperationResult {
  switch (status) {
    case 'SUCCESS':
      return 'SUCCESS';
    case 'PENDING':
      return 'PENDING';
    case 'PAYMENT_FAILURE':
      return 'FAILURE';
    default:
      return 'EXCEPTION';
  }
}

export interface ProcessedAmounts {
  readonly processedAmount: Big;
  readonly processedCurrency: Currency | null;
  readonly gatewayErrorCode: string | null;
  readonly gatewayErrorMsg: string | null;
}

/**
 * What is stored on the transaction after the call: SUCCESS and PENDING keep the plugin's amount
 * (the requested one when it reports none), every other status 0; the plugin's currency, else the
 * requested one; the gateway's error code and message as reported.
 */
export function processedAmountsOf(status: TransactionStatus, result: PluginCallResult, requested: { amount: Big | null; currency: Currency | null }): ProcessedAmounts {
  const answer = result.kind === 'ANSWER' ? result : null;
  const succeeded = status === 'SUCCESS' || status === 'PENDING';
  const processedAmount = succeeded ? (answer?.amount ?? requested.amount ?? new Big(0)) : new Big(0);
  return {
    processedAmount,
    processedCurrency: answer?.currency ?? requested.currency,
    gatewayErrorCode: answer?.gatewayErrorCode ?? null,
    gatewayErrorMsg: answer?.gatewayError ?? null,
  };
}

/**
 * The error a plugin call without an answer raises once its UNKNOWN transaction is recorded: a
 * timeout → PAYMENT_PLUGIN_TIMEOUT (504), an exception → PAYMENT_PLUGIN_EXCEPTION (400), a null
 * result → PAYMENT_INTERNAL_ERROR (500). Null for an answer (its status decides the HTTP answer).
 */
export function pluginCallError(result: PluginCallResult, context: { accountId: string; pluginName: string }): KillBillError | null {
  switch (result.kind) {
    case 'TIMEOUT':
      return new KillBillError('PAYMENT_PLUGIN_TIMEOUT', [context.accountId, context.pluginName]);
    case 'EXCEPTION':
      return new KillBillError('PAYMENT_PLUGIN_EXCEPTION', [result.message ?? '']);
    case 'NULL_RESULT':
      return new KillBillError('PAYMENT_INTERNAL_ERROR', ['Payment plugin returned a null result']);
    default:
      return null;
  }
}

/** Kill Bill's error JSON as the payment endpoints write it for a declined / failed / unknown transaction. */
export interface PaymentErrorBody {
  readonly className: string;
  readonly code: number | null;
  readonly message: string;
  readonly causeClassName: null;
  readonly causeMessage: null;
  readonly stackTrace: readonly never[];
}

export interface PaymentHttpAnswer {
  readonly status: number;
  /** Whether the answer carries `Location` (the payment, or the invoice payment). */
  readonly location: boolean;
  readonly body: PaymentErrorBody | null;
}

/**
 * Which kind of endpoint answers: `PAYMENT` the direct ones (`/payments/...`, `/accounts/{id}/payments`,
 * combo, `/paymentTransactions/...`); `INVOICE_PAYMENT` those through the invoice payment control
 * (`/invoices/{id}/payments`, `/accounts/{id}/invoicePayments`, `/invoicePayments/...`), which never
 * answer 402; `VOID` (`DELETE /payments/{id}`) and `COMPLETION` (the PUTs), which answer 204.
 */
export type PaymentEndpointKind = 'PAYMENT' | 'INVOICE_PAYMENT' | 'VOID' | 'COMPLETION';

/** How the operation ended, as far as the HTTP answer is concerned. */
export type PaymentOutcome =
  | { readonly kind: 'TRANSACTION'; readonly status: TransactionStatus; readonly gatewayErrorMsg?: string | null }
  | { readonly kind: 'PLUGIN_TIMEOUT' | 'PLUGIN_EXCEPTION' | 'PLUGIN_NULL_RESULT'; readonly error: KillBillError }
  /** A control plugin aborted the call (no payment, the attempt ABORTED). */
  | { readonly kind: 'CONTROL_ABORTED'; readonly reason?: string };

const PAYMENT_API_EXCEPTION = javaClassForErrorCode(7000);

function paymentErrorBody(message: string, code: number | null = null): PaymentErrorBody {
  return { className: PAYMENT_API_EXCEPTION, code, message, causeClassName: null, causeMessage: null, stackTrace: [] };
}

/** Kill Bill's status code, Location and error body for an outcome on an endpoint kind (spec 2.3). */
export function httpAnswerOf(outcome: PaymentOutcome, endpoint: PaymentEndpointKind): PaymentHttpAnswer {
  switch (outcome.kind) {
    case 'PLUGIN_TIMEOUT':
    case 'PLUGIN_EXCEPTION':
    case 'PLUGIN_NULL_RESULT': {
      const status = outcome.kind === 'PLUGIN_TIMEOUT' ? 504 : outcome.kind === 'PLUGIN_EXCEPTION' ? 400 : 500;
      return { status, location: false, body: { ...paymentErrorBody(outcome.error.message, outcome.error.code), className: outcome.error.className } };
    }
    case 'CONTROL_ABORTED': {
      if (endpoint === 'INVOICE_PAYMENT') return { status: 204, location: false, body: null };
      const error = new KillBillError('PAYMENT_PLUGIN_API_ABORTED', [outcome.reason ?? '']);
      return { status: 422, location: false, body: paymentErrorBody(error.message, error.code) };
    }
    case 'TRANSACTION':
      break;
  }
  if (endpoint === 'VOID' || endpoint === 'COMPLETION') return { status: 204, location: false, body: null };
  if (endpoint === 'INVOICE_PAYMENT') return { status: 201, location: true, body: null };
  switch (outcome.status) {
    case 'SUCCESS':
    case 'PENDING':
      return { status: 201, location: true, body: null };
    case 'PAYMENT_FAILURE':
      return { status: 402, location: true, body: paymentErrorBody(`Payment decline by gateway. Error message: ${outcome.gatewayErrorMsg ?? null}`) };
    case 'PAYMENT_SYSTEM_OFF':
      return { status: 503, location: true, body: paymentErrorBody('Payment system is off.') };
    case 'UNKNOWN':
      return { status: 503, location: true, body: paymentErrorBody('Payment in unknown status, failed to receive gateway response.') };
    case 'PLUGIN_FAILURE':
      return { status: 502, location: true, body: paymentErrorBody('Failed to submit payment transaction') };
  }
}
