import { type ErrorCodeName, KillBillError } from '@kb/kernel';
import { statusForErrorCode } from './error-status';

/**
 * The kernel's business error with an HTTP status attached (the mapped one unless a caller needs
 * another). The global filter answers any KillBillError; this subclass only pins the status.
 */
export class KillBillException extends KillBillError {
  readonly httpStatus: number;

  constructor(code: ErrorCodeName, args: readonly unknown[] = [], options: { status?: number; className?: string; cause?: unknown } = {}) {
    super(code, args, options);
    this.name = 'KillBillException';
    this.httpStatus = options.status ?? statusForErrorCode(this.errorCode);
  }
}

/** The HTTP status Kill Bill answers for a business error. */
export function httpStatusOf(error: KillBillError): number {
  return error instanceof KillBillException ? error.httpStatus : statusForErrorCode(error.errorCode);
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

/** An answer Kill Bill gives as a bare status with no body (`Response.status(BAD_REQUEST).build()`). */
export class EmptyStatusError extends Error {
  override readonly name = 'EmptyStatusError';

  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}
