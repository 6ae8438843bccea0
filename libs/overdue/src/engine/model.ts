import type Big from 'big.js';
import type { LocalDate } from '@js-joda/core';

/** Kill Bill's catalog TimeUnit, as overdue durations use it. */
export const TIME_UNITS = ['DAYS', 'WEEKS', 'MONTHS', 'YEARS', 'UNLIMITED'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** Kill Bill's PaymentResponse (the values a `<response>` may hold). */
export const PAYMENT_RESPONSES = [
  'INVALID_CARD',
  'EXPIRED_CARD',
  'LOST_OR_STOLEN_CARD',
  'DO_NOT_HONOR',
  'INSUFFICIENT_FUNDS',
  'DECLINE',
  'PROCESSING_ERROR',
  'INVALID_AMOUNT',
  'DUPLICATE_TRANSACTION',
  'OTHER',
] as const;
export type PaymentResponse = (typeof PAYMENT_RESPONSES)[number];

/** Kill Bill's ControlTagType names (what controlTagInclusion/Exclusion may name). */
export const CONTROL_TAG_TYPES = [
  'AUTO_PAY_OFF',
  'AUTO_INVOICING_OFF',
  'OVERDUE_ENFORCEMENT_OFF',
  'WRITTEN_OFF',
  'MANUAL_PAY',
  'TEST',
  'PARTNER',
  'AUTO_INVOICING_DRAFT',
  'AUTO_INVOICING_REUSE_DRAFT',
] as const;
export type ControlTagType = (typeof CONTROL_TAG_TYPES)[number];

export const CANCELLATION_POLICIES = ['END_OF_TERM', 'IMMEDIATE', 'NONE'] as const;
export type OverdueCancellationPolicy = (typeof CANCELLATION_POLICIES)[number];

/** `<unit>` and `<number>`; a missing number is Kill Bill's -1. */
export interface OverdueDuration {
  readonly unit: TimeUnit;
  readonly number: number;
}

/** The AND of the criteria present (none present: always true). */
export interface OverdueCondition {
  readonly numberOfUnpaidInvoicesEqualsOrExceeds?: number;
  readonly totalUnpaidInvoiceBalanceEqualsOrExceeds?: Big;
  readonly timeSinceEarliestUnpaidInvoiceEqualsOrExceeds?: OverdueDuration;
  readonly responseForLastFailedPaymentIn?: readonly PaymentResponse[];
  readonly controlTagInclusion?: ControlTagType;
  readonly controlTagExclusion?: ControlTagType;
}

/** Kill Bill's deprecated `<enterStateEmailNotification>`: kept so such configurations still load. */
export interface EmailNotification {
  readonly subject?: string;
  readonly templateName?: string;
  readonly isHTML?: boolean;
}

export interface OverdueStateConfig {
  readonly name: string;
  /** No condition: the state is never entered by evaluation. */
  readonly condition?: OverdueCondition;
  /** Kill Bill's default is "", but a configuration built from JSON may leave it out (null). */
  readonly externalMessage: string | null;
  readonly blockChanges: boolean;
  readonly disableEntitlementAndChangesBlocked: boolean;
  /** Null only for configurations built from JSON without one (reads back as NONE). */
  readonly subscriptionCancellationPolicy: OverdueCancellationPolicy | null;
  readonly isClearState: boolean;
  readonly autoReevaluationInterval?: OverdueDuration;
  readonly enterStateEmailNotification?: EmailNotification;
}

/** `<overdueConfig><accountOverdueStates>`: states in document order (most severe first). */
export interface OverdueConfig {
  readonly initialReevaluationInterval?: OverdueDuration;
  readonly states: readonly OverdueStateConfig[];
}

/** What the evaluator knows of an account (Kill Bill's BillingState). */
export interface BillingState {
  readonly numberOfUnpaidInvoices: number;
  readonly balanceOfUnpaidInvoices: Big;
  /** The invoice date of the oldest unpaid invoice; null when nothing is unpaid. */
  readonly dateOfEarliestUnpaidInvoice: LocalDate | null;
  readonly responseForLastFailedPayment: PaymentResponse;
  /** Names of the control tags on the account. */
  readonly accountControlTags: readonly string[];
}

/** The state an account is in when no configured state matches (and before any evaluation). */
export const CLEAR_STATE_NAME = '__KILLBILL__CLEAR__OVERDUE_STATE__';

export const CLEAR_STATE: OverdueStateConfig = {
  name: CLEAR_STATE_NAME,
  externalMessage: '',
  blockChanges: false,
  disableEntitlementAndChangesBlocked: false,
  subscriptionCancellationPolicy: 'NONE',
  isClearState: true,
};

/** The service name of overdue's ACCOUNT blocking states. */
export const OVERDUE_SERVICE_NAME = 'overdue-service';

export const MAX_STATE_NAME_LENGTH = 50;
