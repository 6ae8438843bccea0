/**
 * Billing-period arithmetic of the invoice generator (Kill Bill's BillingIntervalDetail,
 * InvoiceDateUtils and BillCycleDayCalculator#alignProposedBillCycleDate): where the BCD-aligned
 * boundaries of an interval fall and which fraction of a period a span of days is.
 */
import Big from 'big.js';
import { ChronoUnit, LocalDate } from '@js-joda/core';
import { MAX_MONEY_SCALE } from '@kb/kernel';
import { BillingMode, BillingPeriod, addBillingPeriods } from '@kb/catalog/engine';

/** Periods counted in months or years: their boundaries sit on the BCD; the others are anchored on the interval start. */
export function isMonthBased(period: BillingPeriod): boolean {
  switch (period) {
    case 'MONTHLY':
    case 'BIMESTRIAL':
    case 'QUARTERLY':
    case 'TRIANNUAL':
    case 'BIANNUAL':
    case 'ANNUAL':
    case 'SESQUIENNIAL':
    case 'BIENNIAL':
    case 'TRIENNIAL':
      return true;
    default:
      return false;
  }
}

/** A period as Joda's single-field Period: its unit and length (ANNUAL = 1 year, TRIANNUAL = 4 months). */
function periodField(period: BillingPeriod): { unit: 'DAYS' | 'WEEKS' | 'MONTHS' | 'YEARS'; amount: number } {
  switch (period) {
    case 'DAILY':
      return { unit: 'DAYS', amount: 1 };
    case 'WEEKLY':
      return { unit: 'WEEKS', amount: 1 };
    case 'BIWEEKLY':
      return { unit: 'WEEKS', amount: 2 };
    case 'THIRTY_DAYS':
      return { unit: 'DAYS', amount: 30 };
    case 'THIRTY_ONE_DAYS':
      return { unit: 'DAYS', amount: 31 };
    case 'SIXTY_DAYS':
      return { unit: 'DAYS', amount: 60 };
    case 'NINETY_DAYS':
      return { unit: 'DAYS', amount: 90 };
    case 'MONTHLY':
      return { unit: 'MONTHS', amount: 1 };
    case 'BIMESTRIAL':
      return { unit: 'MONTHS', amount: 2 };
    case 'QUARTERLY':
      return { unit: 'MONTHS', amount: 3 };
    case 'TRIANNUAL':
      return { unit: 'MONTHS', amount: 4 };
    case 'BIANNUAL':
      return { unit: 'MONTHS', amount: 6 };
    case 'ANNUAL':
      return { unit: 'YEARS', amount: 1 };
    case 'SESQUIENNIAL':
      return { unit: 'MONTHS', amount: 18 };
    case 'BIENNIAL':
      return { unit: 'YEARS', amount: 2 };
    case 'TRIENNIAL':
      return { unit: 'YEARS', amount: 3 };
    case 'NO_BILLING_PERIOD':
      throw new Error('NO_BILLING_PERIOD has no length');
  }
}

export function minusPeriod(date: LocalDate, period: BillingPeriod): LocalDate {
  return addBillingPeriods(date, period, -1);
}

export function plusPeriod(date: LocalDate, period: BillingPeriod): LocalDate {
  return addBillingPeriods(date, period, 1);
}

export function daysBetween(start: LocalDate, end: LocalDate): number {
  return start.until(end, ChronoUnit.DAYS);
}

/**
 * Whole months from start to end as Joda counts them: an end on the last day of its month counts a
 * full month from a later day-of-month (2012-03-31 → 2012-04-30 is one month), unlike java.time.
 */
export function monthsBetween(start: LocalDate, end: LocalDate): number {
  if (end.isBefore(start)) return -monthsBetween(end, start);
  let months = (end.year() - start.year()) * 12 + (end.monthValue() - start.monthValue());
  let startDay = start.dayOfMonth();
  if (end.dayOfMonth() === end.lengthOfMonth() && startDay > end.dayOfMonth()) startDay = end.dayOfMonth();
  if (end.dayOfMonth() < startDay) months--;
  return months;
}

/** Kill Bill's BillCycleDayCalculator#alignProposedBillCycleDate: month-based dates move to the BCD (clamped to the month end). */
export function alignToBcd(date: LocalDate, bcd: number, period: BillingPeriod): LocalDate {
  if (!isMonthBased(period)) return date;
  return date.withDayOfMonth(Math.min(bcd, date.lengthOfMonth()));
}

/** InvoiceDateUtils#calculateNumberOfWholeBillingPeriods. */
export function wholeBillingPeriods(start: LocalDate, end: LocalDate, period: BillingPeriod): number {
  const field = periodField(period);
  const between =
    field.unit === 'DAYS'
      ? daysBetween(start, end)
      : field.unit === 'WEEKS'
        ? Math.trunc(daysBetween(start, end) / 7)
        : field.unit === 'MONTHS'
          ? monthsBetween(start, end)
          : Math.trunc(monthsBetween(start, end) / 12);
  return Math.trunc(between / field.amount);
}

/** Days between two dates when every month counts `fixedDays` days (org.killbill.invoice.proration.fixed.days). */
export function daysWithFixedDaysInMonth(start: LocalDate, end: LocalDate, fixedDays: number): number {
  const days = daysBetween(start, end);
  if (start.monthValue() === end.monthValue()) return days;
  return days - (start.lengthOfMonth() - fixedDays);
}

/** days(start, end) / daysInPeriod at scale 9 half-up (0 for an empty period). */
export function prorationOfDays(start: LocalDate, end: LocalDate, daysInPeriod: number, fixedDays: number): Big {
  if (daysInPeriod <= 0) return new Big(0);
  const days = fixedDays === 0 ? daysBetween(start, end) : daysWithFixedDaysInMonth(start, end, fixedDays);
  return new Big(days).div(daysInPeriod).round(MAX_MONEY_SCALE, Big.roundHalfUp);
}

function prorationWithinPeriod(start: LocalDate, end: LocalDate, periodStart: LocalDate, periodEnd: LocalDate, fixedDays: number): Big {
  const daysInPeriod = fixedDays === 0 ? daysBetween(periodStart, periodEnd) : fixedDays;
  return prorationOfDays(start, end, daysInPeriod, fixedDays);
}

/** Leading proration: [start, nextBillingCycleDate) over the period ending on nextBillingCycleDate. */
export function prorationBeforeFirstBillingCycle(start: LocalDate, nextBillingCycleDate: LocalDate, period: BillingPeriod, fixedDays: number): Big {
  return prorationWithinPeriod(start, nextBillingCycleDate, minusPeriod(nextBillingCycleDate, period), nextBillingCycleDate, fixedDays);
}

/** Trailing proration: [lastBillingCycleDate, end) over the period starting on lastBillingCycleDate. */
export function prorationAfterLastBillingCycle(end: LocalDate, lastBillingCycleDate: LocalDate, period: BillingPeriod, fixedDays: number): Big {
  return prorationWithinPeriod(lastBillingCycleDate, end, lastBillingCycleDate, plusPeriod(lastBillingCycleDate, period), fixedDays);
}

/**
 * The boundaries of one billing interval [start, end) up to a target date (Kill Bill's
 * BillingIntervalDetail): the first BCD-aligned date on or after start, the date billing goes up
 * to (null: nothing to bill yet, in arrear) and the last whole-period boundary before it.
 */
export class BillingInterval {
  readonly bcd: number;
  readonly firstBillingCycleDate: LocalDate;
  readonly effectiveEndDate: LocalDate | null;
  readonly lastBillingCycleDate: LocalDate | null;

  constructor(
    readonly start: LocalDate,
    readonly end: LocalDate | null,
    readonly targetDate: LocalDate,
    bcd: number,
    readonly period: BillingPeriod,
    readonly mode: BillingMode,
    readonly inArrearGreedy: boolean,
  ) {
    // Day/week-based periods are anchored on the interval start
    this.bcd = isMonthBased(period) ? bcd : start.dayOfMonth();
    this.firstBillingCycleDate = this.computeFirstBillingCycleDate();
    this.effectiveEndDate = mode === 'IN_ADVANCE' ? this.inAdvanceEffectiveEndDate() : this.inArrearEffectiveEndDate();
    this.lastBillingCycleDate = this.computeLastBillingCycleDate();
  }

  /** The boundary `n` periods after the first billing cycle date, re-aligned on the BCD. */
  futureBillingDate(n: number): LocalDate {
    return alignToBcd(addBillingPeriods(this.firstBillingCycleDate, this.period, n), this.bcd, this.period);
  }

  /** The cycle date after the last billed one (what an in-arrear subscription is invoiced on next). */
  nextBillingCycleDate(): LocalDate {
    const proposed = this.lastBillingCycleDate !== null ? plusPeriod(this.lastBillingCycleDate, this.period) : this.firstBillingCycleDate;
    return alignToBcd(proposed, this.bcd, this.period);
  }

  /** Nothing is billed before the first in-arrear cycle date, nor for an empty interval. */
  hasSomethingToBill(): boolean {
    return this.effectiveEndDate !== null && (this.end === null || this.end.isAfter(this.start));
  }

  private computeFirstBillingCycleDate(): LocalDate {
    let proposed = this.start.withDayOfMonth(Math.min(this.bcd, this.start.lengthOfMonth()));
    while (proposed.isBefore(this.start)) proposed = plusPeriod(proposed, this.period);
    return alignToBcd(proposed, this.bcd, this.period);
  }

  private inAdvanceEffectiveEndDate(): LocalDate {
    if (this.end !== null && !this.targetDate.isBefore(this.end)) return this.end;
    if (this.targetDate.isBefore(this.firstBillingCycleDate)) return this.firstBillingCycleDate;
    let n = 0;
    let proposed = this.firstBillingCycleDate;
    while (!proposed.isAfter(this.targetDate)) {
      proposed = this.futureBillingDate(n);
      n++;
    }
    proposed = alignToBcd(proposed, this.bcd, this.period);
    return this.end !== null && this.end.isBefore(proposed) ? this.end : proposed;
  }

  private inArrearEffectiveEndDate(): LocalDate | null {
    // A change or cancellation on the target date bills the partial period at once (Kill Bill #1907)
    if (this.end !== null && this.targetDate.isEqual(this.end)) return this.targetDate;
    const cutoffStart = this.inArrearGreedy ? this.start : this.firstBillingCycleDate;
    if (this.targetDate.isBefore(cutoffStart)) return null;
    if (this.end !== null && this.end.isBefore(this.firstBillingCycleDate)) return this.end;

    let n = 0;
    let proposed = this.firstBillingCycleDate;
    let next = this.futureBillingDate(n);
    while (!next.isAfter(this.targetDate)) {
      proposed = next;
      n++;
      next = this.futureBillingDate(n);
    }
    if (this.inArrearGreedy && !proposed.isEqual(this.targetDate)) proposed = next;
    const cutoffEnd = this.inArrearGreedy ? next : this.targetDate;
    return this.end !== null && !this.end.isAfter(cutoffEnd) ? this.end : proposed;
  }

  private computeLastBillingCycleDate(): LocalDate | null {
    if (this.effectiveEndDate === null || this.effectiveEndDate.isBefore(this.firstBillingCycleDate)) return null;
    let n = 0;
    let proposed = this.firstBillingCycleDate;
    while (!proposed.isAfter(this.effectiveEndDate)) {
      proposed = this.futureBillingDate(n);
      n++;
    }
    proposed = alignToBcd(minusPeriod(proposed, this.period), this.bcd, this.period);
    return proposed.isBefore(this.firstBillingCycleDate) ? this.firstBillingCycleDate : proposed;
  }
}

/** One recurring service period and the fraction of the catalog price it costs. */
export interface RecurringPeriod {
  readonly start: LocalDate;
  readonly end: LocalDate;
  readonly fraction: Big;
}

/**
 * The service periods of one billing interval up to the target date (Kill Bill's
 * FixedAndRecurringInvoiceItemGenerator#generateInvoiceItemData): leading proration, whole
 * periods, trailing proration.
 */
export function recurringPeriods(interval: BillingInterval, prorationFixedDays: number): RecurringPeriod[] {
  const { start, end, period } = interval;
  if (end !== null && end.isBefore(start)) throw new Error(`Invalid date sequence ${start.toString()} → ${end.toString()}`);
  if (interval.targetDate.isBefore(start)) throw new Error(`Invalid date sequence ${start.toString()} after target date ${interval.targetDate.toString()}`);
  const results: RecurringPeriod[] = [];
  if (!interval.hasSomethingToBill()) return results;
  const first = interval.firstBillingCycleDate;

  if (end !== null && !end.isAfter(first)) {
    return [{ start, end, fraction: prorationBeforeFirstBillingCycle(start, end, period, prorationFixedDays) }];
  }
  if (first.isAfter(start)) {
    const fraction = prorationBeforeFirstBillingCycle(start, first, period, prorationFixedDays);
    if (fraction.gt(0)) results.push({ start, end: first, fraction });
  }
  const effectiveEnd = interval.effectiveEndDate as LocalDate;
  const last = interval.lastBillingCycleDate as LocalDate;
  const whole = wholeBillingPeriods(first, last, period);
  for (let i = 0; i < whole; i++) {
    const periodStart = results.length > 0 ? results[results.length - 1].end : start;
    results.push({ start: periodStart, end: interval.futureBillingDate(i + 1), fraction: new Big(1) });
  }
  if (effectiveEnd.isAfter(last)) {
    const fraction = prorationAfterLastBillingCycle(effectiveEnd, last, period, prorationFixedDays);
    if (fraction.gt(0)) results.push({ start: last, end: effectiveEnd, fraction });
  }
  return results;
}
