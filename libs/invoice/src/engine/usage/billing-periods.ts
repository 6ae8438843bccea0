import type { LocalDate } from '@js-joda/core';
import { addBillingPeriods, type BillingPeriod } from '@kb/catalog/engine';

const MONTHS: Partial<Record<BillingPeriod, number>> = {
  MONTHLY: 1,
  BIMESTRIAL: 2,
  QUARTERLY: 3,
  TRIANNUAL: 4,
  BIANNUAL: 6,
  ANNUAL: 12,
  SESQUIENNIAL: 18,
  BIENNIAL: 24,
  TRIENNIAL: 36,
};

/** The BCD day in the month of `date`, clamped to the month's length. */
function onBillCycleDay(date: LocalDate, bcd: number): LocalDate {
  return date.withDayOfMonth(Math.min(bcd, date.lengthOfMonth()));
}

/**
 * The usage periods' cycle dates from `start` (Kill Bill's BillingIntervalDetail as usage uses it):
 * month-based periods fall on the BCD (the first one on or after the start), day-based ones count
 * from the start. `cycleDate(n)` is the n-th date of the cycle.
 */
export function billingCycle(start: LocalDate, bcd: number, period: BillingPeriod): (n: number) => LocalDate {
  const months = MONTHS[period];
  if (months === undefined) return (n) => addBillingPeriods(start, period, n);
  let first = onBillCycleDay(start, bcd);
  while (first.isBefore(start)) first = onBillCycleDay(first.plusMonths(months), bcd);
  return (n) => onBillCycleDay(first.plusMonths(months * n), bcd);
}

/** The first cycle date after `targetDate` (when an in-arrear period next completes). */
export function nextCycleDateAfter(start: LocalDate, bcd: number, period: BillingPeriod, targetDate: LocalDate): LocalDate {
  const cycleDate = billingCycle(start, bcd, period);
  let n = 0;
  while (!cycleDate(n).isAfter(targetDate)) n++;
  return cycleDate(n);
}

/** `date` moved back `count` periods (Kill Bill's InvoiceDateUtils#recedeByNPeriods). */
export function recedeByPeriods(date: LocalDate, period: BillingPeriod, count: number): LocalDate {
  return addBillingPeriods(date, period, -count);
}
