import { Injectable } from '@nestjs/common';
import { KillBillError } from '@kb/kernel';
import {
  allPhases,
  BILLING_ACTION_POLICIES,
  type BillingActionPolicy,
  type BillingPeriod,
  type Currency,
  phaseName,
  type PhaseType,
  type PlanSpecifier,
  PriceOverrideService,
  recurringBillingPeriod,
  resolvePlanChange,
  type VersionedCatalog,
} from '@kb/catalog';
import { currentTenant, InvalidRequestException, Locks } from '@kb/platform';
import { SubscriptionChange } from './entitlement-events';
import { type SubscriptionWrite, SubscriptionOperations, withEntitlementStatuses } from './subscription-operations';
import { resolvePlan } from './engine/subscription-creation';
import { checkPriceOverrides, phasePriceOverridesOf, type SubscriptionPriceOverride } from './subscription-creation.service';
import { planChangeEvents } from './engine/plan-change';
import { nextPhaseEventAt, originalInitialPhase, type PlannedEvent } from './engine/phase-alignment';
import {
  effectiveDateForPolicy,
  futureTransition,
  lastPlanTransition,
  planEventAt,
  previousTransition,
  subscriptionBaseState,
} from './engine/policies';
import type { SubscriptionEvent, SubscriptionRecord } from './engine/subscription-events';
import { aggregateBlocking } from './engine/subscription-view';

/** The body of a change (Kill Bill's SubscriptionJson, as the change reads it). */
export interface ChangePlanSpec {
  readonly planName?: string | null;
  readonly productName?: string | null;
  readonly billingPeriod?: string | null;
  readonly priceList?: string | null;
  readonly phaseType?: string | null;
  readonly billCycleDayLocal?: number | null;
  readonly priceOverrides?: readonly SubscriptionPriceOverride[] | null;
}

export interface ChangePlanOptions {
  readonly requestedDate?: string;
  readonly billingPolicy?: string;
  readonly callCompletion: boolean;
  readonly callTimeoutSec: number;
}

/** A plan event's plan and phase type as the catalog rules compare them. */
function planPhaseOf(catalog: VersionedCatalog, event: SubscriptionEvent | undefined): { planName: string; phaseType?: PhaseType } {
  if (!event?.planName) throw new Error('Subscription has no plan');
  const { plan } = catalog.findPlanForSubscription(event.planName, event.effectiveDate, event.effectiveDate);
  return { planName: plan.name, phaseType: allPhases(plan).find((phase) => phaseName(plan.name, phase.type) === event.phaseName)?.type };
}

/**
 * Plan changes and their undo (Kill Bill's DefaultEntitlement#changePlan* and
 * DefaultSubscriptionBaseApiService#changePlan* / undoChangePlan): the effective date from the
 * catalog's change policy, a requested date or a billing policy; Kill Bill's checks in its order;
 * then, in one transaction under the account lock, the events at and after that date deactivated,
 * the CHANGE and its next PHASE written, and the add-ons the new base drops cancelled.
 */
@Injectable()
export class SubscriptionChangeService {
  constructor(
    private readonly locks: Locks,
    private readonly operations: SubscriptionOperations,
    private readonly priceOverrides: PriceOverrideService,
  ) {}

  /** PUT /subscriptions/{id}. */
  async changePlan(subscriptionId: string, spec: ChangePlanSpec | undefined, options: ChangePlanOptions): Promise<void> {
    const target = changeTarget(spec);
    if (options.requestedDate && options.billingPolicy) throw new InvalidRequestException('Only one of requestedDate or billingPolicy should be specified');
    const policy = options.billingPolicy ? billingPolicyOf(options.billingPolicy) : undefined;
    checkPriceOverrides(spec?.priceOverrides ?? []);
    const accountId = await this.operations.accountIdOf(subscriptionId);
    await withEntitlementStatuses(() =>
      this.locks.withAccountLock(accountId, async () => {
        const write = await this.operations.load(subscriptionId);
        await this.change(write, target, {
          requestedDate: options.requestedDate,
          policy,
          phaseType: (spec?.phaseType as PhaseType | null | undefined) ?? null,
          billCycleDayLocal: spec?.billCycleDayLocal ?? null,
          priceOverrides: spec?.priceOverrides ?? [],
        });
      }),
    );
    if (options.callCompletion) await this.operations.waitForCompletion(currentTenant().recordId, options.callTimeoutSec);
  }

  /** PUT /subscriptions/{id}/undoChangePlan: removes a pending CHANGE and restores the next PHASE. */
  async undoChangePlan(subscriptionId: string): Promise<void> {
    const accountId = await this.operations.accountIdOf(subscriptionId);
    await withEntitlementStatuses(() =>
      this.locks.withAccountLock(accountId, async () => {
        const write = await this.operations.load(subscriptionId);
        const { record, now, row } = write;
        if (!futureTransition(record, now, 'CHANGE')) throw new KillBillError('SUB_UNDO_CHANGE_BAD_STATE', [row.id]);
        const dropped = await this.operations.deactivateEvents(row, (e) => e.effectiveDate.getTime() > now.getTime() && (e.eventType === 'CHANGE' || e.eventType === 'PHASE'));
        const events: PlannedEvent[] = [{ type: 'UNDO_CHANGE', effectiveDate: now }];
        const next = nextPhaseAfterUndo(write, record, new Set(dropped.map((e) => e.id)));
        if (next) events.push(next);
        await this.operations.writeEvents(write, events);
        const current = planEventAt(record, now);
        await this.operations.postRequested(SubscriptionChange, write, {
          transitionType: 'UNDO_CHANGE',
          effectiveDate: now.toISOString(),
          entitlementEffectiveDate: null,
          planName: current?.planName ?? null,
          phaseName: current?.phaseName ?? null,
          priceListName: current?.priceListName ?? null,
        });
      }),
    );
  }

  private async change(
    write: SubscriptionWrite,
    target: PlanSpecifier,
    request: {
      requestedDate?: string;
      policy?: BillingActionPolicy;
      phaseType: PhaseType | null;
      billCycleDayLocal: number | null;
      priceOverrides: readonly SubscriptionPriceOverride[];
    },
  ): Promise<void> {
    const { record, view, now, row } = write;
    let { catalog } = write;
    const requested = this.operations.requestedDate(request.requestedDate);
    const requestedInstant = requested ? this.operations.instantOf(requested, write.time) : undefined;
    const from = planPhaseOf(catalog, planEventAt(record, now));

    // The entitlement layer first (DefaultEntitlement), then the subscription base's checks.
    let effective: Date;
    if (!requested && !request.policy) {
      if (view.state !== 'ACTIVE') throw new KillBillError('SUB_CHANGE_NON_ACTIVE', [row.id, view.state]);
      const { policy } = resolvePlanChange(catalog.versionFor(now), from, target);
      effective = this.policyDate(write, policy);
    } else if (request.policy) {
      effective = this.policyDate(write, request.policy);
    } else {
      if (requestedInstant!.getTime() < view.entitlementStartDate.getTime()) throw new KillBillError('SUB_CHANGE_NON_ACTIVE', [row.id, view.state]);
      effective = requestedInstant!;
    }
    const earliest = previousTransition(record, now)?.effectiveDate ?? record.startDate;
    if (effective.getTime() < earliest.getTime()) effective = earliest;

    const states = write.loaded.blockingStates.filter((s) => s.type !== 'SUBSCRIPTION' || s.blockedId === row.id);
    if (aggregateBlocking(states, effective).blockChange) throw new KillBillError('BLOCK_BLOCKED_ACTION', ['Change', 'Subscription', row.id]);
    if (!requested) {
      validateStateForChange(record, now, request.policy ? effective : null);
    } else {
      validateEffectiveDate(record, now, effective);
      validateStateForChange(record, now, requestedInstant!);
    }
    validateEffectiveDate(record, now, effective);

    // The new plan, in the catalog version of the change date (the overridden one, created or reused, with price overrides).
    let resolved = resolvePlan(catalog, target, effective);
    if (request.priceOverrides.length > 0) {
      if (!write.account.currency) throw new InvalidRequestException('Price overrides need the account currency to be set');
      const requested = phasePriceOverridesOf(request.priceOverrides);
      const overridden = await this.priceOverrides.overriddenPlan(resolved.version, resolved.plan, requested, write.account.currency as Currency);
      catalog = overridden.catalog;
      resolved = resolvePlan(catalog, { planName: overridden.planName }, effective);
    }
    if (resolved.category !== row.category) throw new KillBillError('SUB_CHANGE_INVALID', [row.id]);
    if (resolved.category === 'ADD_ON') this.checkPlansAllowedInBundle(write, resolved.plan.name, resolved.plan.plansAllowedInBundle);
    const planTransition = planPhaseOf(catalog, lastPlanTransition(record, now));
    const { alignment } = resolvePlanChange(resolved.version, planTransition, { planName: resolved.plan.name });
    validateStateForChange(record, now, effective);
    const priceListName = resolved.version.priceListNameOf(resolved.plan) ?? resolved.priceListName;
    let events = planChangeEvents({
      subscription: record,
      plan: resolved.plan,
      version: resolved.version,
      priceListName,
      alignment,
      effectiveDate: effective,
      originalInitialPhase: originalInitialPhase(catalog, record),
      phaseType: request.phaseType,
      billCycleDayLocal: request.billCycleDayLocal,
    });

    // Pending events from that date on give way (not the CREATE, nor BCD / quantity changes); a
    // change at the creation instant becomes the creation.
    const first = record.events.find((e) => e.type === 'CREATE' || e.type === 'TRANSFER');
    const onStart = first !== undefined && first.effectiveDate.getTime() === effective.getTime();
    await this.operations.deactivateEvents(
      row,
      (e) =>
        (onStart && e.id === first.id) ||
        (e.effectiveDate.getTime() >= effective.getTime() && !['CREATE', 'TRANSFER', 'BCD_CHANGE', 'QUANTITY_CHANGE'].includes(e.eventType)),
    );
    if (onStart) events = events.map((e, index) => (index === 0 ? { ...e, type: first.type, quantity: first.quantity ?? null } : e));
    await this.operations.writeEvents(write, events);
    await this.operations.postRequested(SubscriptionChange, write, {
      transitionType: 'CHANGE',
      effectiveDate: effective.toISOString(),
      entitlementEffectiveDate: null,
      planName: resolved.plan.name,
      phaseName: events[0].phaseName ?? null,
      priceListName,
    });
    if (row.category === 'BASE') await this.operations.applyAddOnCascade(write.account, write.bundle, true);
  }

  private policyDate(write: SubscriptionWrite, policy: BillingActionPolicy): Date {
    const planEvent = planEventAt(write.record, write.now);
    const plan = planEvent?.planName ? write.catalog.findPlanForSubscription(planEvent.planName, planEvent.effectiveDate, planEvent.effectiveDate).plan : undefined;
    return effectiveDateForPolicy({
      policy,
      now: write.now,
      subscription: write.record,
      time: write.time,
      billingPeriod: (plan ? recurringBillingPeriod(plan) : 'NO_BILLING_PERIOD') as BillingPeriod,
      billCycleDayLocal: write.view.billCycleDayLocal,
      // dry-run path of Kill Bill: START_OF_TERM with a future CTD has no alignment there
      startOfTermAllowed: false,
    });
  }

  private checkPlansAllowedInBundle(write: SubscriptionWrite, planName: string, allowed: number): void {
    if (allowed <= 0) return;
    const count = write.loaded.subscriptions.filter((s) => s.category === 'ADD_ON' && subscriptionBaseState(s, write.now) !== 'CANCELLED' && planEventAt(s, write.now)?.planName === planName).length;
    if (count >= allowed) throw new KillBillError('SUB_CHANGE_AO_MAX_PLAN_ALLOWED_BY_BUNDLE', [planName]);
  }
}

/** The request checks of Kill Bill's SubscriptionResource#changeSubscriptionPlan (400). */
function changeTarget(spec: ChangePlanSpec | undefined): PlanSpecifier {
  if (!spec) throw new InvalidRequestException('SubscriptionJson body should be specified');
  if (spec.planName) return { planName: spec.planName };
  if (!spec.productName) throw new InvalidRequestException('SubscriptionJson productName needs to be set');
  if (!spec.billingPeriod) throw new InvalidRequestException('SubscriptionJson billingPeriod needs to be set');
  if (!spec.priceList) throw new InvalidRequestException('SubscriptionJson priceList needs to be set');
  return { productName: spec.productName, billingPeriod: spec.billingPeriod as BillingPeriod, priceListName: spec.priceList };
}

export function billingPolicyOf(text: string): BillingActionPolicy {
  if (!(BILLING_ACTION_POLICIES as readonly string[]).includes(text)) throw new InvalidRequestException(`Invalid billingPolicy: ${text}`);
  return text as BillingActionPolicy;
}

/** validateSubscriptionStateForChangePlan: 1021 ended or before the start, 1022 future cancelled, 1026 beyond a pending expiry. */
function validateStateForChange(record: SubscriptionRecord, now: Date, effective: Date | null): void {
  const state = subscriptionBaseState(record, now);
  if (state === 'CANCELLED' || state === 'EXPIRED' || (effective && effective.getTime() < record.startDate.getTime())) {
    throw new KillBillError('SUB_CHANGE_NON_ACTIVE', [record.id, state]);
  }
  if (futureTransition(record, now, 'CANCEL')) throw new KillBillError('SUB_CHANGE_FUTURE_CANCELLED', [record.id]);
  const expiry = futureTransition(record, now, 'EXPIRED');
  if (effective && expiry && expiry.effectiveDate.getTime() < effective.getTime()) throw new KillBillError('SUB_CHANGE_FUTURE_EXPIRED', [record.id]);
}

/** validateEffectiveDate: never before the last transition that already happened (1001). */
export function validateEffectiveDate(record: SubscriptionRecord, now: Date, effective: Date): void {
  const previous = previousTransition(record, now);
  const earliest = previous?.effectiveDate ?? record.startDate;
  if (effective.getTime() < earliest.getTime()) {
    throw new KillBillError('SUB_INVALID_REQUESTED_DATE', [effective.toISOString(), previous ? previous.effectiveDate.toISOString() : 'null']);
  }
}

/** The next PHASE once the pending change (and its phases) are gone, from now (a pending subscription: its start). */
function nextPhaseAfterUndo(write: SubscriptionWrite, record: SubscriptionRecord, dropped: ReadonlySet<string>): PlannedEvent | undefined {
  const remaining = { ...record, events: record.events.filter((e) => !dropped.has(e.id)) };
  const at = subscriptionBaseState(remaining, write.now) === 'PENDING' ? record.startDate : write.now;
  return nextPhaseEventAt(write.catalog, remaining, at);
}
