/**
 * The hypothetical subscription of a SUBSCRIPTION_ACTION dry run (Kill Bill's
 * SubscriptionApiBase#populateDryRunEvents and DefaultSubscriptionDao#mergeDryRunEvents): a new
 * subscription (START_BILLING), a plan change (CHANGE) or a billing end (STOP_BILLING), built with
 * the entitlement engine's own event planning and merged into the stored subscription as the real
 * change or cancel would write it. Pure: nothing is stored.
 */
import { type AccountTime, instantOf, KillBillError, toAccountInstant, toAccountLocalDate, toJsDate } from '@kb/kernel';
import type { LocalDate } from '@js-joda/core';
import {
  allPhases,
  type BillingActionPolicy,
  type BillingPeriod,
  type Currency,
  overriddenPlanName,
  phaseName,
  type PhasePriceOverride,
  type PhaseType,
  type PlanSpecifier,
  recurringBillingPeriod,
  resolvePlanChange,
  resolvePhaseOverrides,
  type VersionedCatalog,
  withOverriddenPlans,
} from '@kb/catalog/engine';
import {
  type BundleRecord,
  effectiveDateForPolicy,
  lastPlanTransition,
  originalInitialPhase,
  planChangeEvents,
  planCreation,
  planEventAt,
  type PlannedEvent,
  resolvePlan,
  subscriptionBaseState,
  type SubscriptionEvent,
  type SubscriptionRecord,
} from '@kb/entitlement/engine';

export type DryRunAction = 'START_BILLING' | 'CHANGE' | 'STOP_BILLING';

export interface DryRunSubscriptionAction {
  readonly action: DryRunAction;
  /** CHANGE, STOP_BILLING: the subscription; START_BILLING: none (a new one). */
  readonly subscriptionId?: string | null;
  /** CHANGE, STOP_BILLING: its bundle; START_BILLING: the bundle to join (an ADD_ON's), none for a new bundle. */
  readonly bundleId?: string | null;
  /** START_BILLING, CHANGE: the plan. */
  readonly plan?: PlanSpecifier;
  readonly phaseType?: PhaseType | null;
  /** The account-local day it takes effect (at the account's reference time). */
  readonly effectiveDate?: LocalDate | null;
  readonly billingPolicy?: BillingActionPolicy | null;
  /** START_BILLING, CHANGE: prices of the plan's phases in the account currency (an overridden plan kept in memory only). */
  readonly priceOverrides?: readonly PhasePriceOverride[];
}

export interface DryRunSubscriptionContext {
  readonly bundles: readonly BundleRecord[];
  readonly catalog: VersionedCatalog;
  readonly now: Date;
  readonly time: AccountTime;
  readonly accountBillCycleDayLocal: number | null;
  readonly currency: Currency;
  readonly newId: () => string;
}

export interface DryRunSubscriptionResult {
  readonly subscription: SubscriptionRecord;
  /** The catalog to bill with (the given one, with the dry run's overridden plan when prices are overridden). */
  readonly catalog: VersionedCatalog;
}

/** The name of a dry run's overridden plan: record id 0, which no stored override has. */
const DRY_RUN_OVERRIDE_ID = 0;

/** Record ids of hypothetical events: after every stored one, in planning order. */
const HYPOTHETICAL_RECORD_ID = Number.MAX_SAFE_INTEGER - 1_000_000;

/** The subscription that replaces (or joins) the stored ones for the dry run. */
export function dryRunSubscription(action: DryRunSubscriptionAction, context: DryRunSubscriptionContext): DryRunSubscriptionResult {
  if (action.action === 'STOP_BILLING') return { subscription: stopBilling(action, context), catalog: context.catalog };
  const withPrices = withPriceOverrides(action, context);
  const subscription = action.action === 'START_BILLING' ? startBilling(withPrices.action, withPrices.context) : change(withPrices.action, withPrices.context);
  return { subscription, catalog: withPrices.context.catalog };
}

/** The plan with the requested prices, as an overridden plan of an in-memory catalog (Kill Bill's dry run stores none). */
function withPriceOverrides(action: DryRunSubscriptionAction, context: DryRunSubscriptionContext): { action: DryRunSubscriptionAction; context: DryRunSubscriptionContext } {
  if (!action.priceOverrides || action.priceOverrides.length === 0) return { action, context };
  const at = action.effectiveDate ? toJsDate(toAccountInstant(action.effectiveDate, context.time)) : context.now;
  const parent = resolvePlan(context.catalog, action.plan!, at).plan;
  const name = overriddenPlanName(parent.name, DRY_RUN_OVERRIDE_ID);
  const catalog = withOverriddenPlans(context.catalog, [{ name, parentPlanName: parent.name, phases: resolvePhaseOverrides(parent, action.priceOverrides, context.currency) }]);
  return { action: { ...action, plan: { planName: name } }, context: { ...context, catalog } };
}

function startBilling(action: DryRunSubscriptionAction, context: DryRunSubscriptionContext): SubscriptionRecord {
  const start = action.effectiveDate ? toJsDate(toAccountInstant(action.effectiveDate, context.time)) : context.now;
  const bundle = action.bundleId ? context.bundles.find((candidate) => candidate.id === action.bundleId) : undefined;
  const base = bundle?.subscriptions.find((subscription) => subscription.category === 'BASE');
  const resolved = resolvePlan(context.catalog, action.plan!, start);
  // getBundleStartDateWithSanity: a base or standalone starts its bundle; an add-on needs a live base and aligns on it.
  let bundleStartDate = start;
  if (resolved.category === 'ADD_ON') {
    if (!base) throw new KillBillError('SUB_CREATE_NO_BP', [action.bundleId ?? null]);
    if (start.getTime() < base.startDate.getTime()) throw new KillBillError('SUB_INVALID_REQUESTED_DATE', [start.toISOString(), base.startDate.toISOString()]);
    bundleStartDate = base.startDate;
  } else if (base && ['ACTIVE', 'PENDING'].includes(subscriptionBaseState(base, context.now))) {
    throw new KillBillError('SUB_CREATE_BP_EXISTS', [action.bundleId ?? null]);
  }
  const creation = planCreation({ catalog: context.catalog, spec: action.plan!, phaseType: action.phaseType ?? null, billingDate: start, bundleStartDate });
  const id = context.newId();
  const record: SubscriptionRecord = {
    id,
    recordId: HYPOTHETICAL_RECORD_ID,
    bundleId: action.bundleId ?? context.newId(),
    externalKey: id,
    category: creation.category,
    startDate: start,
    bundleStartDate,
    chargedThroughDate: null,
    migrated: false,
    events: [],
  };
  return { ...record, events: toEvents(record, creation.events, context.now) };
}

function change(action: DryRunSubscriptionAction, context: DryRunSubscriptionContext): SubscriptionRecord {
  const record = stored(action, context);
  const effective = effectiveDateOf(action, record, context);
  const resolved = resolvePlan(context.catalog, action.plan!, effective);
  if (resolved.category !== record.category) throw new KillBillError('SUB_CHANGE_INVALID', [record.id]);
  const from = planPhaseOf(context.catalog, lastPlanTransition(record, context.now));
  const { alignment } = resolvePlanChange(resolved.version, from, { planName: resolved.plan.name });
  const priceListName = resolved.version.priceListNameOf(resolved.plan) ?? resolved.priceListName;
  let planned = planChangeEvents({
    subscription: record,
    plan: resolved.plan,
    version: resolved.version,
    priceListName,
    alignment,
    effectiveDate: effective,
    originalInitialPhase: originalInitialPhase(context.catalog, record),
    phaseType: action.phaseType ?? null,
  });
  // As the real change: pending events from that date on give way (not the CREATE, nor BCD / quantity
  // changes), and a change at the creation instant becomes the creation.
  const first = record.events.find((event) => event.type === 'CREATE' || event.type === 'TRANSFER');
  const onStart = first !== undefined && first.effectiveDate.getTime() === effective.getTime();
  const kept = record.events.filter(
    (event) =>
      !(onStart && event.id === first.id) &&
      !(event.effectiveDate.getTime() >= effective.getTime() && !['CREATE', 'TRANSFER', 'BCD_CHANGE', 'QUANTITY_CHANGE'].includes(event.type)),
  );
  if (onStart) planned = planned.map((event, index) => (index === 0 ? { ...event, type: first.type, quantity: first.quantity ?? null } : event));
  return { ...record, events: sorted([...kept, ...toEvents(record, planned, context.now)]) };
}

function stopBilling(action: DryRunSubscriptionAction, context: DryRunSubscriptionContext): SubscriptionRecord {
  const record = stored(action, context);
  const effective = effectiveDateOf(action, record, context);
  const state = subscriptionBaseState(record, context.now);
  if (state === 'EXPIRED' || state === 'CANCELLED') throw new KillBillError('SUB_CANCEL_BAD_STATE', [record.id, state]);
  // As the real cancel: everything from the cancel date on gives way.
  const kept = record.events.filter((event) => event.type === 'CREATE' || event.type === 'TRANSFER' || event.effectiveDate.getTime() < effective.getTime());
  return { ...record, events: sorted([...kept, ...toEvents(record, [{ type: 'CANCEL', effectiveDate: effective }], context.now)]) };
}

function stored(action: DryRunSubscriptionAction, context: DryRunSubscriptionContext): SubscriptionRecord {
  const bundle = context.bundles.find((candidate) => candidate.id === action.bundleId);
  const record = bundle?.subscriptions.find((subscription) => subscription.id === action.subscriptionId);
  if (!record) throw new KillBillError('SUB_INVALID_SUBSCRIPTION_ID', [action.subscriptionId ?? null]);
  return record;
}

/**
 * The dry run's effective instant: the given day at the account's reference time (the start itself
 * when that falls before a same-day start, Kill Bill's getDryRunEffectiveDate), else the billing
 * policy's date, else now.
 */
function effectiveDateOf(action: DryRunSubscriptionAction, record: SubscriptionRecord, context: DryRunSubscriptionContext): Date {
  if (action.effectiveDate) {
    const candidate = toJsDate(toAccountInstant(action.effectiveDate, context.time));
    const sameDayAsStart = action.effectiveDate.equals(toAccountLocalDate(instantOf(record.startDate), context.time));
    return sameDayAsStart && candidate.getTime() < record.startDate.getTime() ? record.startDate : candidate;
  }
  if (!action.billingPolicy) return context.now;
  const planEvent = planEventAt(record, context.now);
  const plan = planEvent?.planName ? context.catalog.findPlanForSubscription(planEvent.planName, planEvent.effectiveDate, planEvent.effectiveDate).plan : undefined;
  return effectiveDateForPolicy({
    policy: action.billingPolicy,
    now: context.now,
    subscription: record,
    time: context.time,
    billingPeriod: (plan ? recurringBillingPeriod(plan) : 'NO_BILLING_PERIOD') as BillingPeriod,
    billCycleDayLocal: context.accountBillCycleDayLocal,
    // Kill Bill's dry run has no START_OF_TERM alignment (getEffectiveDateForPolicy with a null alignment).
    startOfTermAllowed: false,
  });
}

/** A plan event's plan and phase type as the catalog rules compare them. */
function planPhaseOf(catalog: VersionedCatalog, event: SubscriptionEvent | undefined): { planName: string; phaseType?: PhaseType } {
  if (!event?.planName) throw new Error('Subscription has no plan');
  const { plan } = catalog.findPlanForSubscription(event.planName, event.effectiveDate, event.effectiveDate);
  return { planName: plan.name, phaseType: allPhases(plan).find((phase) => phaseName(plan.name, phase.type) === event.phaseName)?.type };
}

function toEvents(record: SubscriptionRecord, planned: readonly PlannedEvent[], now: Date): SubscriptionEvent[] {
  return planned.map((event, index) => ({
    id: `dry-run-${record.id}-${index}`,
    recordId: HYPOTHETICAL_RECORD_ID + index,
    subscriptionId: record.id,
    type: event.type,
    effectiveDate: event.effectiveDate,
    createdDate: now,
    planName: event.planName ?? null,
    phaseName: event.phaseName ?? null,
    priceListName: event.priceListName ?? null,
    catalogEffectiveDate: event.catalogEffectiveDate ?? null,
    billCycleDayLocal: event.billCycleDayLocal ?? null,
    quantity: event.quantity ?? null,
    isActive: true,
  }));
}

function sorted(events: readonly SubscriptionEvent[]): SubscriptionEvent[] {
  return [...events].sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId);
}
