/**
 * Billing events (Kill Bill's junction: DefaultInternalBillingApi + BlockingCalculator, fed by the
 * subscription base's getSubscriptionBillingEvents): the one input of invoicing. Pure: the account,
 * its bundles with their subscription events, its blocking states and the catalog in; the ordered
 * billing events, the account BCD to store (when it was unset) and the billing-blocked intervals out.
 */
import Big from 'big.js';
import { Instant, LocalDate, ZoneId } from '@js-joda/core';
import { AccountTime, Currency, accountTime, toAccountLocalDate } from '@kb/kernel';
import {
  BillingAlignment,
  BillingMode,
  BillingPeriod,
  Plan,
  PlanPhase,
  StandaloneCatalog,
  Usage,
  VersionedCatalog,
  addDurationToInstant,
  allPhases,
  fixedPriceOf,
  isZeroPrice,
  phaseName,
  recurringPriceOf,
  resolveBillingAlignment,
} from '@kb/catalog/engine';
import { BlockingStateRecord, BundleRecord, ProductCategory, SubscriptionEvent, SubscriptionRecord } from './subscription-events';

/** Kill Bill's SubscriptionBaseTransitionType as junction emits it (UNCANCEL/UNDO_CHANGE never reach billing). */
export type BillingTransitionType =
  'CREATE' | 'TRANSFER' | 'CHANGE' | 'PHASE' | 'CANCEL' | 'EXPIRED' | 'BCD_CHANGE' | 'QUANTITY_CHANGE' | 'START_BILLING_DISABLED' | 'END_BILLING_DISABLED';

export interface BillingAccount {
  readonly id: string;
  readonly currency: Currency;
  /** IANA zone id (the account's timeZone). */
  readonly timeZone: string;
  /** The account's referenceTime: fixes the zone offset used for local dates. */
  readonly referenceTime: Date;
  /** 0 = not set yet. */
  readonly billCycleDayLocal: number;
}

export interface BillingEventsInput {
  readonly account: BillingAccount;
  readonly bundles: readonly BundleRecord[];
  /** Blocking states of the account, its bundles and subscriptions (active rows, any service). */
  readonly blockingStates: readonly BlockingStateRecord[];
  readonly catalog: VersionedCatalog;
}

/** Kill Bill's BillingEvent. Plan and phase are null on CANCEL/EXPIRED (Kill Bill's next plan is null there). */
export interface BillingEvent {
  readonly subscriptionId: string;
  readonly bundleId: string;
  readonly effectiveDate: Date;
  /** The effective date in the account's (fixed-offset) zone. */
  readonly effectiveLocalDate: LocalDate;
  readonly transitionType: BillingTransitionType;
  readonly plan: Plan | null;
  readonly phase: PlanPhase | null;
  readonly planName: string | null;
  readonly phaseName: string | null;
  readonly priceListName: string | null;
  readonly productName: string | null;
  readonly productCategory: ProductCategory | null;
  /** In the account currency; null when the phase has none, and on stop/disabled events. */
  readonly fixedPrice: Big | null;
  readonly recurringPrice: Big | null;
  readonly billingPeriod: BillingPeriod;
  readonly billingMode: BillingMode | null;
  readonly billCycleDayLocal: number;
  /** The catalog's billing alignment; null on START/END_BILLING_DISABLED (as Kill Bill). */
  readonly billingAlignment: BillingAlignment | null;
  readonly usages: readonly Usage[];
  readonly quantity: number;
  readonly catalogEffectiveDate: Date;
  /** Record id of the subscription event it comes from (ties at one instant); a counter for disabled events. */
  readonly totalOrdering: number;
}

/** A billing-disabled interval of one subscription: [start, end), end null = still blocked. */
export interface BillingBlockedInterval {
  readonly subscriptionId: string;
  readonly start: Date;
  readonly end: Date | null;
}

export interface BillingEventsResult {
  readonly events: readonly BillingEvent[];
  /** The account BCD to persist, when the account had none and a billing event now fixes it. */
  readonly accountBcdToSet: number | null;
  readonly blockedIntervals: readonly BillingBlockedInterval[];
  /** Subscriptions whose first event is not CREATE/TRANSFER: no billing events (Kill Bill logs and skips). */
  readonly skippedSubscriptionIds: readonly string[];
}

export function computeBillingEvents(input: BillingEventsInput): BillingEventsResult {
  const zone = ZoneId.of(input.account.timeZone);
  const time = accountTime(zone, Instant.ofEpochMilli(input.account.referenceTime.getTime()));
  const ctx: Context = { currency: input.account.currency, time, catalog: input.catalog, localDates: new Map() };

  const first = subscriptionEvents(input.bundles, ctx, input.account.billCycleDayLocal);
  let events = first.events;
  let accountBcdToSet: number | null = null;
  if (input.account.billCycleDayLocal === 0) {
    accountBcdToSet = accountBcdCandidate(events);
    // ACCOUNT-aligned events were computed as SUBSCRIPTION-aligned: recompute them with the real BCD
    if (accountBcdToSet !== null) events = subscriptionEvents(input.bundles, ctx, accountBcdToSet).events;
  }
  const blocked = insertBlockingEvents(events, input.bundles, input.blockingStates, first.skipped, ctx);
  return { events: blocked.events, accountBcdToSet, blockedIntervals: blocked.intervals, skippedSubscriptionIds: [...first.skipped] };
}

interface Context {
  readonly currency: Currency;
  readonly time: AccountTime;
  readonly catalog: VersionedCatalog;
  /** The account-local day of each instant met (by epoch millisecond): 30,000 subscriptions share a few. */
  readonly localDates: Map<number, LocalDate>;
}

// ---------------------------------------------------------------------------------------------
// Subscription transitions -> billing events (DefaultSubscriptionBase#getSubscriptionBillingEvents)
// ---------------------------------------------------------------------------------------------

/** One transition of a subscription: the plan/phase in force from it (null once cancelled/expired). */
interface Transition {
  readonly type: BillingTransitionType;
  readonly effectiveDate: Date;
  readonly totalOrdering: number;
  readonly plan: Plan | null;
  readonly phase: PlanPhase | null;
  /** The catalog version the plan comes from (the last plan's version for CANCEL/EXPIRED). */
  readonly version: StandaloneCatalog;
  readonly bcdLocal: number | null;
  readonly quantity: number | null;
}

function subscriptionEvents(bundles: readonly BundleRecord[], ctx: Context, accountBcd: number): { events: BillingEvent[]; skipped: Set<string> } {
  const events: BillingEvent[] = [];
  const skipped = new Set<string>();
  for (const bundle of bundles) {
    const base = baseSubscriptionOf(bundle);
    const bcdCache = new Map<string, number>();
    for (const subscription of bundle.subscriptions) {
      const transitions = billingTransitions(subscription, ctx.catalog);
      if (transitions.length === 0 || (transitions[0].type !== 'CREATE' && transitions[0].type !== 'TRANSFER')) {
        skipped.add(subscription.id);
        continue;
      }
      let overriddenBcd: number | null = null;
      let bcdLocal = 0;
      let alignment: BillingAlignment | null = null;
      for (const t of transitions) {
        if (t.type !== 'CANCEL' && t.type !== 'EXPIRED' && t.plan && t.phase) {
          alignment = resolveBillingAlignment(t.version, { planName: t.plan.name, phaseType: t.phase.type });
          // a BCD_CHANGE overrides the alignment from its date on
          overriddenBcd = t.bcdLocal ?? overriddenBcd;
          bcdLocal = overriddenBcd ?? billCycleDayFor(alignment, accountBcd, subscription, base ?? subscription, ctx, bcdCache);
        }
        events.push(billingEventOf(t, subscription, bcdLocal, alignment, ctx));
      }
    }
  }
  return { events: sortBillingEvents(events), skipped };
}

/** The bundle's base: its BASE subscription, else its first one (Kill Bill lists the base first). */
function baseSubscriptionOf(bundle: BundleRecord): SubscriptionRecord | undefined {
  const byRecord = [...bundle.subscriptions].sort((a, b) => a.recordId - b.recordId);
  return byRecord.find((s) => s.category === 'BASE') ?? byRecord[0];
}

/** Active events in order, nothing after the first CANCEL/EXPIRED but the initial CREATE/TRANSFER. */
function effectiveEvents(subscription: SubscriptionRecord): SubscriptionEvent[] {
  const active = subscription.events
    .filter((e) => e.isActive && e.type !== 'UNCANCEL' && e.type !== 'UNDO_CHANGE')
    .sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId);
  const end = active.find((e) => e.type === 'CANCEL' || e.type === 'EXPIRED');
  if (!end) return active;
  const kept = active.filter((e) => e === end || e.type === 'CREATE' || e.type === 'TRANSFER' || e.effectiveDate.getTime() < end.effectiveDate.getTime());
  return kept.slice(0, kept.indexOf(end) + 1);
}

/** The latest value set at or before `date` (Kill Bill's NextBillingCycleDayLocal). */
function latestAt(events: readonly SubscriptionEvent[], date: Date, valueOf: (e: SubscriptionEvent) => number | null | undefined): number | null {
  let result: number | null = null;
  for (const e of events) {
    const v = valueOf(e);
    if (e.effectiveDate.getTime() <= date.getTime() && v != null) result = v;
  }
  return result;
}

const bcdOf = (e: SubscriptionEvent) => (e.type === 'BCD_CHANGE' ? e.billCycleDayLocal : null);
const quantityOf = (e: SubscriptionEvent) => (e.type === 'QUANTITY_CHANGE' || e.type === 'CREATE' || e.type === 'TRANSFER' ? e.quantity : null);

/**
 * The subscription's billing transitions with their plans resolved per catalog version
 * (grandfathering), plus the "catalog change" CHANGE events a later version's
 * effectiveDateForExistingSubscriptions brings (emitted before the next real transition).
 */
function billingTransitions(subscription: SubscriptionRecord, catalog: VersionedCatalog): Transition[] {
  const events = effectiveEvents(subscription);
  const result: Transition[] = [];
  let candidates: Transition[] = [];
  let started = false;
  let planName: string | null = null;
  let phaseNameInForce: string | null = null;
  let lastPlanChange: Date | null = null;
  let lastVersion: StandaloneCatalog | null = null;

  for (const e of events) {
    const isInitial = e.type === 'CREATE' || e.type === 'TRANSFER';
    started ||= isInitial;
    if (isInitial || e.type === 'CHANGE') {
      planName = e.planName ?? null;
      phaseNameInForce = e.phaseName ?? null;
      lastPlanChange = e.effectiveDate;
    } else if (e.type === 'PHASE') {
      phaseNameInForce = e.phaseName ?? null;
    } else if (e.type === 'CANCEL' || e.type === 'EXPIRED') {
      planName = null;
      phaseNameInForce = null;
    }
    if (!started) continue; // nothing before the first CREATE/TRANSFER

    // catalog changes due strictly before this transition come first; a plan or phase move drops the rest
    const due = candidates.filter((c) => c.effectiveDate.getTime() < e.effectiveDate.getTime());
    result.push(...due);
    candidates = ['CHANGE', 'CANCEL', 'PHASE', 'EXPIRED'].includes(e.type) ? [] : candidates.filter((c) => !due.includes(c));

    let plan: Plan | null = null;
    let phase: PlanPhase | null = null;
    if ((isInitial || e.type === 'CHANGE') && planName === null) throw new Error(`Subscription ${subscription.id}: ${e.type} event ${e.id} has no plan`);
    if (planName !== null && lastPlanChange !== null) {
      const found = catalog.findPlanForSubscription(planName, e.effectiveDate, lastPlanChange);
      plan = found.plan;
      lastVersion = found.catalog;
      phase = phaseNameInForce === null ? null : phaseNamed(plan, phaseNameInForce);
    }
    const transition: Transition = {
      type: e.type as BillingTransitionType,
      effectiveDate: e.effectiveDate,
      totalOrdering: e.recordId,
      plan,
      phase,
      version: lastVersion as StandaloneCatalog,
      bcdLocal: latestAt(events, e.effectiveDate, bcdOf),
      quantity: latestAt(events, e.effectiveDate, quantityOf),
    };
    result.push(transition);

    if ((isInitial || e.type === 'CHANGE' || e.type === 'PHASE') && plan && phase && lastPlanChange) {
      const from = e.type === 'PHASE' ? lastPlanChange : e.effectiveDate;
      candidates = sortCandidates([...candidates, ...catalogChangeTransitions(catalog, transition, plan.name, phase, from)]);
    }
  }
  result.push(...candidates);
  return result;
}

/** Later versions of the plan with an effectiveDateForExistingSubscriptions not before the transition. */
function catalogChangeTransitions(catalog: VersionedCatalog, t: Transition, planName: string, phase: PlanPhase, planTransitionDate: Date): Transition[] {
  const version = catalog.versionFor(planTransitionDate);
  const result: Transition[] = [];
  let next = catalog.nextPlanVersion(version.findPlan(planName), version);
  while (next) {
    const edfes = next.plan.effectiveDateForExistingSubscriptions;
    if (edfes && edfes.getTime() >= t.effectiveDate.getTime()) {
      result.push({
        ...t,
        type: 'CHANGE',
        effectiveDate: edfes,
        plan: next.plan,
        phase: phaseNamed(next.plan, phaseName(planName, phase.type)),
        version: next.catalog,
      });
    }
    next = catalog.nextPlanVersion(next.plan, next.catalog);
  }
  return result;
}

const sortCandidates = (c: Transition[]) =>
  c.sort(
    (a, b) =>
      a.effectiveDate.getTime() - b.effectiveDate.getTime() ||
      a.totalOrdering - b.totalOrdering ||
      a.version.effectiveDate.getTime() - b.version.effectiveDate.getTime(),
  );

function phaseNamed(plan: Plan, name: string): PlanPhase {
  const phase = allPhases(plan).find((p) => phaseName(plan.name, p.type) === name);
  if (!phase) throw new Error(`Phase ${name} is not a phase of plan ${plan.name}`);
  return phase;
}

/** DefaultBillingEvent: prices in the account currency; none once cancelled, no fixed price on a BCD change. */
function billingEventOf(t: Transition, subscription: SubscriptionRecord, bcdLocal: number, alignment: BillingAlignment | null, ctx: Context): BillingEvent {
  const stopped = t.type === 'CANCEL' || t.type === 'EXPIRED';
  const phase = stopped ? null : t.phase;
  const plan = stopped ? null : t.plan;
  const product = plan ? t.version.productOf(plan) : undefined;
  return {
    subscriptionId: subscription.id,
    bundleId: subscription.bundleId,
    effectiveDate: t.effectiveDate,
    effectiveLocalDate: localDate(t.effectiveDate, ctx),
    transitionType: t.type,
    plan,
    phase,
    planName: plan?.name ?? null,
    phaseName: plan && phase ? phaseName(plan.name, phase.type) : null,
    priceListName: plan ? (t.version.priceListNameOf(plan) ?? null) : null,
    productName: product?.name ?? null,
    productCategory: product?.category ?? null,
    fixedPrice: phase && t.type !== 'BCD_CHANGE' ? (fixedPriceOf(phase, ctx.currency) ?? null) : null,
    recurringPrice: phase ? (recurringPriceOf(phase, ctx.currency) ?? null) : null,
    billingPeriod: phase?.recurring?.billingPeriod ?? 'NO_BILLING_PERIOD',
    billingMode: plan ? (t.version.recurringBillingModeOf(plan) ?? null) : null,
    billCycleDayLocal: bcdLocal,
    billingAlignment: alignment,
    usages: phase?.usages ?? [],
    // Kill Bill defaults a missing or invalid quantity to 1
    quantity: t.quantity === null || t.quantity <= 0 ? 1 : t.quantity,
    catalogEffectiveDate: t.version.effectiveDate,
    totalOrdering: t.totalOrdering,
  };
}

function localDate(date: Date, ctx: Context): LocalDate {
  const millis = date.getTime();
  let day = ctx.localDates.get(millis);
  if (day === undefined) {
    day = toAccountLocalDate(Instant.ofEpochMilli(millis), ctx.time);
    ctx.localDates.set(millis, day);
  }
  return day;
}

// ---------------------------------------------------------------------------------------------
// Bill cycle day (BillCycleDayCalculator, DefaultInternalBillingApi#computeAccountBCD)
// ---------------------------------------------------------------------------------------------

/** BCD of a transition by alignment; ACCOUNT falls back to SUBSCRIPTION while the account has none. */
function billCycleDayFor(
  alignment: BillingAlignment,
  accountBcd: number,
  subscription: SubscriptionRecord,
  base: SubscriptionRecord,
  ctx: Context,
  cache: Map<string, number>,
): number {
  if (alignment === 'ACCOUNT' && accountBcd !== 0) return accountBcd;
  const aligned = alignment === 'BUNDLE' ? base : subscription;
  let bcd = cache.get(aligned.id);
  if (bcd === undefined) {
    bcd = localDate(dateOfFirstRecurringNonZeroCharge(aligned, ctx.catalog), ctx).dayOfMonth();
    cache.set(aligned.id, bcd);
  }
  return bcd;
}

/**
 * Start date plus the finite phases (from the initial phase) that have no non-zero recurring price,
 * in the plan the subscription was created with (Kill Bill's Plan#dateOfFirstRecurringNonZeroCharge).
 */
export function dateOfFirstRecurringNonZeroCharge(subscription: SubscriptionRecord, catalog: VersionedCatalog): Date {
  const initial = effectiveEvents(subscription).find((e) => e.type === 'CREATE' || e.type === 'TRANSFER');
  if (!initial?.planName) return subscription.startDate;
  const { plan } = catalog.findPlanForSubscription(initial.planName, initial.effectiveDate, initial.effectiveDate);
  const phases = allPhases(plan);
  const initialIndex = initial.phaseName ? phases.findIndex((p) => phaseName(plan.name, p.type) === initial.phaseName) : 0;
  let result = subscription.startDate;
  for (const phase of phases.slice(Math.max(initialIndex, 0))) {
    if (phase.duration.unit === 'UNLIMITED' || !isZeroPrice(phase.recurring?.recurringPrice)) break;
    result = addDurationToInstant(result, phase.duration);
  }
  return result;
}

/** The BCD of the oldest ACCOUNT-aligned event with a recurring price (even zero) or a usage. */
function accountBcdCandidate(events: readonly BillingEvent[]): number | null {
  let oldest: BillingEvent | undefined;
  for (const e of events) {
    if (e.billingAlignment !== 'ACCOUNT' || (e.recurringPrice === null && e.usages.length === 0)) continue;
    const diff = oldest ? e.effectiveDate.getTime() - oldest.effectiveDate.getTime() : -1;
    if (!oldest || diff < 0 || (diff === 0 && e.totalOrdering < oldest.totalOrdering)) oldest = e;
  }
  return oldest ? oldest.billCycleDayLocal : null;
}

// ---------------------------------------------------------------------------------------------
// Blocking (BlockingCalculator, BlockingStateService, DisabledDuration)
// ---------------------------------------------------------------------------------------------

export interface DisabledDuration {
  readonly start: Date;
  readonly end: Date | null;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Billing-disabled durations of a set of blocking states: per service and blocked object, a
 * blockBilling state opens a duration that the next non-blocking state closes (closed durations
 * shorter than a day are dropped, Kill Bill #267); then overlapping or adjacent durations merge.
 */
export function billingDisabledDurations(states: readonly BlockingStateRecord[]): DisabledDuration[] {
  const sorted = [...states].sort(byBlockingOrder);
  const durations: DisabledDuration[] = [];
  const open = new Map<string, BlockingStateRecord>();
  for (const s of sorted) {
    const key = `${s.service}\u0000${s.blockedId}`;
    const first = open.get(key);
    if (s.blockBilling && !first) {
      open.set(key, s);
    } else if (!s.blockBilling && first) {
      if (s.effectiveDate.getTime() - first.effectiveDate.getTime() >= DAY_MS) durations.push({ start: first.effectiveDate, end: s.effectiveDate });
      open.delete(key);
    }
  }
  for (const s of open.values()) durations.push({ start: s.effectiveDate, end: null });
  durations.sort(
    (a, b) => a.start.getTime() - b.start.getTime() || (a.end === null ? (b.end === null ? 0 : 1) : b.end === null ? -1 : a.end.getTime() - b.end.getTime()),
  );
  const merged: DisabledDuration[] = [];
  for (const d of durations) {
    const prev = merged[merged.length - 1];
    if (!prev || (prev.end !== null && prev.end.getTime() < d.start.getTime())) {
      merged.push(d);
    } else {
      const end = prev.end !== null && d.end !== null ? (prev.end.getTime() < d.end.getTime() ? d.end : prev.end) : null;
      merged[merged.length - 1] = { start: prev.start, end };
    }
  }
  return merged;
}

const byBlockingOrder = (a: BlockingStateRecord, b: BlockingStateRecord) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId;

function insertBlockingEvents(
  events: readonly BillingEvent[],
  bundles: readonly BundleRecord[],
  states: readonly BlockingStateRecord[],
  skipped: ReadonlySet<string>,
  ctx: Context,
): { events: BillingEvent[]; intervals: BillingBlockedInterval[] } {
  const added: BillingEvent[] = [];
  const removed = new Set<BillingEvent>();
  const intervals: BillingBlockedInterval[] = [];
  const counter = { next: 0 };
  const accountStates = states.filter((s) => s.type === 'ACCOUNT');
  // Grouped once (in their order) so that an account of 30,000 subscriptions is not scanned per subscription.
  const bundleStatesOf = groupedBy(
    states.filter((s) => s.type === 'SUBSCRIPTION_BUNDLE'),
    (s) => s.blockedId,
  );
  const subscriptionStatesOf = groupedBy(
    states.filter((s) => s.type === 'SUBSCRIPTION'),
    (s) => s.blockedId,
  );
  const eventsOf = groupedBy(events, (e) => e.subscriptionId);
  // Without a state that blocks billing there is no disabled duration: most subscriptions stop here.
  const blocksBilling = (states: readonly BlockingStateRecord[] | undefined) => states?.some((s) => s.blockBilling) ?? false;
  const accountBlocks = blocksBilling(accountStates);
  for (const bundle of bundles) {
    const bundleStates = bundleStatesOf.get(bundle.id) ?? [];
    const bundleBlocks = accountBlocks || blocksBilling(bundleStates);
    for (const subscription of bundle.subscriptions) {
      if (skipped.has(subscription.id)) continue;
      if (!bundleBlocks && !blocksBilling(subscriptionStatesOf.get(subscription.id))) continue;
      const own = eventsOf.get(subscription.id) ?? [];
      const last = own[own.length - 1];
      const termination = last && (last.transitionType === 'CANCEL' || last.transitionType === 'EXPIRED') ? last.effectiveDate : null;
      const relevant = [...(subscriptionStatesOf.get(subscription.id) ?? []), ...bundleStates, ...accountStates].filter(
        (s) => termination === null || s.effectiveDate.getTime() <= termination.getTime(),
      );
      const durations = billingDisabledDurations(relevant);
      for (const d of durations) intervals.push({ subscriptionId: subscription.id, start: d.start, end: d.end });
      added.push(...disabledEvents(durations, own, ctx, counter));
      for (const e of eventsInsideDurations(durations, own)) removed.add(e);
    }
  }
  if (removed.size === 0 && added.length === 0) return { events: [...events], intervals };
  return { events: sortBillingEvents([...events.filter((e) => !removed.has(e)), ...added]), intervals };
}

/** The items by key, each group in the items' order. */
function groupedBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Billing events that fall in a disabled duration [start, end). */
function eventsInsideDurations(durations: readonly DisabledDuration[], events: readonly BillingEvent[]): BillingEvent[] {
  const result: BillingEvent[] = [];
  for (const d of durations) {
    for (const e of events) {
      if (d.end !== null && e.effectiveDate.getTime() >= d.end.getTime()) break;
      if (e.effectiveDate.getTime() >= d.start.getTime()) result.push(e);
    }
  }
  return result;
}

/** START_BILLING_DISABLED at each start and END_BILLING_DISABLED (re-billing what was in force) at each end. */
function disabledEvents(durations: readonly DisabledDuration[], events: readonly BillingEvent[], ctx: Context, counter: { next: number }): BillingEvent[] {
  const result: BillingEvent[] = [];
  for (const d of durations) {
    const beforeStart = precedingActiveEvent(d.start, events);
    const beforeEnd = precedingActiveEvent(d.end, events);
    if (beforeStart) {
      result.push({
        ...beforeStart,
        effectiveDate: d.start,
        effectiveLocalDate: localDate(d.start, ctx),
        transitionType: 'START_BILLING_DISABLED',
        fixedPrice: null,
        recurringPrice: null,
        usages: [],
        billingPeriod: 'NO_BILLING_PERIOD',
        billingAlignment: null,
        totalOrdering: counter.next++,
      });
    }
    if (d.end !== null && beforeEnd) {
      result.push({
        ...beforeEnd,
        effectiveDate: d.end,
        effectiveLocalDate: localDate(d.end, ctx),
        transitionType: 'END_BILLING_DISABLED',
        billingAlignment: null,
        totalOrdering: counter.next++,
      });
    }
  }
  return result;
}

/** The last billing event strictly before `date`; none after the final CANCEL. */
function precedingActiveEvent(date: Date | null, events: readonly BillingEvent[]): BillingEvent | undefined {
  if (date === null) return undefined;
  let prev: BillingEvent | undefined;
  for (const e of events) {
    if (e.effectiveDate.getTime() >= date.getTime()) return prev;
    prev = e;
  }
  return prev?.transitionType === 'CANCEL' ? undefined : prev;
}

// ---------------------------------------------------------------------------------------------
// Ordering (DefaultBillingEvent#compareTo, kept in a TreeSet: an equal event is not added twice)
// ---------------------------------------------------------------------------------------------

/** Subscription id (Java's signed UUID order), date, disabled events around the others, total ordering. */
export function compareBillingEvents(a: BillingEvent, b: BillingEvent): number {
  if (a.subscriptionId !== b.subscriptionId) return compareJavaUuids(a.subscriptionId, b.subscriptionId);
  return compareWithinSubscription(a, b);
}

function compareWithinSubscription(a: BillingEvent, b: BillingEvent): number {
  const byDate = a.effectiveDate.getTime() - b.effectiveDate.getTime();
  if (byDate !== 0) return byDate;
  // entering a blocked period: the subscription event first; leaving it: the END first
  if (a.transitionType === 'START_BILLING_DISABLED') return b.transitionType === 'END_BILLING_DISABLED' ? -1 : 1;
  if (b.transitionType === 'START_BILLING_DISABLED') return a.transitionType === 'END_BILLING_DISABLED' ? 1 : -1;
  if (a.transitionType === 'END_BILLING_DISABLED') return -1;
  if (b.transitionType === 'END_BILLING_DISABLED') return 1;
  return a.totalOrdering - b.totalOrdering;
}

function sortBillingEvents(events: readonly BillingEvent[]): BillingEvent[] {
  // compareBillingEvents' order, with the subscriptions ranked once (by a text key in java.util.UUID's
  // order) rather than their ids parsed and compared as longs at every comparison.
  const keys = new Map<string, string | null>();
  for (const e of events) if (!keys.has(e.subscriptionId)) keys.set(e.subscriptionId, javaUuidOrderKey(e.subscriptionId));
  const rank = new Map<string, number>();
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const all = [...keys];
  // An id that is not a UUID's 32 hex digits is ranked by the longs it parses to, as before.
  const sortedIds = all.every(([, key]) => key !== null)
    ? all.sort(([, a], [, b]) => byKey(a!, b!)).map(([id]) => id)
    : all.map(([id]) => id).sort(compareJavaUuids);
  sortedIds.forEach((id, index) =>
    rank.set(id, index > 0 && compareJavaUuidsRanked(sortedIds[index - 1], id, keys) === 0 ? rank.get(sortedIds[index - 1])! : index),
  );
  const compare = (a: BillingEvent, b: BillingEvent) => {
    if (a.subscriptionId !== b.subscriptionId) {
      const order = rank.get(a.subscriptionId)! - rank.get(b.subscriptionId)!;
      if (order !== 0) return order;
    }
    return compareWithinSubscription(a, b);
  };
  // The same order as sorting all events with `compare` (both stable): the events go to their
  // subscription's rank, and only each rank's few events are sorted (30,000 subscriptions: no
  // comparison across subscriptions at all).
  const byRank: BillingEvent[][] = [];
  for (const e of events) (byRank[rank.get(e.subscriptionId)!] ??= []).push(e);
  const sorted: BillingEvent[] = [];
  for (const group of byRank) {
    if (group === undefined) continue;
    if (group.length > 1) group.sort(compareWithinSubscription);
    for (const e of group) sorted.push(e);
  }
  return sorted.filter((e, i) => i === 0 || compare(sorted[i - 1], e) !== 0);
}

/**
 * A text that sorts as java.util.UUID#compareTo sorts the UUID: its 32 hex digits, the first digit of
 * each 64-bit half with its sign bit flipped (a signed long's order is the unsigned order of its bits
 * with the sign bit flipped). Equal keys for equal UUIDs.
 */
export function javaUuidOrderKey(u: string): string | null {
  const hex = u.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  const flip = (digit: string) => (parseInt(digit, 16) ^ 8).toString(16);
  return flip(hex[0]) + hex.slice(1, 16) + flip(hex[16]) + hex.slice(17);
}

/** Two ranked ids compared as compareJavaUuids does (distinct texts of one UUID, e.g. in upper case, are equal). */
function compareJavaUuidsRanked(a: string, b: string, keys: ReadonlyMap<string, string | null>): number {
  const ka = keys.get(a);
  const kb = keys.get(b);
  return ka != null && kb != null ? (ka < kb ? -1 : ka > kb ? 1 : 0) : compareJavaUuids(a, b);
}

/** A UUID's most and least significant 64 bits, each as a signed long (java.util.UUID). */
function javaUuidHalves(u: string): readonly [bigint, bigint] {
  const hex = u.replace(/-/g, '');
  return [BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)), BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`))];
}

function compareHalves([am, al]: readonly [bigint, bigint], [bm, bl]: readonly [bigint, bigint]): number {
  if (am !== bm) return am < bm ? -1 : 1;
  return al === bl ? 0 : al < bl ? -1 : 1;
}

/** java.util.UUID#compareTo: most then least significant 64 bits, each compared as a signed long. */
export function compareJavaUuids(a: string, b: string): number {
  return compareHalves(javaUuidHalves(a), javaUuidHalves(b));
}
