import { type ArgumentsHost, Catch, type ExceptionFilter, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { KillBillConfig } from '@kb/platform';
import { type PaymentEndpointKind, type PaymentErrorBody, type PaymentTransactionResult, httpAnswerOf } from '@kb/payment';

/** A payment write that did not end in a 201/204: Kill Bill's status, its error body and, for a declined/failed one, the Location of the payment. */
export class PaymentAnswerError extends Error {
  override readonly name = 'PaymentAnswerError';

  constructor(
    readonly status: number,
    readonly body: PaymentErrorBody | null,
    readonly location: string | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
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
