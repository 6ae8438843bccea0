import { Injectable } from '@nestjs/common';
import { KillBillError } from '@kb/kernel';
import { type BillingActionPolicy, type BillingPeriod, recurringBillingPeriod, resolveBillingAlignment, resolveCancelPolicy } from '@kb/catalog';
import { AccountService } from '@kb/account';
import { currentTenant, IllegalStateError, InvalidRequestException, Locks, OnNotification, type QueueMessage, tenantRepository, Transactions } from '@kb/platform';
import { BlockingStateService } from './blocking-state.service';
import { BundleRow } from './bundle.entity';
import { type BaseCascadeNotification, EntitlementEventsQueue, SubscriptionCancel, SubscriptionUncancel } from './entitlement-events';
import { ENT_CANCELLED_STATE, type SubscriptionWrite, SubscriptionOperations, withEntitlementStatuses } from './subscription-operations';
import { billingPolicyOf, validateEffectiveDate } from './subscription-change.service';
import { nextPhaseEventAt, type PlannedEvent } from './engine/phase-alignment';
import {
  type BillingCancel,
  effectiveDateForPolicy,
  type EntitlementActionPolicy,
  futureTransition,
  pendingTransition,
  planEventAt,
  resolveCancelDates,
  subscriptionBaseState,
} from './engine/policies';
import { ENT_CANCELLED, ENTITLEMENT_SERVICE } from './engine/subscription-events';

export interface CancelOptions {
  readonly requestedDate?: string;
  readonly entitlementPolicy?: string;
  readonly billingPolicy?: string;
  readonly useRequestedDateForBilling: boolean;
  readonly callCompletion: boolean;
  readonly callTimeoutSec: number;
}

const ENTITLEMENT_POLICIES: readonly string[] = ['IMMEDIATE', 'END_OF_TERM'];

/**
 * Cancellation and its undo (Kill Bill's DefaultEntitlement#cancelEntitlement* / uncancelEntitlement
 * over DefaultSubscriptionBaseApiService#cancel* / uncancel): the entitlement end as an ENT_CANCELLED
 * blocking state, the billing end as a CANCEL event, a base's add-ons following it (stored once
 * due, on the entitlement-events queue for future dates).
 */
@Injectable()
export class SubscriptionCancelService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly accounts: AccountService,
    private readonly blockingStates: BlockingStateService,
    private readonly operations: SubscriptionOperations,
  ) {}

  /** DELETE /subscriptions/{id}. */
  async cancel(subscriptionId: string, options: CancelOptions): Promise<void> {
    if (options.entitlementPolicy && !ENTITLEMENT_POLICIES.includes(options.entitlementPolicy)) throw new InvalidRequestException(`Invalid entitlementPolicy: ${options.entitlementPolicy}`);
    const billingPolicy = options.billingPolicy ? billingPolicyOf(options.billingPolicy) : undefined;
    const accountId = await this.operations.accountIdOf(subscriptionId);
    await withEntitlementStatuses(() =>
      this.locks.withAccountLock(accountId, async () => {
        const write = await this.operations.load(subscriptionId);
        const { record, view, now, row } = write;
        const dates = resolveCancelDates(
          {
            requestedDate: this.operations.requestedDate(options.requestedDate),
            entitlementPolicy: options.entitlementPolicy as EntitlementActionPolicy | undefined,
            billingPolicy,
            useRequestedDateForBilling: options.useRequestedDateForBilling,
          },
          { now, time: write.time, entitlementStart: view.entitlementStartDate, billingStart: record.startDate, chargedThroughDate: row.chargedThroughDate },
        );
        if (view.cancelledDate && view.cancelledDate.getTime() <= now.getTime()) throw new KillBillError('SUB_CANCEL_BAD_STATE', [row.id, 'CANCELLED']);
        const state = subscriptionBaseState(record, now);
        if (state === 'EXPIRED' || state === 'CANCELLED') throw new KillBillError('SUB_CANCEL_BAD_STATE', [row.id, state]);
        const billingDate = this.billingDate(write, dates.billing);
        const pending = pendingTransition(record, now);
        if (pending?.type === 'CANCEL' && pending.effectiveDate.getTime() < billingDate.getTime()) throw new KillBillError('SUB_CANCEL_BAD_STATE', [row.id, 'PENDING CANCELLED']);
        if (pending?.type === 'EXPIRED' && pending.effectiveDate.getTime() < billingDate.getTime()) throw new KillBillError('SUB_CANCEL_BAD_STATE', [row.id, 'PENDING EXPIRY']);
        validateEffectiveDate(record, now, billingDate);

        // Billing: everything from the cancel date on gives way (a later pending cancel included).
        await this.operations.deactivateEvents(row, (e) => e.eventType !== 'CREATE' && e.eventType !== 'TRANSFER' && e.effectiveDate.getTime() >= billingDate.getTime());
        await this.operations.writeEvents(write, [{ type: 'CANCEL', effectiveDate: billingDate }]);
        // Entitlement: the new end replaces a pending one.
        await this.operations.deactivateCancelMarkers(row);
        await this.blockingStates.insert(write.account, ENT_CANCELLED_STATE, dates.entitlementDate, { id: row.id, type: 'SUBSCRIPTION' });
        const plan = planEventAt(record, now);
        await this.operations.postRequested(SubscriptionCancel, write, {
          transitionType: 'CANCEL',
          effectiveDate: billingDate.toISOString(),
          entitlementEffectiveDate: dates.entitlementDate.toISOString(),
          planName: plan?.planName ?? null,
          phaseName: plan?.phaseName ?? null,
          priceListName: plan?.priceListName ?? null,
        });
        if (row.category === 'BASE') await this.operations.applyAddOnCascade(write.account, write.bundle, true);
      }),
    );
    if (options.callCompletion) await this.operations.waitForCompletion(currentTenant().recordId, options.callTimeoutSec);
  }

  /** PUT /subscriptions/{id}/uncancel. */
  async uncancel(subscriptionId: string): Promise<void> {
    const accountId = await this.operations.accountIdOf(subscriptionId);
    await withEntitlementStatuses(() =>
      this.locks.withAccountLock(accountId, async () => {
        const write = await this.operations.load(subscriptionId);
        const { record, now, row } = write;
        if (subscriptionBaseState(record, now) === 'CANCELLED') throw new KillBillError('SUB_UNCANCEL_BAD_STATE', [row.id]);
        const own = write.loaded.blockingStates.filter((s) => s.blockedId === row.id && s.type === 'SUBSCRIPTION' && s.service === ENTITLEMENT_SERVICE && s.stateName === ENT_CANCELLED);
        if (own.length === 0) throw new KillBillError('ENT_UNCANCEL_BAD_STATE', [row.id]);
        await this.operations.deactivateCancelMarkers(row);
        if (futureTransition(record, now, 'CANCEL')) {
          const dropped = await this.operations.deactivateEvents(row, (e) => e.effectiveDate.getTime() > now.getTime() && (e.eventType === 'CANCEL' || e.eventType === 'PHASE'));
          const ids = new Set(dropped.map((e) => e.id));
          const remaining = { ...record, events: record.events.filter((e) => !ids.has(e.id)) };
          const at = subscriptionBaseState(remaining, now) === 'PENDING' ? record.startDate : now;
          const events: PlannedEvent[] = [{ type: 'UNCANCEL', effectiveDate: now }];
          const next = nextPhaseEventAt(write.catalog, remaining, at);
          if (next) events.push(next);
          await this.operations.writeEvents(write, events);
        }
        const plan = planEventAt(record, now);
        await this.operations.postRequested(SubscriptionUncancel, write, {
          transitionType: 'UNCANCEL',
          effectiveDate: now.toISOString(),
          entitlementEffectiveDate: null,
          planName: plan?.planName ?? null,
          phaseName: plan?.phaseName ?? null,
          priceListName: plan?.priceListName ?? null,
        });
      }),
    );
  }

  /** A base's future cancel or change came due: its add-ons' implied ends are stored now. */
  @OnNotification(EntitlementEventsQueue)
  async onBaseCascadeDue(message: QueueMessage<BaseCascadeNotification>): Promise<void> {
    const manager = this.transactions.manager();
    const bundle = await tenantRepository(manager, BundleRow, message.tenantRecordId).findOne({ where: { id: message.payload.bundleId } });
    if (!bundle) return;
    await this.locks.withAccountLock(bundle.accountId, async (locked) => {
      const account = await this.accounts.requireById(locked, bundle.accountId);
      await this.operations.applyAddOnCascade(account, bundle, false);
    });
  }

  /** The billing end: an instant, the catalog's cancel policy, or a given policy, per spec 2.4. */
  private billingDate(write: SubscriptionWrite, billing: BillingCancel): Date {
    if (billing.kind === 'date') return billing.date;
    const { record, now, catalog } = write;
    const planEvent = planEventAt(record, now);
    if (!planEvent?.planName) throw new Error(`Subscription ${record.id} has no plan`);
    const { catalog: version, plan } = catalog.findPlanForSubscription(planEvent.planName, planEvent.effectiveDate, planEvent.effectiveDate);
    const billingPeriod = recurringBillingPeriod(plan) as BillingPeriod;
    let policy: BillingActionPolicy;
    let alignment: string | null = null;
    if (billing.kind === 'catalog') {
      // Kill Bill asks the cancel policy for the plan without its phase.
      policy = resolveCancelPolicy(catalog.versionFor(now), { planName: plan.name });
      if (policy === 'START_OF_TERM') throw new IllegalStateError('A default START_OF_TERM policy is not availaible');
    } else {
      policy = billing.policy;
      if (subscriptionBaseState(record, now) !== 'PENDING') alignment = resolveBillingAlignment(version, { planName: plan.name, phaseType: write.view.current?.phaseType });
    }
    return effectiveDateForPolicy({
      policy,
      now,
      subscription: record,
      time: write.time,
      billingPeriod,
      billCycleDayLocal: write.view.billCycleDayLocal,
      bundleAlignedAddOn: alignment === 'BUNDLE' && record.category === 'ADD_ON',
      startOfTermAllowed: alignment !== null,
    });
  }
}
