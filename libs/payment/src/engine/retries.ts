/**
 * When a failed invoice payment is tried again (InvoicePaymentControlPluginApi#computeNextRetryDate,
 * spec 2.6) and when the janitor looks at a PENDING or UNKNOWN transaction again
 * (IncompletePaymentAttemptTask#getNextNotificationTime, spec 2.8). Instants are UTC `Date`s:
 * Kill Bill adds days to a UTC DateTime, so a day is 24 hours here.
 */
import type { PluginCallResult, TransactionStatus, TransactionType } from './model';
import { transactionStatusOf } from './plugin-result';
import { stateAfter } from './payment-state-machine';
import type { PaymentStateName } from './payment-states';

export interface PaymentRetryConfig {
  /** org.killbill.payment.retry.days: the delay in days before each retry after a PAYMENT_FAILURE. */
  readonly paymentFailureRetryDays: readonly number[];
  /** org.killbill.payment.failure.retry.start.sec */
  readonly pluginFailureRetryStartSec: number;
  /** org.killbill.payment.failure.retry.multiplier */
  readonly pluginFailureRetryMultiplier: number;
  /** org.killbill.payment.failure.retry.max.attempts */
  readonly pluginFailureRetryMaxAttempts: number;
}

export const DEFAULT_PAYMENT_RETRY_CONFIG: PaymentRetryConfig = {
  paymentFailureRetryDays: [8, 8, 8],
  pluginFailureRetryStartSec: 300,
  pluginFailureRetryMultiplier: 2,
  pluginFailureRetryMaxAttempts: 8,
};

const SECOND_MS = 1000;
const DAY_MS = 86_400 * SECOND_MS;

export type RetryDelay = { readonly unit: 'days' | 'seconds'; readonly amount: number };

/**
 * The delay before the next retry after the `failures`-th failure of that kind (1 = the first),
 * or null when no retry is left. PAYMENT_FAILURE: the `failures`-th entry of the day list.
 * PLUGIN_FAILURE: Kill Bill's loop, start × multiplier^(failures − 2) from the third failure on
 * (the first two both wait `start`), while failures − 1 < max attempts. Other statuses: none.
 */
export function retryDelay(kind: TransactionStatus, failures: number, config: PaymentRetryConfig = DEFAULT_PAYMENT_RETRY_CONFIG): RetryDelay | null {
  const retryCount = Math.max(failures - 1, 0);
  if (kind === 'PAYMENT_FAILURE') {
    const days = config.paymentFailureRetryDays[retryCount];
    return days === undefined ? null : { unit: 'days', amount: days };
  }
  if (kind === 'PLUGIN_FAILURE') {
    if (retryCount >= config.pluginFailureRetryMaxAttempts) return null;
    let seconds = config.pluginFailureRetryStartSec;
    for (let remaining = retryCount - 1; remaining > 0; remaining--) seconds *= config.pluginFailureRetryMultiplier;
    return { unit: 'seconds', amount: seconds };
  }
  return null;
}

export function plusDelay(now: Date, delay: RetryDelay): Date {
  return new Date(now.getTime() + delay.amount * (delay.unit === 'days' ? DAY_MS : SECOND_MS));
}

export interface RetryContext {
  /** The statuses of the payment's PURCHASE transactions, oldest first (the one that just failed last). */
  readonly purchaseStatuses: readonly TransactionStatus[];
  /** A call through the API (not the system's automatic payment). */
  readonly isApiPayment: boolean;
  /** Plugin property IPCD_RETRIES=true: an API payment retried like a system one. */
  readonly ipcdRetries: boolean;
  readonly now: Date;
  readonly config?: PaymentRetryConfig;
}

/** When to retry a failed invoice payment, or null (API payment, UNKNOWN, retries exhausted). */
export function nextRetryDate(context: RetryContext): Date | null {
  if (context.isApiPayment && !context.ipcdRetries) return null;
  const last = context.purchaseStatuses[context.purchaseStatuses.length - 1];
  if (last !== 'PAYMENT_FAILURE' && last !== 'PLUGIN_FAILURE') return null;
  const failures = context.purchaseStatuses.filter((status) => status === last).length;
  const delay = retryDelay(last, failures, context.config);
  return delay === null ? null : plusDelay(context.now, delay);
}

export interface JanitorConfig {
  /** org.killbill.payment.janitor.unknown.retries, in milliseconds */
  readonly unknownRetriesMs: readonly number[];
  /** org.killbill.payment.janitor.pending.retries, in milliseconds */
  readonly pendingRetriesMs: readonly number[];
  /** org.killbill.payment.janitor.attempts.delay, in milliseconds */
  readonly attemptsDelayMs: number;
}

const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

export const DEFAULT_JANITOR_CONFIG: JanitorConfig = {
  unknownRetriesMs: [5 * MINUTE_MS, HOUR_MS, DAY_MS, DAY_MS, DAY_MS, DAY_MS, DAY_MS],
  pendingRetriesMs: [HOUR_MS, DAY_MS],
  attemptsDelayMs: 12 * HOUR_MS,
};

/**
 * When the janitor checks a transaction again for its `attemptNumber`-th time (1 = the first check
 * after the operation): UNKNOWN and PENDING follow their lists; null once a list is exhausted or for
 * any other status.
 */
export function nextJanitorCheck(status: TransactionStatus, attemptNumber: number, now: Date, config: JanitorConfig = DEFAULT_JANITOR_CONFIG): Date | null {
  const retries = status === 'UNKNOWN' ? config.unknownRetriesMs : status === 'PENDING' ? config.pendingRetriesMs : [];
  const delay = attemptNumber >= 1 ? retries[attemptNumber - 1] : undefined;
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/** When the janitor looks at an attempt made at `now` in case its outcome was never written (a crash during the plugin call). */
export function incompleteAttemptCheck(now: Date, config: JanitorConfig = DEFAULT_JANITOR_CONFIG): Date {
  return new Date(now.getTime() + config.attemptsDelayMs);
}

/** An attempt still INIT is reconciled by the janitor once it is older than the attempts delay. */
export function isIncompleteAttemptDue(createdDate: Date, now: Date, config: JanitorConfig = DEFAULT_JANITOR_CONFIG): boolean {
  return createdDate.getTime() <= now.getTime() - config.attemptsDelayMs;
}

export type JanitorRepair =
  /** The plugin's answer settles the transaction: store that status and move the payment to that state. */
  | { readonly changed: true; readonly status: TransactionStatus; readonly stateName: PaymentStateName }
  /** Nothing better known: keep it and check again later (`nextJanitorCheck`). */
  | { readonly changed: false; readonly status: TransactionStatus };

/**
 * What the janitor makes of the plugin's latest answer about a PENDING/UNKNOWN transaction
 * (IncompletePaymentTransactionTask): an UNKNOWN answer keeps the current status; the same status
 * changes nothing; any other status moves the transaction and the payment state.
 */
export function janitorRepair(type: TransactionType, current: TransactionStatus, latest: PluginCallResult): JanitorRepair {
  const answered = transactionStatusOf(latest);
  const status = answered === 'UNKNOWN' ? current : answered;
  if (status === 'UNKNOWN' || status === current) return { changed: false, status };
  const stateName = status === 'PLUGIN_FAILURE' ? stateAfter(type, 'EXCEPTION') : stateAfter(type, status);
  return { changed: true, status, stateName };
}
