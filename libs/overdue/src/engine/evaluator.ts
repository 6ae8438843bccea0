import { Instant, type LocalDate, ZonedDateTime, ZoneOffset } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import { addDuration } from '@kb/catalog/engine';
import {
  type BillingState,
  CLEAR_STATE,
  CLEAR_STATE_NAME,
  type OverdueCondition,
  type OverdueConfig,
  type OverdueDuration,
  type OverdueStateConfig,
} from './model';

/** A duration that means "no re-evaluation" (Kill Bill: missing, UNLIMITED or 0). */
export function isUsableInterval(duration: OverdueDuration | undefined): duration is OverdueDuration {
  return duration !== undefined && duration.unit !== 'UNLIMITED' && duration.number !== 0;
}

/** `instant` plus the duration, months and years on the UTC calendar (Kill Bill's DateTime.plus(Period)). */
export function addToInstant(instant: Date, duration: OverdueDuration): Date {
  const start = ZonedDateTime.ofInstant(Instant.ofEpochMilli(instant.getTime()), ZoneOffset.UTC);
  const end =
    duration.unit === 'DAYS'
      ? start.plusDays(duration.number)
      : duration.unit === 'WEEKS'
        ? start.plusWeeks(duration.number)
        : duration.unit === 'MONTHS'
          ? start.plusMonths(duration.number)
          : duration.unit === 'YEARS'
            ? start.plusYears(duration.number)
            : undefined;
  if (!end) throw new Error(`Unexpected duration unit ${duration.unit}`);
  return new Date(end.toInstant().toEpochMilli());
}

/** The days component of a duration as Kill Bill's JSON shows it (Joda Period#getDays: weeks or months give 0). */
export function daysComponent(duration: OverdueDuration | undefined): number | null {
  if (!isUsableInterval(duration)) return null;
  return duration.unit === 'DAYS' ? duration.number : 0;
}

/** Kill Bill's DefaultOverdueCondition#evaluate on `today` (the account's local date of the evaluation). */
export function conditionMatches(condition: OverdueCondition, state: BillingState, today: LocalDate): boolean {
  const {
    numberOfUnpaidInvoicesEqualsOrExceeds: count,
    totalUnpaidInvoiceBalanceEqualsOrExceeds: balance,
    timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: age,
    responseForLastFailedPaymentIn: responses,
    controlTagInclusion: included,
    controlTagExclusion: excluded,
  } = condition;
  if (count !== undefined && state.numberOfUnpaidInvoices < count) return false;
  if (balance !== undefined && balance.gt(state.balanceOfUnpaidInvoices)) return false;
  if (age !== undefined) {
    // nothing unpaid: no date to count from, the criterion fails
    if (state.dateOfEarliestUnpaidInvoice === null) return false;
    if (addDuration(state.dateOfEarliestUnpaidInvoice, age).isAfter(today)) return false;
  }
  if (responses !== undefined && !responses.includes(state.responseForLastFailedPayment)) return false;
  if (included !== undefined && !state.accountControlTags.includes(included)) return false;
  if (excluded !== undefined && state.accountControlTags.includes(excluded)) return false;
  return true;
}

/** The first state in document order whose condition matches; none: the clear state. */
export function overdueStateFor(config: OverdueConfig, state: BillingState, today: LocalDate): OverdueStateConfig {
  return config.states.find((candidate) => candidate.condition !== undefined && conditionMatches(candidate.condition, state, today)) ?? CLEAR_STATE;
}

/** A state by name (the clear state's reserved name included); unknown: CAT_NO_SUCH_OVERDUE_STATE. */
export function findOverdueState(config: OverdueConfig, name: string): OverdueStateConfig {
  if (name === CLEAR_STATE_NAME) return CLEAR_STATE;
  const state = config.states.find((candidate) => candidate.name === name);
  if (!state) throw new KillBillError('CAT_NO_SUCH_OVERDUE_STATE', [name]);
  return state;
}

/** The blocking flags a state writes (Kill Bill's OverdueStateApplicator#storeNewState). */
export function blockingFlagsOf(state: OverdueStateConfig): { isBlockChange: boolean; isBlockEntitlement: boolean; isBlockBilling: boolean } {
  return {
    isBlockChange: state.blockChanges || state.disableEntitlementAndChangesBlocked,
    isBlockEntitlement: state.disableEntitlementAndChangesBlocked,
    isBlockBilling: state.disableEntitlementAndChangesBlocked,
  };
}

export interface OverdueTransition {
  /** The state name changes: the effects of entering `next` apply. */
  readonly changed: boolean;
  readonly isBlockedBilling: boolean;
  readonly isUnblockedBilling: boolean;
}

export function transitionOf(previous: OverdueStateConfig, next: OverdueStateConfig): OverdueTransition {
  const before = previous.disableEntitlementAndChangesBlocked;
  const after = next.disableEntitlementAndChangesBlocked;
  return { changed: previous.name !== next.name, isBlockedBilling: !before && after, isUnblockedBilling: before && !after };
}

/** What to do with the account's pending overdue checks after an evaluation. */
export type ReevaluationPlan =
  | { readonly kind: 'schedule'; readonly at: Date }
  | { readonly kind: 'clear' }
  /** A check is due but no interval is configured: pending checks stay as they are. */
  | { readonly kind: 'none' };

/**
 * Kill Bill's scheduling rule: a state other than clear, or clear with something unpaid, is checked
 * again after its interval (the state's autoReevaluationInterval; for clear the configuration's
 * initialReevaluationInterval); clear with nothing unpaid drops the pending checks.
 */
export function reevaluationPlan(config: OverdueConfig, next: OverdueStateConfig, state: BillingState, now: Date): ReevaluationPlan {
  const checkAgain = !next.isClearState || (config.states.length > 0 && state.dateOfEarliestUnpaidInvoice !== null);
  if (!checkAgain) return { kind: 'clear' };
  const interval = next.isClearState ? config.initialReevaluationInterval : next.autoReevaluationInterval;
  return isUsableInterval(interval) ? { kind: 'schedule', at: addToInstant(now, interval) } : { kind: 'none' };
}

/** Kill Bill's OverdueListener#shouldInsertNotification: a configuration with no condition never evaluates. */
export function evaluatesAccounts(config: OverdueConfig): boolean {
  return config.states.some((state) => state.condition !== undefined);
}
