/**
 * Date rules of the subscription updates that only add an event (Kill Bill's SubscriptionResource
 * updateSubscriptionInternal and DefaultSubscriptionInternalApi#getEffectiveDateForNewBCD). Local
 * dates are the account's; turning one into an instant is the caller's (`toInstant`). Pure.
 */
import { type LocalDate } from '@js-joda/core';

/** What `effectiveFromDate` means once checked against the account's today. */
export type EffectiveFrom = { readonly kind: 'now' } | { readonly kind: 'date'; readonly date: LocalDate };

/**
 * The effective-from date of a BCD or quantity update: absent or today → now (the event happens
 * immediately); in the past only with the force flag (else `undefined`, the caller's 400); in the
 * future as given.
 */
export function effectiveFromOf(effectiveFromDate: LocalDate | undefined, accountToday: LocalDate, force: boolean): EffectiveFrom | undefined {
  if (!effectiveFromDate || effectiveFromDate.equals(accountToday)) return { kind: 'now' };
  if (effectiveFromDate.isBefore(accountToday) && !force) return undefined;
  return { kind: 'date', date: effectiveFromDate };
}

export interface BcdChangeDateRequest {
  readonly billCycleDayLocal: number;
  readonly from: EffectiveFrom;
  /** The account's today (the day "now" falls on). */
  readonly accountToday: LocalDate;
  readonly now: Date;
  readonly subscriptionStart: Date;
  /** A local date at the account's reference time. */
  readonly toInstant: (date: LocalDate) => Date;
}

/**
 * When a BCD_CHANGE takes effect: the next day N on or after the from-date (N before the from-date's
 * day → that day next month; N past the month's end → its last day), or now when N is today's day and
 * no from-date was given; then moved by months until it is not before the subscription's start.
 */
export function bcdChangeDate(request: BcdChangeDateRequest): Date {
  const { billCycleDayLocal: bcd, from } = request;
  const start = from.kind === 'date' ? from.date : request.accountToday;
  const currentDay = start.dayOfMonth();
  let requested: LocalDate | undefined;
  if (bcd < currentDay) {
    const nextMonth = start.plusMonths(1);
    requested = nextMonth.withDayOfMonth(Math.min(bcd, nextMonth.lengthOfMonth()));
  } else if (bcd === currentDay && from.kind === 'now') {
    requested = undefined;
  } else {
    requested = start.withDayOfMonth(Math.min(bcd, start.lengthOfMonth()));
  }
  let effective = requested ? request.toInstant(requested) : request.now;
  while (effective.getTime() < request.subscriptionStart.getTime()) effective = addMonthsUtc(effective, 1);
  return effective;
}

/** Joda's DateTime#plusMonths in UTC: same time of day, day clamped to the target month's end. */
function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
}
