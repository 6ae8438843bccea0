/**
 * Phase timelines: phases run in order (initial phases then the final one); each finite phase
 * lasts its duration, added with calendar arithmetic (js-joda plusMonths clamps to month end).
 */
import { LocalDate, ZoneOffset, ZonedDateTime, Instant } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import { BillingPeriod, Duration, PhaseType, Plan, PlanPhase, allPhases, phaseName } from './model';

/** Adds a phase duration to a local date. A finite unit without number adds nothing (Kill Bill). */
export function addDuration(date: LocalDate, duration: Duration): LocalDate {
  if (duration.unit === 'UNLIMITED') throw new KillBillError('CAT_UNDEFINED_DURATION', [duration.unit]);
  if (duration.number < 0) return date;
  switch (duration.unit) {
    case 'DAYS':
      return date.plusDays(duration.number);
    case 'WEEKS':
      return date.plusWeeks(duration.number);
    case 'MONTHS':
      return date.plusMonths(duration.number);
    case 'YEARS':
      return date.plusYears(duration.number);
  }
}

/** Same on an instant, computed in UTC like Kill Bill's DateTime arithmetic. */
export function addDurationToInstant(instant: Date, duration: Duration): Date {
  if (duration.unit === 'UNLIMITED') throw new KillBillError('CAT_UNDEFINED_DURATION', [duration.unit]);
  if (duration.number < 0) return instant;
  const z = ZonedDateTime.ofInstant(Instant.ofEpochMilli(instant.getTime()), ZoneOffset.UTC);
  const n = duration.number;
  const r =
    duration.unit === 'DAYS' ? z.plusDays(n) : duration.unit === 'WEEKS' ? z.plusWeeks(n) : duration.unit === 'MONTHS' ? z.plusMonths(n) : z.plusYears(n);
  return new Date(r.toInstant().toEpochMilli());
}

/** Adds `count` billing periods to a date (MONTHLY = +1 month, THIRTY_DAYS = +30 days, …). */
export function addBillingPeriods(date: LocalDate, period: BillingPeriod, count = 1): LocalDate {
  switch (period) {
    case 'DAILY':
      return date.plusDays(count);
    case 'WEEKLY':
      return date.plusWeeks(count);
    case 'BIWEEKLY':
      return date.plusWeeks(2 * count);
    case 'THIRTY_DAYS':
      return date.plusDays(30 * count);
    case 'THIRTY_ONE_DAYS':
      return date.plusDays(31 * count);
    case 'SIXTY_DAYS':
      return date.plusDays(60 * count);
    case 'NINETY_DAYS':
      return date.plusDays(90 * count);
    case 'MONTHLY':
      return date.plusMonths(count);
    case 'BIMESTRIAL':
      return date.plusMonths(2 * count);
    case 'QUARTERLY':
      return date.plusMonths(3 * count);
    case 'TRIANNUAL':
      return date.plusMonths(4 * count);
    case 'BIANNUAL':
      return date.plusMonths(6 * count);
    case 'ANNUAL':
      return date.plusYears(count);
    case 'SESQUIENNIAL':
      return date.plusMonths(18 * count);
    case 'BIENNIAL':
      return date.plusYears(2 * count);
    case 'TRIENNIAL':
      return date.plusYears(3 * count);
    case 'NO_BILLING_PERIOD':
      return date;
  }
}

export interface PhaseInterval {
  phase: PlanPhase;
  name: string;
  start: LocalDate;
  /** Exclusive end; `undefined` for an UNLIMITED phase. */
  end?: LocalDate;
}

/**
 * The phases of a plan laid out from `start`. With `initialPhaseType` the timeline begins at the
 * first phase of that type (e.g. EVERGREEN to skip the trial), as Kill Bill does.
 */
export function phaseTimeline(plan: Plan, start: LocalDate, initialPhaseType?: PhaseType): PhaseInterval[] {
  let phases = allPhases(plan);
  if (initialPhaseType !== undefined) {
    const idx = phases.findIndex((p) => p.type === initialPhaseType);
    if (idx < 0) throw new KillBillError('CAT_NO_SUCH_PHASE', [phaseName(plan.name, initialPhaseType)]);
    phases = phases.slice(idx);
  }
  const result: PhaseInterval[] = [];
  let cursor = start;
  for (const phase of phases) {
    const name = phaseName(plan.name, phase.type);
    if (phase.duration.unit === 'UNLIMITED') {
      result.push({ phase, name, start: cursor });
      break;
    }
    const end = addDuration(cursor, phase.duration);
    result.push({ phase, name, start: cursor, end });
    cursor = end;
  }
  return result;
}

/**
 * The phase in force on `date` for a subscription started on `start`; `undefined` before the
 * start or after the end of a plan whose last phase is finite (FIXEDTERM: the subscription expired).
 */
export function phaseAt(plan: Plan, start: LocalDate, date: LocalDate, initialPhaseType?: PhaseType): PhaseInterval | undefined {
  if (date.isBefore(start)) return undefined;
  return phaseTimeline(plan, start, initialPhaseType).find((i) => !date.isBefore(i.start) && (i.end === undefined || date.isBefore(i.end)));
}

/** The phase in force `amount` units after `start` (e.g. 31 DAYS after a 30-day trial start). */
export function phaseAfter(plan: Plan, start: LocalDate, amount: Duration, initialPhaseType?: PhaseType): PhaseInterval | undefined {
  return phaseAt(plan, start, addDuration(start, amount), initialPhaseType);
}
