/**
 * A subscription as the API shows it (Kill Bill's DefaultEntitlement + SubscriptionEventOrdering):
 * its entitlement state at `now`, its current (else first pending) plan, its billing and entitlement
 * dates, the merged timeline of billing events and blocking states, and the prices of each phase it
 * goes through. Pure: every input is given, nothing is read.
 */
import Big from 'big.js';
import { Instant, LocalDate, type ZoneId } from '@js-joda/core';
import {
  type BillingAlignment,
  type BillingPeriod,
  type Currency,
  type InternationalPrice,
  type PhaseType,
  type Plan,
  type PlanPhase,
  type StandaloneCatalog,
  type Usage,
  type VersionedCatalog,
  allPhases,
  phaseName as derivedPhaseName,
  priceIn,
  recurringBillingPeriod,
  resolveBillingAlignment,
} from '@kb/catalog/engine';
import {
  type BlockingStateRecord,
  ENT_BLOCKED,
  ENT_CANCELLED,
  ENT_STARTED,
  ENTITLEMENT_SERVICE,
  type ProductCategory,
  type SubscriptionEvent,
  type SubscriptionRecord,
} from './subscription-events';

export type EntitlementState = 'PENDING' | 'ACTIVE' | 'BLOCKED' | 'CANCELLED' | 'EXPIRED';
export type SubscriptionSourceType = 'NATIVE' | 'MIGRATED' | 'TRANSFERRED';

/** Kill Bill's SubscriptionEventType, in its declaration order (the tie-break of the timeline). */
export const TIMELINE_EVENT_TYPES = [
  'START_ENTITLEMENT',
  'START_BILLING',
  'PAUSE_ENTITLEMENT',
  'PAUSE_BILLING',
  'RESUME_ENTITLEMENT',
  'RESUME_BILLING',
  'PHASE',
  'CHANGE',
  'STOP_ENTITLEMENT',
  'STOP_BILLING',
  'SERVICE_STATE_CHANGE',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

export const BILLING_SERVICE = 'billing-service';
export const ENTITLEMENT_AND_BILLING_SERVICE = 'entitlement+billing-service';

/** What the plan side of a timeline event shows. */
export interface PlanState {
  readonly planName: string;
  readonly phaseName: string;
  readonly phaseType: PhaseType;
  readonly productName: string;
  readonly category: ProductCategory;
  readonly billingPeriod: BillingPeriod;
  readonly priceListName: string | null;
  readonly plan: Plan;
  readonly phase: PlanPhase;
  readonly version: StandaloneCatalog;
}

/** Kill Bill's EventSubscription. */
export interface TimelineEvent {
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly eventType: TimelineEventType;
  readonly effectiveDate: Date;
  readonly catalogEffectiveDate: Date | null;
  readonly plan: PlanState | null;
  readonly isBlockedBilling: boolean;
  readonly isBlockedEntitlement: boolean;
  readonly serviceName: string;
  readonly serviceStateName: string;
  /** Tie-break among events of one instant and type (creation order). */
  readonly order: number;
  /** The row the event comes from, for audit logs: a subscription event or a blocking state. */
  readonly source: 'SUBSCRIPTION_EVENT' | 'BLOCKING_STATES';
}

export interface UsageTierPrice {
  readonly blockPrices: readonly { unitName: string; size: Big; price: Big | null; max: Big | null }[];
}

export interface UsagePriceView {
  readonly usageName: string;
  readonly usageType: string;
  readonly billingMode: string;
  readonly tierBlockPolicy: string;
  readonly tierPrices: readonly UsageTierPrice[];
}

/** Kill Bill's PhasePrice. */
export interface PhasePriceView {
  readonly planName: string;
  readonly phaseName: string;
  readonly phaseType: PhaseType;
  readonly fixedPrice: Big | null;
  readonly recurringPrice: Big | null;
  readonly usagePrices: readonly UsagePriceView[];
}

export interface SubscriptionViewInput {
  readonly subscription: SubscriptionRecord;
  /** The bundle's base subscription (an add-on's billing ends with its base's). */
  readonly base?: SubscriptionRecord;
  /** Blocking states of the account, the bundle and the subscription (any service). */
  readonly blockingStates: readonly BlockingStateRecord[];
  readonly catalog: VersionedCatalog;
  readonly currency: Currency | null;
  readonly accountBillCycleDayLocal: number;
  readonly accountZone: ZoneId;
  readonly now: Date;
}

export interface SubscriptionView {
  readonly state: EntitlementState;
  readonly sourceType: SubscriptionSourceType;
  readonly current: PlanState | null;
  readonly entitlementStartDate: Date;
  readonly cancelledDate: Date | null;
  readonly billingStartDate: Date;
  readonly billingEndDate: Date | null;
  readonly billCycleDayLocal: number | null;
  readonly quantity: number;
  readonly events: readonly TimelineEvent[];
  readonly prices: readonly PhasePriceView[];
}

const PLAN_EVENTS = new Set(['CREATE', 'TRANSFER', 'CHANGE', 'PHASE']);

/** The plan states a subscription goes through, one per plan-setting event. */
function planStates(catalog: VersionedCatalog, subscription: SubscriptionRecord): { event: SubscriptionEvent; state: PlanState }[] {
  const result: { event: SubscriptionEvent; state: PlanState }[] = [];
  let planSince: Date | undefined;
  for (const event of subscription.events) {
    if (!event.isActive || !PLAN_EVENTS.has(event.type) || !event.planName || !event.phaseName) continue;
    if (event.type !== 'PHASE' || planSince === undefined) planSince = event.effectiveDate;
    const { catalog: version, plan } = catalog.findPlanForSubscription(event.planName, event.effectiveDate, planSince);
    const phase = allPhases(plan).find((candidate) => derivedPhaseName(plan.name, candidate.type) === event.phaseName) ?? plan.finalPhase;
    const product = version.productOf(plan);
    result.push({
      event,
      state: {
        planName: plan.name,
        phaseName: derivedPhaseName(plan.name, phase.type),
        phaseType: phase.type,
        productName: plan.product ?? '',
        category: product?.category ?? subscription.category,
        billingPeriod: recurringBillingPeriod(plan),
        priceListName: event.priceListName ?? null,
        plan,
        phase,
        version,
      },
    });
  }
  return result;
}

function sortedEvents(subscription: SubscriptionRecord): SubscriptionEvent[] {
  return [...subscription.events].filter((e) => e.isActive).sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId);
}

function billingEnd(subscription: SubscriptionRecord): Date | null {
  const end = sortedEvents(subscription).find((event) => event.type === 'CANCEL' || event.type === 'EXPIRED');
  return end?.effectiveDate ?? null;
}

/** Latest state per (blockable, service) at `at`, OR-ed (Kill Bill's BlockingChecker). */
export function aggregateBlocking(states: readonly BlockingStateRecord[], at: Date): { blockChange: boolean; blockEntitlement: boolean; blockBilling: boolean } {
  const latest = new Map<string, BlockingStateRecord>();
  for (const state of [...states].sort(byEffective)) {
    if (state.effectiveDate.getTime() > at.getTime()) continue;
    latest.set(`${state.blockedId}|${state.service}`, state);
  }
  let blockChange = false;
  let blockEntitlement = false;
  let blockBilling = false;
  for (const state of latest.values()) {
    blockChange ||= state.blockChange;
    blockEntitlement ||= state.blockEntitlement;
    blockBilling ||= state.blockBilling;
  }
  return { blockChange, blockEntitlement, blockBilling };
}

function byEffective(a: BlockingStateRecord, b: BlockingStateRecord): number {
  return a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId;
}

function isEntitlementMarker(state: BlockingStateRecord, subscriptionId: string): boolean {
  return state.service === ENTITLEMENT_SERVICE && state.type === 'SUBSCRIPTION' && state.blockedId === subscriptionId && (state.stateName === ENT_STARTED || state.stateName === ENT_CANCELLED);
}

export function computeSubscriptionView(input: SubscriptionViewInput): SubscriptionView {
  const { subscription, now } = input;
  const nowMs = now.getTime();
  const states = planStates(input.catalog, subscription);
  const events = sortedEvents(subscription);
  const markers = input.blockingStates.filter((s) => isEntitlementMarker(s, subscription.id)).sort(byEffective);
  const started = markers.find((s) => s.stateName === ENT_STARTED);
  const cancelled = [...markers].reverse().find((s) => s.stateName === ENT_CANCELLED);
  const entitlementStartDate = started?.effectiveDate ?? subscription.startDate;
  const cancelledDate = cancelled?.effectiveDate ?? null;
  const ownBillingEnd = billingEnd(subscription);
  const baseBillingEnd = input.base && input.base.id !== subscription.id ? billingEnd(input.base) : null;
  const billingEndDate = ownBillingEnd && baseBillingEnd ? (ownBillingEnd <= baseBillingEnd ? ownBillingEnd : baseBillingEnd) : (ownBillingEnd ?? baseBillingEnd);

  const planAt = (at: Date): PlanState | null => {
    let found: PlanState | null = states[0]?.state ?? null;
    for (const { event, state } of states) if (event.effectiveDate.getTime() <= at.getTime()) found = state;
    return found;
  };
  const current = planAt(now);

  const expired = events.some((e) => e.type === 'EXPIRED' && e.effectiveDate.getTime() <= nowMs);
  const blocking = aggregateBlocking(
    input.blockingStates.filter((s) => !isEntitlementMarker(s, subscription.id)),
    now,
  );
  const state: EntitlementState =
    cancelledDate && cancelledDate.getTime() <= nowMs
      ? 'CANCELLED'
      : expired
        ? 'EXPIRED'
        : entitlementStartDate.getTime() > nowMs
          ? 'PENDING'
          : blocking.blockEntitlement
            ? 'BLOCKED'
            : 'ACTIVE';
  const sourceType: SubscriptionSourceType = subscription.migrated ? 'MIGRATED' : events[0]?.type === 'TRANSFER' ? 'TRANSFERRED' : 'NATIVE';

  const timeline = buildTimeline(input, states, events, markers, planAt, entitlementStartDate, cancelledDate ?? ownBillingEnd);
  return {
    state,
    sourceType,
    current,
    entitlementStartDate,
    cancelledDate,
    billingStartDate: subscription.startDate,
    billingEndDate,
    billCycleDayLocal: billCycleDay(input, states, events),
    quantity: quantityAt(events, now),
    events: timeline,
    prices: phasePrices(timeline, input.currency),
  };
}

function quantityAt(events: readonly SubscriptionEvent[], now: Date): number {
  let quantity = 1;
  for (const event of events) {
    if (event.effectiveDate.getTime() > now.getTime()) break;
    if ((event.type === 'QUANTITY_CHANGE' || event.type === 'CREATE') && event.quantity != null) quantity = event.quantity;
  }
  return quantity;
}

/**
 * Subscription.billCycleDayLocal: the subscription's own BCD (latest BCD_CHANGE, else the first
 * pending one), else the default of its billing alignment: the account's (null while unset), or the
 * day of its own (SUBSCRIPTION) or its base's (BUNDLE) first non-zero recurring charge.
 */
function billCycleDay(input: SubscriptionViewInput, states: readonly { event: SubscriptionEvent; state: PlanState }[], events: readonly SubscriptionEvent[]): number | null {
  const bcds = events.filter((e) => e.type === 'BCD_CHANGE' && e.billCycleDayLocal != null);
  const past = bcds.filter((e) => e.effectiveDate.getTime() <= input.now.getTime());
  const own = past[past.length - 1] ?? bcds[0];
  if (own) return own.billCycleDayLocal ?? null;
  const first = states[0]?.state;
  if (!first) return null;
  let alignment: BillingAlignment;
  try {
    alignment = resolveBillingAlignment(first.version, { planName: first.planName, priceListName: first.priceListName ?? undefined, phaseType: first.phaseType });
  } catch {
    return null;
  }
  if (alignment === 'ACCOUNT') return input.accountBillCycleDayLocal > 0 ? input.accountBillCycleDayLocal : null;
  const source = alignment === 'BUNDLE' && input.base ? planStates(input.catalog, input.base) : states;
  const charged = source.find(({ state }) => hasNonZeroRecurring(state.phase, input.currency));
  if (!charged) return null;
  return LocalDate.ofInstant(instantOfDate(charged.event.effectiveDate), input.accountZone).dayOfMonth();
}

function instantOfDate(date: Date): Instant {
  return Instant.ofEpochMilli(date.getTime());
}

function hasNonZeroRecurring(phase: PlanPhase, currency: Currency | null): boolean {
  const price = phase.recurring?.recurringPrice;
  if (!price) return false;
  if (currency === null) return price.prices.some((p) => p.value !== null && !p.value.eq(0));
  return !priceOrNull(price, currency)?.eq(0);
}

function priceOrNull(price: InternationalPrice | undefined, currency: Currency): Big | null {
  if (!price) return null;
  try {
    return priceIn(price, currency);
  } catch {
    return null;
  }
}

function buildTimeline(
  input: SubscriptionViewInput,
  states: readonly { event: SubscriptionEvent; state: PlanState }[],
  events: readonly SubscriptionEvent[],
  markers: readonly BlockingStateRecord[],
  planAt: (at: Date) => PlanState | null,
  entitlementStart: Date,
  end: Date | null,
): TimelineEvent[] {
  const { subscription } = input;
  const timeline: TimelineEvent[] = [];
  const others = input.blockingStates.filter((s) => !isEntitlementMarker(s, subscription.id)).sort(byEffective);
  const flagsAt = (at: Date) => aggregateBlocking(others, at);
  const stateByEvent = new Map(states.map(({ event, state }) => [event.id, state]));
  let previousPlan: PlanState | null = null;
  for (const event of events) {
    const type = billingTimelineType(event.type);
    const planState = stateByEvent.get(event.id) ?? null;
    if (type) {
      const flags = flagsAt(event.effectiveDate);
      timeline.push({
        eventId: event.id,
        subscriptionId: subscription.id,
        eventType: type,
        effectiveDate: event.effectiveDate,
        catalogEffectiveDate: event.catalogEffectiveDate ?? (planState ?? previousPlan)?.version.effectiveDate ?? null,
        plan: type === 'STOP_BILLING' ? previousPlan : planState,
        isBlockedBilling: flags.blockBilling,
        isBlockedEntitlement: flags.blockEntitlement,
        serviceName: type === 'START_BILLING' || type === 'STOP_BILLING' ? BILLING_SERVICE : ENTITLEMENT_AND_BILLING_SERVICE,
        serviceStateName: type,
        order: event.recordId,
        source: 'SUBSCRIPTION_EVENT',
      });
    }
    if (planState) previousPlan = planState;
  }
  for (const marker of markers) {
    const stop = marker.stateName === ENT_CANCELLED;
    const flags = flagsAt(marker.effectiveDate);
    const plan = planAt(marker.effectiveDate);
    timeline.push({
      eventId: marker.id,
      subscriptionId: subscription.id,
      eventType: stop ? 'STOP_ENTITLEMENT' : 'START_ENTITLEMENT',
      effectiveDate: marker.effectiveDate,
      catalogEffectiveDate: plan?.version.effectiveDate ?? null,
      plan,
      isBlockedBilling: flags.blockBilling,
      isBlockedEntitlement: flags.blockEntitlement,
      serviceName: ENTITLEMENT_SERVICE,
      serviceStateName: marker.stateName,
      order: marker.recordId,
      source: 'BLOCKING_STATES',
    });
  }
  // Other blocking states: PAUSE/RESUME when they flip the aggregate flags, else a service state change.
  let before = { blockChange: false, blockEntitlement: false, blockBilling: false };
  for (const state of others) {
    const after = flagsAt(state.effectiveDate);
    const at = state.effectiveDate.getTime();
    const inWindow = at >= entitlementStart.getTime() && (end === null || at < end.getTime());
    const plan = planAt(state.effectiveDate);
    const base = {
      eventId: state.id,
      subscriptionId: subscription.id,
      effectiveDate: state.effectiveDate,
      catalogEffectiveDate: plan?.version.effectiveDate ?? null,
      plan,
      isBlockedBilling: after.blockBilling,
      isBlockedEntitlement: after.blockEntitlement,
      serviceStateName: state.stateName,
      order: state.recordId,
      source: 'BLOCKING_STATES' as const,
    };
    const bundlePause = state.service === ENTITLEMENT_SERVICE;
    let flipped = false;
    if (inWindow && after.blockEntitlement !== before.blockEntitlement) {
      flipped = true;
      timeline.push({ ...base, eventType: after.blockEntitlement ? 'PAUSE_ENTITLEMENT' : 'RESUME_ENTITLEMENT', serviceName: bundlePause ? ENTITLEMENT_SERVICE : state.service });
    }
    if (inWindow && after.blockBilling !== before.blockBilling) {
      flipped = true;
      timeline.push({ ...base, eventType: after.blockBilling ? 'PAUSE_BILLING' : 'RESUME_BILLING', serviceName: bundlePause ? BILLING_SERVICE : state.service });
    }
    if (!flipped && !bundlePause && state.stateName !== ENT_BLOCKED) timeline.push({ ...base, eventType: 'SERVICE_STATE_CHANGE', serviceName: state.service });
    before = after;
  }
  return timeline.sort(compareTimelineEvents);
}

/** Kill Bill's ordering: effective date, then subscription, then event type order, then creation order. */
export function compareTimelineEvents(a: TimelineEvent, b: TimelineEvent): number {
  return (
    a.effectiveDate.getTime() - b.effectiveDate.getTime() ||
    (a.subscriptionId === b.subscriptionId ? 0 : a.subscriptionId < b.subscriptionId ? -1 : 1) ||
    TIMELINE_EVENT_TYPES.indexOf(a.eventType) - TIMELINE_EVENT_TYPES.indexOf(b.eventType) ||
    a.order - b.order
  );
}

function billingTimelineType(type: SubscriptionEvent['type']): TimelineEventType | undefined {
  switch (type) {
    case 'CREATE':
    case 'TRANSFER':
      return 'START_BILLING';
    case 'PHASE':
      return 'PHASE';
    case 'CHANGE':
      return 'CHANGE';
    case 'CANCEL':
    case 'EXPIRED':
      return 'STOP_BILLING';
    default:
      return undefined;
  }
}

/** One PhasePrice per distinct phase met in the timeline, in the account currency. */
export function phasePrices(timeline: readonly TimelineEvent[], currency: Currency | null): PhasePriceView[] {
  const seen = new Set<string>();
  const result: PhasePriceView[] = [];
  for (const event of timeline) {
    const plan = event.plan;
    if (!plan || seen.has(plan.phaseName)) continue;
    seen.add(plan.phaseName);
    const phase = plan.phase;
    result.push({
      planName: plan.planName,
      phaseName: plan.phaseName,
      phaseType: plan.phaseType,
      fixedPrice: phase.fixed ? (currency && phase.fixed.fixedPrice ? (priceOrNull(phase.fixed.fixedPrice, currency) ?? new Big(0)) : new Big(0)) : null,
      recurringPrice: phase.recurring?.recurringPrice && currency ? priceOrNull(phase.recurring.recurringPrice, currency) : null,
      usagePrices: phase.usages.map((usage) => usagePrice(usage, currency)),
    });
  }
  return result;
}

function usagePrice(usage: Usage, currency: Currency | null): UsagePriceView {
  return {
    usageName: usage.name,
    usageType: usage.usageType,
    billingMode: usage.billingMode,
    tierBlockPolicy: usage.tierBlockPolicy,
    tierPrices: usage.tiers.map((tier) => ({
      blockPrices: tier.blocks.map((block) => ({
        unitName: block.unit,
        size: block.size,
        price: currency ? priceOrNull(block.prices, currency) : null,
        max: block.max ?? null,
      })),
    })),
  };
}
