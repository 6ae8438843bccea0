import { Injectable, NotFoundException } from '@nestjs/common';
import { ZoneId } from '@js-joda/core';
import { type AccountTime, KillBillError, toAccountInstant, toJsDate } from '@kb/kernel';
import { PriceOverrideService, type VersionedCatalog } from '@kb/catalog';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import { Clock, KillBillException, Queues, requireDateOrDateTime, tenantRepository, Transactions, type BusEvent } from '@kb/platform';
import { BlockingStateRow } from './blocking-state.entity';
import { BlockingStateService } from './blocking-state.service';
import { BundleRow } from './bundle.entity';
import { EntitlementStore, type LoadedBundle } from './entitlement-store';
import { EntitlementEventsQueue, type RequestedSubscriptionPayload } from './entitlement-events';
import { SubscriptionEventRow } from './subscription-event.entity';
import { SubscriptionRow } from './subscription.entity';
import { SubscriptionService } from './subscription.service';
import { addOnCascades, withAddOnCascade } from './engine/add-on-cascade';
import type { RequestedDate } from './engine/policies';
import { ENT_CANCELLED, ENTITLEMENT_SERVICE, type SubscriptionRecord } from './engine/subscription-events';
import { computeSubscriptionView, type SubscriptionView } from './engine/subscription-view';
import type { PlannedEvent } from './engine/phase-alignment';

/** Everything a change or cancel of one subscription reads, loaded under the account lock. */
export interface SubscriptionWrite {
  readonly account: AccountRow;
  readonly bundle: BundleRow;
  readonly row: SubscriptionRow;
  readonly loaded: LoadedBundle;
  /** The subscription's stored events (what its checks and timelines read). */
  readonly record: SubscriptionRecord;
  /** Its entitlement view, add-on ends implied by the base included. */
  readonly view: SubscriptionView;
  readonly catalog: VersionedCatalog;
  readonly now: Date;
  readonly time: AccountTime;
}

/** The entitlement state of the cancel marker Kill Bill writes (spec 2.1). */
export const ENT_CANCELLED_STATE = {
  stateName: ENT_CANCELLED,
  service: ENTITLEMENT_SERVICE,
  isBlockChange: true,
  isBlockEntitlement: true,
  isBlockBilling: false,
};

const COMPLETION_POLL_MS = 50;
const ENTITLEMENT_API_EXCEPTION = 'org.killbill.billing.entitlement.api.EntitlementApiException';
/** Kill Bill answers these state errors of the entitlement layer with a 500. */
const SERVER_ERROR_CODES = new Set(['SUB_CANCEL_BAD_STATE', 'SUB_CHANGE_NON_ACTIVE']);

/**
 * What the change and cancel services share: loading a subscription with its bundle under the
 * account lock, deactivating events (through save(), so history and audit follow), storing the
 * add-on ends a base implies once they are due, the requested-change bus events and callCompletion.
 */
@Injectable()
export class SubscriptionOperations {
  constructor(
    private readonly transactions: Transactions,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly catalogs: PriceOverrideService,
    private readonly store: EntitlementStore,
    private readonly subscriptions: SubscriptionService,
    private readonly blockingStates: BlockingStateService,
  ) {}

  /** The account of a subscription (read before taking its lock); unknown id → 404 as Kill Bill. */
  async accountIdOf(subscriptionId: string): Promise<string> {
    const manager = this.transactions.manager();
    const row = await tenantRepository(manager, SubscriptionRow).findOne({ where: { id: subscriptionId } });
    const bundle = row ? await tenantRepository(manager, BundleRow).findOne({ where: { id: row.bundleId } }) : null;
    if (!row || !bundle) throw new NotFoundException(`Object id=${subscriptionId} type=SUBSCRIPTION doesn't exist!`);
    return bundle.accountId;
  }

  async load(subscriptionId: string): Promise<SubscriptionWrite> {
    const manager = this.transactions.manager();
    const row = await tenantRepository(manager, SubscriptionRow).findOne({ where: { id: subscriptionId } });
    const bundle = row ? await tenantRepository(manager, BundleRow).findOne({ where: { id: row.bundleId } }) : null;
    if (!row || !bundle) throw new NotFoundException(`Object id=${subscriptionId} type=SUBSCRIPTION doesn't exist!`);
    const account = await this.accounts.requireById(manager, bundle.accountId);
    const [loaded] = await this.store.loadBundles(manager, row.tenantRecordId, [bundle]);
    const catalog = await this.catalogs.catalog();
    const now = this.clock.now();
    const record = loaded.subscriptions.find((s) => s.id === row.id)!;
    return { account, bundle, row, loaded, record, view: this.viewOf(loaded, row.id, catalog, account, now), catalog, now, time: accountTimeOf(account) };
  }

  viewOf(loaded: LoadedBundle, subscriptionId: string, catalog: VersionedCatalog, account: AccountRow, now: Date): SubscriptionView {
    const cascaded = withAddOnCascade({ catalog, subscriptions: loaded.subscriptions, blockingStates: loaded.blockingStates });
    const subscription = cascaded.subscriptions.find((s) => s.id === subscriptionId)!;
    return computeSubscriptionView({
      subscription,
      base: cascaded.subscriptions.find((s) => s.category === 'BASE'),
      blockingStates: cascaded.blockingStates.filter((s) => s.type !== 'SUBSCRIPTION' || s.blockedId === subscriptionId),
      catalog,
      currency: null,
      accountBillCycleDayLocal: account.billingCycleDayLocal,
      accountZone: ZoneId.of(account.timeZone),
      now,
    });
  }

  /** `requestedDate` as Kill Bill reads it: a date-time as is, a local date at the account's reference time. */
  requestedDate(text: string | undefined): RequestedDate | undefined {
    if (!text) return undefined;
    const parsed = requireDateOrDateTime(text, 'requestedDate');
    return parsed.kind === 'dateTime' ? { kind: 'dateTime', instant: toJsDate(parsed.instant) } : { kind: 'date', date: parsed.date };
  }

  instantOf(requested: RequestedDate, time: AccountTime): Date {
    return requested.kind === 'dateTime' ? requested.instant : toJsDate(toAccountInstant(requested.date, time));
  }

  /** Deactivates the subscription's active events that `drop` selects (Kill Bill's unactiveEvent). */
  async deactivateEvents(subscription: SubscriptionRow, drop: (event: SubscriptionEventRow) => boolean): Promise<SubscriptionEventRow[]> {
    const repository = tenantRepository(this.transactions.manager(), SubscriptionEventRow, subscription.tenantRecordId);
    const active = await repository.find({ where: { subscriptionId: subscription.id, isActive: true }, order: { effectiveDate: 'ASC', recordId: 'ASC' } });
    const dropped = active.filter(drop);
    const now = this.clock.now();
    for (const event of dropped) {
      event.isActive = false;
      event.updatedDate = now;
      await repository.save(event);
    }
    return dropped;
  }

  /** The event in force before `at` (the previous plan of a bus event). */
  async lastPlanEventBefore(subscription: SubscriptionRow, at: Date): Promise<SubscriptionEventRow | undefined> {
    const active = await tenantRepository(this.transactions.manager(), SubscriptionEventRow, subscription.tenantRecordId).find({
      where: { subscriptionId: subscription.id, isActive: true },
      order: { effectiveDate: 'ASC', recordId: 'ASC' },
    });
    return active.filter((e) => e.planName && e.effectiveDate.getTime() <= at.getTime()).pop();
  }

  async writeEvents(write: Pick<SubscriptionWrite, 'row' | 'bundle'>, events: readonly PlannedEvent[]): Promise<SubscriptionEventRow[]> {
    const first = events[0];
    const previous = first ? await this.lastPlanEventBefore(write.row, first.effectiveDate) : undefined;
    return this.subscriptions.writeEvents(write.row, write.bundle, events, previous);
  }

  /** Deactivates the subscription's future ENT_CANCELLED markers (a new cancel or an uncancel replaces them). */
  async deactivateCancelMarkers(subscription: SubscriptionRow, keep: (state: BlockingStateRow) => boolean = () => false): Promise<BlockingStateRow[]> {
    const repository = this.transactions.manager().getRepository(BlockingStateRow);
    const markers = await repository.find({
      where: { tenantRecordId: subscription.tenantRecordId, blockableId: subscription.id, service: ENTITLEMENT_SERVICE, state: ENT_CANCELLED, isActive: true },
    });
    const dropped = markers.filter((marker) => !keep(marker));
    for (const marker of dropped) {
      marker.isActive = false;
      marker.updatedDate = this.clock.now();
      await repository.save(marker);
    }
    return dropped;
  }

  /**
   * Stores the add-on ends the bundle's base implies that are due now (billing CANCEL, entitlement
   * ENT_CANCELLED), and, when asked, schedules the base's notification for the ones still ahead.
   * Idempotent: an add-on that already ends is left alone.
   */
  async applyAddOnCascade(account: AccountRow, bundle: BundleRow, scheduleFuture: boolean): Promise<void> {
    const manager = this.transactions.manager();
    const [loaded] = await this.store.loadBundles(manager, bundle.tenantRecordId, [bundle]);
    const catalog = await this.catalogs.catalog();
    const now = this.clock.now();
    const base = loaded.subscriptions.find((s) => s.category === 'BASE');
    if (!base) return;
    const future = new Set<number>();
    for (const cascade of addOnCascades({ catalog, subscriptions: loaded.subscriptions, blockingStates: loaded.blockingStates })) {
      const row = loaded.rows.find((r) => r.id === cascade.addOnId);
      if (!row) continue;
      const billing = cascade.billingCancelDate;
      if (billing && billing.getTime() <= now.getTime()) {
        await this.deactivateEvents(row, (e) => e.eventType !== 'CREATE' && e.eventType !== 'TRANSFER' && e.effectiveDate.getTime() >= billing.getTime());
        await this.writeEvents({ row, bundle }, [{ type: 'CANCEL', effectiveDate: billing }]);
      } else if (billing) future.add(billing.getTime());
      const entitlement = cascade.entitlementCancelDate;
      if (entitlement && entitlement.getTime() <= now.getTime()) {
        await this.deactivateCancelMarkers(row, (marker) => marker.effectiveDate.getTime() < entitlement.getTime());
        await this.blockingStates.insert(account, ENT_CANCELLED_STATE, entitlement, { id: row.id, type: 'SUBSCRIPTION' });
      } else if (entitlement) future.add(entitlement.getTime());
    }
    if (!scheduleFuture) return;
    for (const at of future) {
      await this.queues.schedule(
        EntitlementEventsQueue,
        new Date(at),
        { baseSubscriptionId: base.id, bundleId: bundle.id },
        { accountRecordId: account.recordId },
      );
    }
  }

  async postRequested(
    event: BusEvent<RequestedSubscriptionPayload>,
    write: SubscriptionWrite,
    payload: Omit<RequestedSubscriptionPayload, 'subscriptionId' | 'bundleId' | 'accountId'>,
  ): Promise<void> {
    await this.queues.post(
      event,
      { subscriptionId: write.row.id, bundleId: write.bundle.id, accountId: write.account.id, ...payload },
      { accountRecordId: write.account.recordId },
    );
  }

  /** callCompletion: as Kill Bill, wait (bounded) until the bus and due notifications are processed. */
  async waitForCompletion(tenantRecordId: number, timeoutSec: number): Promise<void> {
    const deadline = performance.now() + Math.max(0, timeoutSec) * 1000;
    while (!(await this.queues.isIdle(tenantRecordId))) {
      if (performance.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, COMPLETION_POLL_MS));
    }
  }
}

/** Runs `work` as Kill Bill's entitlement API: its errors wrapped in EntitlementApiException, 500 for the state errors 1021 and 1031. */
export async function withEntitlementStatuses<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof KillBillError && !(error instanceof KillBillException)) {
      throw new KillBillException(error.codeName, error.args, {
        status: SERVER_ERROR_CODES.has(error.codeName) ? 500 : undefined,
        className: ENTITLEMENT_API_EXCEPTION,
      });
    }
    throw error;
  }
}
