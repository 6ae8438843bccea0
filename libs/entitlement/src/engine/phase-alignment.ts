/**
 * Phase alignment (Kill Bill's PlanAligner): the phases of a plan are laid end to end from an
 * alignment instant (the subscription's start, or its bundle's start), with calendar arithmetic on
 * instants in UTC as Kill Bill's DateTime arithmetic does. Pure.
 */
import { KillBillError } from '@kb/kernel';
import {
  addDurationToInstant,
  allPhases,
  phaseName,
  type PhaseType,
  type Plan,
  type PlanAlignmentCreate,
  type PlanPhase,
  type StandaloneCatalog,
  type VersionedCatalog,
  resolveCreateAlignment,
} from '@kb/catalog/engine';
import type { SubscriptionEvent, SubscriptionEventType, SubscriptionRecord } from './subscription-events';

/** One phase of an aligned timeline: [start, end) with `end` undefined for the final unlimited phase. */
export interface AlignedPhase {
  readonly phase: PlanPhase;
  readonly name: string;
  readonly start: Date;
  readonly end?: Date;
}

/** The phases of `plan` from `alignStart`; with `initialPhaseType` the phases before the first of that type are skipped. */
export function alignedPhases(plan: Plan, alignStart: Date, initialPhaseType?: PhaseType): AlignedPhase[] {
  let phases = allPhases(plan);
  if (initialPhaseType !== undefined) {
    const index = phases.findIndex((phase) => phase.type === initialPhaseType);
    if (index < 0) throw new KillBillError('SUB_CREATE_BAD_PHASE', [initialPhaseType]);
    phases = phases.slice(index);
  }
  const result: AlignedPhase[] = [];
  let cursor = alignStart;
  for (const phase of phases) {
    const name = phaseName(plan.name, phase.type);
    if (phase.duration.unit === 'UNLIMITED') {
      result.push({ phase, name, start: cursor });
      break;
    }
    const end = addDurationToInstant(cursor, phase.duration);
    result.push({ phase, name, start: cursor, end });
    cursor = end;
  }
  return result;
}

/** The phase in force at `at` (the last one starting at or before it; the first one when `at` precedes them all). */
export function phaseInForce(phases: readonly AlignedPhase[], at: Date): AlignedPhase {
  let current = phases[0];
  for (const phase of phases) if (phase.start.getTime() <= at.getTime()) current = phase;
  return current;
}

/** An event the engine asks the service to write. */
export interface PlannedEvent {
  readonly type: SubscriptionEventType;
  readonly effectiveDate: Date;
  readonly planName?: string | null;
  readonly phaseName?: string | null;
  readonly priceListName?: string | null;
  readonly catalogEffectiveDate?: Date | null;
  readonly billCycleDayLocal?: number | null;
  readonly quantity?: number | null;
}

/**
 * The event that ends the phase in force at `at`: a PHASE into the next phase, or EXPIRED when the
 * plan's last phase is finite (FIXEDTERM); none in an unlimited phase.
 */
export function nextPhaseTransition(phases: readonly AlignedPhase[], at: Date, planName: string, priceListName: string | null): PlannedEvent | undefined {
  const current = phaseInForce(phases, at);
  if (current.end === undefined) return undefined;
  const index = phases.indexOf(current);
  const next = phases[index + 1];
  if (current.end.getTime() <= at.getTime() && next === undefined) return undefined;
  if (!next) return { type: 'EXPIRED', effectiveDate: current.end };
  return { type: 'PHASE', effectiveDate: next.start, planName, phaseName: next.name, priceListName };
}

/** Where a subscription's phases start: its own start or its bundle's, per the catalog's create alignment. */
export function alignmentStart(alignment: PlanAlignmentCreate, subscriptionStart: Date, bundleStart: Date): Date {
  return alignment === 'START_OF_SUBSCRIPTION' ? subscriptionStart : bundleStart;
}

/** What a subscription's current plan timeline is aligned on (to find the phase after a PHASE event). */
export interface PlanTimeline {
  readonly plan: Plan;
  readonly version: StandaloneCatalog;
  readonly priceListName: string | null;
  readonly phases: readonly AlignedPhase[];
}

/**
 * The aligned timeline of the plan a subscription got from its CREATE (or TRANSFER) event. The phase
 * stored on that event tells whether phases were skipped (`phaseType` at creation): when the phase
 * the plain timeline puts at the creation date is not the stored one, the timeline starts at the
 * stored phase's type.
 */
export function creationTimeline(catalog: VersionedCatalog, subscription: SubscriptionRecord): PlanTimeline | undefined {
  const created = creationEvent(subscription);
  if (!created?.planName) return undefined;
  const { catalog: version, plan } = catalog.findPlanForSubscription(created.planName, created.effectiveDate, created.effectiveDate);
  const start = alignStartOf(version, subscription, created);
  let phases = alignedPhases(plan, start);
  if (created.phaseName && phaseInForce(phases, created.effectiveDate).name !== created.phaseName) {
    const skippedTo = allPhases(plan).find((phase) => phaseName(plan.name, phase.type) === created.phaseName);
    if (skippedTo) phases = alignedPhases(plan, start, skippedTo.type);
  }
  return { plan, version, priceListName: created.priceListName ?? null, phases };
}

/**
 * The instant a subscription's phases are laid from (Kill Bill's alignStartDate): its own or its
 * bundle's start per the create alignment; a transferred subscription (first event TRANSFER) keeps
 * its source's, which the transfer stores as its `bundleStartDate`.
 */
export function alignStartOf(version: StandaloneCatalog, subscription: SubscriptionRecord, created: SubscriptionEvent): Date {
  if (created.type === 'TRANSFER') return subscription.bundleStartDate;
  const alignment = resolveCreateAlignment(version, { planName: created.planName ?? '', priceListName: created.priceListName ?? undefined });
  return alignmentStart(alignment, subscription.startDate, subscription.bundleStartDate);
}

/** The first plan event of a subscription (its CREATE, or TRANSFER on a transferred one). */
export function creationEvent(subscription: SubscriptionRecord): SubscriptionEvent | undefined {
  return subscription.events.find((event) => event.isActive && (event.type === 'CREATE' || event.type === 'TRANSFER'));
}

/**
 * After a PHASE event fired (or at any instant), the next PHASE / EXPIRED event of the subscription's
 * timeline, when the subscription's plan still comes from its creation (no CHANGE since).
 */
export function nextPhaseEventAfter(catalog: VersionedCatalog, subscription: SubscriptionRecord, fired: SubscriptionEvent): PlannedEvent | undefined {
  const changed = subscription.events.some((event) => event.isActive && event.type === 'CHANGE' && event.effectiveDate.getTime() <= fired.effectiveDate.getTime());
  if (changed) return undefined;
  const timeline = creationTimeline(catalog, subscription);
  if (!timeline) return undefined;
  return nextPhaseTransition(timeline.phases, fired.effectiveDate, timeline.plan.name, timeline.priceListName);
}
