import { ErrorCode, type ErrorCodeDefinition, type ErrorCodeName, formatErrorMessage } from './error-code';
import { statusForErrorCode } from './error-status';

/**
 * The one business exception: carries a Kill Bill ErrorCode (name and number) and renders its
 * message. The global filter turns it into Kill Bill's error JSON with the mapped HTTP status.
 */
export class KillBillException extends Error {
  readonly errorCode: ErrorCodeDefinition;
  readonly httpStatus: number;
  readonly className: string;

  constructor(code: ErrorCodeName, args: readonly unknown[] = [], options: { status?: number; className?: string; cause?: unknown } = {}) {
    const definition = ErrorCode[code];
    super(formatErrorMessage(definition, args), { cause: options.cause });
    this.name = 'KillBillException';
    this.errorCode = definition;
    this.httpStatus = options.status ?? statusForErrorCode(definition);
    this.className = options.className ?? javaClassForErrorCode(definition.code);
  }
}

/**
 * A state Kill Bill refuses with IllegalStateException, which its mapper answers with a 500 carrying
 * the message (e.g. a control tag on an object type it does not apply to).
 */
export class IllegalStateError extends Error {
  override readonly name = 'IllegalStateError';
}

/** Bad input that has no ErrorCode (Kill Bill raises IllegalArgumentException): always a 400. */
export class InvalidRequestException extends Error {
  override readonly name = 'InvalidRequestException';
}

/** Kill Bill's API exception class for each error code family, as it appears in `className`. */
function javaClassForErrorCode(code: number): string {
  const base = 'org.killbill.billing';
  if (code >= 1000 && code < 2000) return `${base}.subscription.api.user.SubscriptionBaseApiException`;
  if (code >= 2000 && code < 3000) return `${base}.catalog.api.CatalogApiException`;
  if (code >= 3000 && code < 3500) return `${base}.account.api.AccountApiException`;
  if (code >= 3500 && code < 3900) return `${base}.account.api.AccountApiException`;
  if (code >= 3900 && code < 3950) return `${base}.util.api.TagDefinitionApiException`;
  if (code >= 3950 && code < 4000) return `${base}.util.api.TagApiException`;
  if (code >= 4000 && code < 5000) return `${base}.invoice.api.InvoiceApiException`;
  if (code >= 5000 && code < 6000) return `${base}.overdue.api.OverdueApiException`;
  if (code >= 6000 && code < 7000) return `${base}.entitlement.api.BlockingApiException`;
  if (code >= 7000 && code < 8000) return `${base}.payment.api.PaymentApiException`;
  if (code >= 8000 && code < 9000) return `${base}.entitlement.api.EntitlementApiException`;
  if (code >= 9000 && code < 10000) return `${base}.util.api.CustomFieldApiException`;
  if (code >= 20000 && code < 30000) return `${base}.tenant.api.TenantApiException`;
  if (code >= 40000 && code < 50000) return `${base}.security.SecurityApiException`;
  if (code >= 50000 && code < 60000) return `${base}.usage.api.UsageApiException`;
  return `${base}.BillingExceptionBase`;
}
