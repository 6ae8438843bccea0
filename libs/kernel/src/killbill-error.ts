import { ErrorCode, type ErrorCodeDefinition, type ErrorCodeName, formatErrorMessage } from './error-code';

/**
 * The one business error, as engines raise it: a Kill Bill ErrorCode (name and number), its message
 * arguments and the message rendered with the code's Java format. No HTTP in here: the platform's
 * exception filter maps it to the status and error JSON Kill Bill answers.
 */
export class KillBillError extends Error {
  readonly codeName: ErrorCodeName;
  readonly errorCode: ErrorCodeDefinition;
  /** The ErrorCode's number (what Kill Bill's error JSON carries as `code`). */
  readonly code: number;
  readonly args: readonly unknown[];
  /** The Java exception class Kill Bill names in `className` (its API exception for the code's family). */
  readonly className: string;

  constructor(codeName: ErrorCodeName, args: readonly unknown[] = [], options: { className?: string; cause?: unknown } = {}) {
    const definition = ErrorCode[codeName];
    super(formatErrorMessage(definition, args), { cause: options.cause });
    this.name = 'KillBillError';
    this.codeName = codeName;
    this.errorCode = definition;
    this.code = definition.code;
    this.args = args;
    this.className = options.className ?? javaClassForErrorCode(definition.code);
  }
}

/** Kill Bill's API exception class for each error code family, as it appears in `className`. */
export function javaClassForErrorCode(code: number): string {
  const base = 'org.killbill.billing';
  if (code >= 1000 && code < 2000) return `${base}.subscription.api.user.SubscriptionBaseApiException`;
  if (code >= 2000 && code < 3000) return `${base}.catalog.api.CatalogApiException`;
  if (code >= 3000 && code < 3900) return `${base}.account.api.AccountApiException`;
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
