import { type ArgumentsHost, Catch, type ExceptionFilter, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { KillBillConfig } from '@kb/platform';
import { type ComboPaymentOutcome, type CompletionOutcome, type PaymentEndpointKind, type PaymentErrorBody, type PaymentTransactionResult, httpAnswerOf } from '@kb/payment';

/** A payment write that did not end in a 201/204: Kill Bill's status, its error body and, for a declined/failed one, the Location of the payment. */
export class PaymentAnswerError extends Error {
  override readonly name = 'PaymentAnswerError';

  constructor(
    readonly status: number,
    /** A string is sent as text (Kill Bill's 412 on a transaction type an account cannot start). */
    readonly body: PaymentErrorBody | string | null,
    readonly location: string | null,
  ) {
    super(typeof body === 'string' ? body : (body?.message ?? `HTTP ${status}`));
  }
}

/** What the Location of a payment write points at. */
export const PAYMENT_LOCATION = '/1.0/kb/payments/{paymentId}';
export const INVOICE_PAYMENT_LOCATION = '/1.0/kb/invoicePayments/{paymentId}';

/**
 * The HTTP answer of a payment write (spec 2.3, via the engine's httpAnswerOf): the payment id for
 * the route's 201 Location, nothing for a 204, else a PaymentAnswerError for PaymentAnswerFilter.
 */
export function answerPayment(result: PaymentTransactionResult, endpoint: PaymentEndpointKind): { paymentId: string } {
  const answer = httpAnswerOf(result.outcome, endpoint);
  if (answer.status === 201 || answer.status === 204) return { paymentId: result.payment.id };
  const template = endpoint === 'INVOICE_PAYMENT' ? INVOICE_PAYMENT_LOCATION : PAYMENT_LOCATION;
  throw new PaymentAnswerError(answer.status, answer.body, answer.location ? template.replace('{paymentId}', result.payment.id) : null);
}

/** Writes a PaymentAnswerError as Kill Bill does: the status, the Location (full URL when configured), the error JSON. */
@Catch(PaymentAnswerError)
@Injectable()
export class PaymentAnswerFilter implements ExceptionFilter<PaymentAnswerError> {
  constructor(private readonly config: KillBillConfig) {}

  catch(error: PaymentAnswerError, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.removeHeader('Content-Type');
    if (error.location !== null) {
      response.location(this.config.getBoolean('org.killbill.jaxrs.location.full.url') ? `${request.protocol}://${request.get('host')}${error.location}` : error.location);
    }
    response.status(error.status);
    if (error.body === null) response.end();
    else if (typeof error.body === 'string') response.type('text/plain').send(error.body);
    else response.json(error.body);
  }
}

/** An invoice payment write: 201 to the invoice payment, 204 when the control plugin aborted (nothing paid), never 402 (spec 2.3). */
export function answerInvoicePayment(result: PaymentTransactionResult | null): { paymentId: string } {
  if (result === null) throw new PaymentAnswerError(204, null, null);
  return answerPayment(result, 'INVOICE_PAYMENT');
}

/** payAllInvoices: 201 to the paid invoices, 204 when nothing was paid. */
export function answerPaidInvoices<T extends object>(paid: T | null): T {
  if (paid === null) throw new PaymentAnswerError(204, null, null);
  return paid;
}

/** A completion (PUT): 204 whatever the plugin said (errors without an answer aside); 404 without an unsuccessful invoice payment to complete. */
export function answerCompletion(outcome: CompletionOutcome): void {
  if (outcome.kind === 'NO_PENDING_INVOICE_PAYMENT') throw new PaymentAnswerError(404, null, null);
  if (outcome.result !== null) answerPayment(outcome.result, 'COMPLETION');
}

/** A combo payment: as any new transaction (spec 2.3), or 412 for a type an account cannot start. */
export function answerComboPayment(outcome: ComboPaymentOutcome): { paymentId: string } {
  if (outcome.kind === 'TYPE_NOT_ALLOWED') throw new PaymentAnswerError(412, `TransactionType ${outcome.transactionType} is not allowed for an account`, null);
  return answerPayment(outcome.result, 'PAYMENT');
}
