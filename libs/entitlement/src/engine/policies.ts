/**
 * Billing action policies and the subscription-base timeline they read (Kill Bill's
 * DefaultSubscriptionBase#getEffectiveDateForPolicy, its state/transition accessors, and
 * DefaultEntitlement's cancellation date rules). Pure: the clock, the account's time and the
 * charged-through date come in.
 */
import { LocalDate, ZoneOffset, ZonedDateTime, Instant } from '@js-joda/core';
import { type AccountTime, KillBillError, instantOf, toAccountInstant, toAccountLocalDate, toJsDate } from '@kb/kernel';
import { addBillingPeriods, type BillingActionPolicy, type BillingPeriod } from '@kb/catalog/engine';
import type { SubscriptionEvent, SubscriptionRecord } from './subscription-events';

/** Kill Bill's subscription-base state (billing side). */
export type SubscriptionBaseState = 'PENDING' | 'ACTIVE' | 'CANCELLED' | 'EXPIRED';

const PLAN_TRANSITIONS = new Set(['CREATE', 'TRANSFER', 'CHANGE']);
const PHASE_START_TRANSITIONS = new Set(['CREATE', 'TRANSFER', 'CHANGE', 'PHASE']);

/**
 * The transitions of a subscription: active events without the UNCANCEL/UNDO_CHANGE markers, in
 * order, nothing after the first CANCEL (Kill Bill's removeEverythingPastCancelEvent).
 */
export function transitionsOf(subscription: SubscriptionRecord): SubscriptionEvent[] {
  const sorted = subscription.events
    .filter((e) => e.isActive && e.type !== 'UNCANCEL' && e.type !== 'UNDO_CHANGE')
    .sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId);
  const cancel = sorted.findIndex((e) => e.type === 'CANCEL');
  return cancel < 0 ? sorted : sorted.slice(0, cancel + 1);
}

const atOrBefore = (event: SubscriptionEvent, at: Date) => event.effectiveDate.getTime() <= at.getTime();

/** The last transition at or before `now` (getPreviousTransition). */
export function previousTransition(subscription: SubscriptionRecord, now: Date): SubscriptionEvent | undefined {
  return transitionsOf(subscription)
    .filter((e) => atOrBefore(e, now))
    .pop();
}

/** The first transition after `now` (getPendingTransition). */
export function pendingTransition(subscription: SubscriptionRecord, now: Date): SubscriptionEvent | undefined {
  return transitionsOf(subscription).find((e) => !atOrBefore(e, now));
}

export function subscriptionBaseState(subscription: SubscriptionRecord, now: Date): SubscriptionBaseState {
  const previous = previousTransition(subscription, now);
  if (!previous) return 'PENDING';
  if (previous.type === 'CANCEL') return 'CANCELLED';
  if (previous.type === 'EXPIRED') return 'EXPIRED';
  return 'ACTIVE';
}

export function futureTransition(subscription: SubscriptionRecord, now: Date, type: SubscriptionEvent['type']): SubscriptionEvent | undefined {
  return transitionsOf(subscription).find((e) => !atOrBefore(e, now) && e.type === type);
}

/** Where the phase in force began (getCurrentPhaseStart): the last plan or phase transition, else the start. */
export function currentPhaseStart(subscription: SubscriptionRecord, now: Date): Date {
  const last = transitionsOf(subscription)
    .filter((e) => atOrBefore(e, now) && PHASE_START_TRANSITIONS.has(e.type))
    .pop();
  return last?.effectiveDate ?? subscription.startDate;
}

/**
 * The transition that set the current plan (getLastTransitionForCurrentPlan), or, for a pending
 * subscription, its first one.
 */
export function lastPlanTransition(subscription: SubscriptionRecord, now: Date): SubscriptionEvent | undefined {
  const transitions = transitionsOf(subscription);
  const past = transitions.filter((e) => atOrBefore(e, now) && PLAN_TRANSITIONS.has(e.type)).pop();
  return past ?? transitions.find((e) => PLAN_TRANSITIONS.has(e.type));
}

/** The plan event in force at `at` (plan, phase, price list), else the first one (a pending subscription). */
export function planEventAt(subscription: SubscriptionRecord, at: Date): SubscriptionEvent | undefined {
  const withPlan = transitionsOf(subscription).filter((e) => e.planName && PHASE_START_TRANSITIONS.has(e.type));
  return withPlan.filter((e) => atOrBefore(e, at)).pop() ?? withPlan[0];
}

export interface PolicyDateInput {
  readonly policy: BillingActionPolicy;
  readonly now: Date;
  readonly subscription: SubscriptionRecord;
  readonly time: AccountTime;
  /** The billing period of the last active plan (START_OF_TERM walks back by it). */
  readonly billingPeriod: BillingPeriod;
  /** The subscription's bill cycle day (its own, else its alignment's); null falls back to the CTD's day. */
  readonly billCycleDayLocal: number | null;
  /** An ADD_ON with BUNDLE billing alignment: Kill Bill does not implement START_OF_TERM there. */
  readonly bundleAlignedAddOn?: boolean;
  /** Kill Bill refuses START_OF_TERM where it has no alignment (catalog default policy). */
  readonly startOfTermAllowed?: boolean;
}

/**
 * A billing action policy as an instant (spec 2.4): IMMEDIATE now; END_OF_TERM the CTD when it is
 * in the future, else now; START_OF_TERM the start without CTD, the CTD when it is past, else the
 * CTD walked back by billing periods to now and aligned on the bill cycle day. Never before the
 * start of the phase in force.
 */
export function effectiveDateForPolicy(input: PolicyDateInput): Date {
  const { now, subscription } = input;
  const ctd = subscription.chargedThroughDate;
  let candidate: Date;
  switch (input.policy) {
    case 'IMMEDIATE':
      candidate = now;
      break;
    case 'END_OF_TERM':
      candidate = ctd && ctd.getTime() > now.getTime() ? ctd : now;
      break;
    case 'START_OF_TERM':
      if (!ctd) candidate = subscription.startDate;
      else if (ctd.getTime() <= now.getTime()) candidate = ctd;
      else candidate = startOfTerm(input, ctd);
      break;
    default:
      throw new Error(`Unexpected policy type ${input.policy}`);
  }
  const phaseStart = currentPhaseStart(subscription, now);
  return candidate.getTime() < phaseStart.getTime() ? phaseStart : candidate;
}

function startOfTerm(input: PolicyDateInput, ctd: Date): Date {
  if (input.startOfTermAllowed === false) throw new Error('START_OF_TERM not implemented in dryRun use case');
  if (input.bundleAlignedAddOn) throw new Error('START_OF_TERM not implemented for AO configured with a BUNDLE billing alignment');
  const now = input.now;
  let proposed = ZonedDateTime.ofInstant(instantOf(ctd), ZoneOffset.UTC);
  if (isPeriodless(input.billingPeriod)) return now;
  while (proposed.toInstant().toEpochMilli() > now.getTime()) {
    proposed = addBillingPeriods(proposed.toLocalDate(), input.billingPeriod, -1).atTime(proposed.toLocalTime()).atZone(ZoneOffset.UTC);
  }
  const local = toAccountLocalDate(proposed.toInstant(), input.time);
  const aligned = isMonthBased(input.billingPeriod) ? local.withDayOfMonth(Math.min(input.billCycleDayLocal ?? local.dayOfMonth(), local.lengthOfMonth())) : local;
  return toJsDate(toAccountInstant(aligned, input.time));
}

function isPeriodless(period: BillingPeriod): boolean {
  return period === 'NO_BILLING_PERIOD';
}

function isMonthBased(period: BillingPeriod): boolean {
  return ['MONTHLY', 'BIMESTRIAL', 'QUARTERLY', 'TRIANNUAL', 'BIANNUAL', 'ANNUAL', 'SESQUIENNIAL', 'BIENNIAL', 'TRIENNIAL'].includes(period);
}

// --- cancellation dates (DefaultEntitlement + SubscriptionResource#cancelSubscriptionPlan) ----------

export type EntitlementActionPolicy = 'IMMEDIATE' | 'END_OF_TERM';

/** The `requestedDate` of a cancel: a local date (account time zone) or an instant. */
export type RequestedDate = { readonly kind: 'date'; readonly date: LocalDate } | { readonly kind: 'dateTime'; readonly instant: Date };

export interface CancelRequest {
  readonly requestedDate?: RequestedDate;
  readonly entitlementPolicy?: EntitlementActionPolicy;
  readonly billingPolicy?: BillingActionPolicy;
  readonly useRequestedDateForBilling?: boolean;
}

export interface CancelContext {
  readonly now: Date;
  readonly time: AccountTime;
  /** The entitlement start (ENT_STARTED). */
  readonly entitlementStart: Date;
  /** The billing start (CREATE). */
  readonly billingStart: Date;
  readonly chargedThroughDate: Date | null;
}

/** How billing ends: at an instant, per the catalog's cancel policy, or per a given policy. */
export type BillingCancel = { readonly kind: 'date'; readonly date: Date } | { readonly kind: 'catalog' } | { readonly kind: 'policy'; readonly policy: BillingActionPolicy };

export interface CancelDates {
  readonly entitlementDate: Date;
  readonly billing: BillingCancel;
}

/**
 * The spec 2.6 matrix: the entitlement end and how billing ends, from the cancel's query
 * parameters. A local date is the account's reference time of that day; dates are floored to the
 * starts, except a local date before the entitlement start, or an instant before either start
 * (SUB_INVALID_REQUESTED_DATE).
 */
export function resolveCancelDates(request: CancelRequest, ctx: CancelContext): CancelDates {
  const { requestedDate, entitlementPolicy, billingPolicy } = request;
  const localOf = (date: Date) => toAccountLocalDate(instantOf(date), ctx.time);
  const atLeast = (date: LocalDate | undefined, min: Date): Date => {
    const candidate = date ? toJsDate(toAccountInstant(date, ctx.time)) : ctx.now;
    return candidate.getTime() < min.getTime() ? min : candidate;
  };
  const fromPolicy = (policy: EntitlementActionPolicy): LocalDate => {
    const today = localOf(ctx.now);
    const date = policy === 'END_OF_TERM' && ctx.chargedThroughDate ? localOf(ctx.chargedThroughDate) : today;
    const start = localOf(ctx.entitlementStart);
    return date.isBefore(start) ? start : date;
  };

  if (billingPolicy) {
    const date = entitlementPolicy ? fromPolicy(entitlementPolicy) : requestedDate?.kind === 'dateTime' ? localOf(requestedDate.instant) : requestedDate?.date;
    return { entitlementDate: atLeast(date, ctx.entitlementStart), billing: { kind: 'policy', policy: billingPolicy } };
  }
  if (!entitlementPolicy && requestedDate?.kind === 'dateTime') {
    const instant = requestedDate.instant;
    if (instant.getTime() < ctx.entitlementStart.getTime() || instant.getTime() < ctx.billingStart.getTime()) {
      throw new KillBillError('SUB_INVALID_REQUESTED_DATE', [Instant.ofEpochMilli(instant.getTime()).toString(), ctx.entitlementStart.toISOString()]);
    }
    return { entitlementDate: instant, billing: { kind: 'date', date: instant } };
  }
  const date = entitlementPolicy ? fromPolicy(entitlementPolicy) : requestedDate?.kind === 'date' ? requestedDate.date : undefined;
  const overrideBilling = !entitlementPolicy && request.useRequestedDateForBilling === true;
  if (date && date.isBefore(localOf(ctx.entitlementStart))) throw new KillBillError('SUB_INVALID_REQUESTED_DATE', [date.toString(), ctx.entitlementStart.toISOString()]);
  return {
    entitlementDate: atLeast(date, ctx.entitlementStart),
    billing: overrideBilling ? { kind: 'date', date: atLeast(date, ctx.billingStart) } : { kind: 'catalog' },
  };
}
