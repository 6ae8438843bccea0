/**
 * What a plan change writes (Kill Bill's DefaultSubscriptionBaseApiService#getEventsOnChangePlan):
 * the CHANGE into the phase the change alignment puts at the effective date, an EXPIRED when that
 * phase is a finite FIXEDTERM, the optional BCD_CHANGE, and the PHASE ending that phase. Pure.
 */
import { addDurationToInstant, type PhaseType, type Plan, type PlanAlignmentChange, type StandaloneCatalog } from '@kb/catalog/engine';
import { changeTimeline, phaseInForce, type PlannedEvent } from './phase-alignment';
import type { SubscriptionRecord } from './subscription-events';

export interface PlanChangeRequest {
  readonly subscription: SubscriptionRecord;
  readonly plan: Plan;
  readonly version: StandaloneCatalog;
  /** The new plan's own price list (Kill Bill stores newPlan.getPriceList()). */
  readonly priceListName: string;
  readonly alignment: PlanAlignmentChange;
  readonly effectiveDate: Date;
  readonly originalInitialPhase?: PhaseType;
  readonly phaseType?: PhaseType | null;
  readonly billCycleDayLocal?: number | null;
}

export function planChangeEvents(request: PlanChangeRequest): PlannedEvent[] {
  const { effectiveDate, plan } = request;
  const timeline = changeTimeline({
    subscription: request.subscription,
    plan,
    version: request.version,
    priceListName: request.priceListName,
    alignment: request.alignment,
    changeDate: effectiveDate,
    originalInitialPhase: request.originalInitialPhase,
    initialPhaseType: request.phaseType ?? null,
  });
  const current = phaseInForce(timeline.phases, effectiveDate);
  const catalogEffectiveDate = request.version.effectiveDate;
  const events: PlannedEvent[] = [
    { type: 'CHANGE', effectiveDate, planName: plan.name, phaseName: current.name, priceListName: request.priceListName, catalogEffectiveDate },
  ];
  if (current.phase.type === 'FIXEDTERM' && current.phase.duration.unit !== 'UNLIMITED') {
    events.push({ type: 'EXPIRED', effectiveDate: addDurationToInstant(current.start, current.phase.duration) });
  }
  if (request.billCycleDayLocal != null) events.push({ type: 'BCD_CHANGE', effectiveDate, billCycleDayLocal: request.billCycleDayLocal });
  const next = timeline.phases.find((phase) => phase.start.getTime() > effectiveDate.getTime());
  if (next) events.push({ type: 'PHASE', effectiveDate: next.start, planName: plan.name, phaseName: next.name, priceListName: request.priceListName, catalogEffectiveDate });
  return events;
}
