import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type EntityManager, In, Raw } from 'typeorm';
import { PriceOverrideService } from '@kb/catalog';
import { AccountRow } from '@kb/account';
import {
  AuditLevel,
  Clock,
  KillBillException,
  Locks,
  type QueueMessage,
  OnNotification,
  Queues,
  tenantRepository,
  Transactions,
  currentTenant,
  updateManyLikeSave,
} from '@kb/platform';
import { BundleRow, visibleBundleKey } from './bundle.entity';
import { EntitlementStore, type BundleDetails, type SubscriptionDetails, toSubscriptionRecord } from './entitlement-store';
import { EffectiveSubscriptionTransition, type SubscriptionEventNotification, SubscriptionEventsQueue } from './entitlement-events';
import { SubscriptionEventRow } from './subscription-event.entity';
import { SubscriptionRow } from './subscription.entity';
import { nextPhaseEventAfter, type PlannedEvent } from './engine/phase-alignment';

/** A subscription's charged-through date as read in the caller's transaction. */
export interface StoredChargedThroughDate {
  readonly recordId: number;
  readonly chargedThroughDate: Date | null;
}

/**
 * The subscription aggregate outside creation: reads, the charged-through date invoicing writes, and
 * the subscription events that take effect when the clock reaches them.
 */
@Injectable()
export class SubscriptionService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly catalogs: PriceOverrideService,
    private readonly store: EntitlementStore,
  ) {}

  /** GET /subscriptions/{id}. */
  async getById(subscriptionId: string, audit: AuditLevel = AuditLevel.NONE): Promise<SubscriptionDetails> {
    const row = await tenantRepository(this.transactions.manager(), SubscriptionRow).findOne({ where: { id: subscriptionId } });
    if (!row) throw new NotFoundException(`Object id=${subscriptionId} type=SUBSCRIPTION doesn't exist!`);
    return this.detailsOf(row, audit);
  }

  /** GET /subscriptions?externalKey=. */
  async getByExternalKey(externalKey: string | undefined, audit: AuditLevel = AuditLevel.NONE): Promise<SubscriptionDetails> {
    const row = externalKey === undefined ? null : await tenantRepository(this.transactions.manager(), SubscriptionRow).findOne({ where: { externalKey } });
    if (!row) throw new KillBillException('SUB_INVALID_SUBSCRIPTION_EXTERNAL_KEY', [externalKey], { status: 404 });
    return this.detailsOf(row, audit);
  }

  /** Finds a subscription of a tenant without throwing (object lookups of tags, custom fields, audit). */
  async findRow(id: string, tenantRecordId: number): Promise<SubscriptionRow | null> {
    return tenantRepository(this.transactions.manager(), SubscriptionRow, tenantRecordId).findOne({ where: { id } });
  }

  async findEventRow(id: string, tenantRecordId: number): Promise<SubscriptionEventRow | null> {
    return tenantRepository(this.transactions.manager(), SubscriptionEventRow, tenantRecordId).findOne({ where: { id } });
  }

  /**
   * Invoicing's write of the end of the last invoiced period, in the caller's transaction (Kill
   * Bill's SubscriptionBaseInternalApi#setChargedThroughDate). Unknown id: 404 as a read would be.
   */
  async setChargedThroughDate(subscriptionId: string, chargedThroughDate: Date | null): Promise<void> {
    const manager = this.transactions.manager();
    const repository = tenantRepository(manager, SubscriptionRow);
    const row = await repository.findOne({ where: { id: subscriptionId } });
    if (!row) throw new NotFoundException(`Object id=${subscriptionId} type=SUBSCRIPTION doesn't exist!`);
    row.chargedThroughDate = chargedThroughDate;
    row.updatedDate = this.clock.now();
    await repository.save(row);
  }

  /**
   * The charged-through dates of one invoicing run, in the caller's transaction: only those whose date
   * changes written (with their history and audit rows) in a few statements instead of one save() each.
   * `current`: what the caller read of these subscriptions in this transaction (record id, stored date),
   * so they are not read again; the others are loaded in one query. Unknown id: 404 as the single write.
   */
  async setChargedThroughDates(manager: EntityManager, dates: ReadonlyMap<string, Date | null>, current?: ReadonlyMap<string, StoredChargedThroughDate>): Promise<void> {
    if (dates.size === 0) return;
    const changed: Pick<SubscriptionRow, 'recordId' | 'chargedThroughDate'>[] = [];
    const unknown: string[] = [];
    for (const [id, date] of dates) {
      const stored = current?.get(id);
      if (!stored) unknown.push(id);
      else if (stored.chargedThroughDate?.getTime() !== date?.getTime()) changed.push({ recordId: stored.recordId, chargedThroughDate: date });
    }
    // Only the date is written: the bulk update keeps the columns not given and copies the whole stored row into the history.
    changed.sort((a, b) => a.recordId - b.recordId);
    if (unknown.length > 0) {
      const rows = await tenantRepository(manager, SubscriptionRow).find({ where: { id: Raw((column) => `${column} = ANY(:ids)`, { ids: unknown }) } });
      if (rows.length !== unknown.length) {
        const found = new Set(rows.map((row) => row.id));
        throw new NotFoundException(`Object id=${unknown.find((id) => !found.has(id)) ?? ''} type=SUBSCRIPTION doesn't exist!`);
      }
      for (const row of rows) {
        if (row.chargedThroughDate?.getTime() !== dates.get(row.id)?.getTime()) changed.push({ recordId: row.recordId, chargedThroughDate: dates.get(row.id) ?? null });
      }
    }
    await updateManyLikeSave(manager, SubscriptionRow, changed, this.clock);
  }

  /** Views of bundles with the tenant's catalog and clock (accounts loaded in one query). */
  async bundleDetails(manager: EntityManager, bundles: readonly BundleRow[], audit: AuditLevel): Promise<BundleDetails[]> {
    if (bundles.length === 0) return [];
    const tenantRecordId = currentTenant().recordId;
    const accountIds = [...new Set(bundles.map((bundle) => bundle.accountId))];
    const accounts = await tenantRepository(manager, AccountRow, tenantRecordId).find({ where: { id: In(accountIds) } });
    const loaded = await this.store.loadBundles(manager, tenantRecordId, bundles);
    const catalog = await this.catalogs.catalog();
    return this.store.details(loaded, new Map(accounts.map((account) => [account.id, account])), catalog, this.clock.now(), audit);
  }

  private async detailsOf(row: SubscriptionRow, audit: AuditLevel): Promise<SubscriptionDetails> {
    const manager = this.transactions.manager();
    const bundle = await tenantRepository(manager, BundleRow).findOne({ where: { id: row.bundleId } });
    if (!bundle) throw new KillBillException('SUB_GET_NO_BUNDLE_FOR_SUBSCRIPTION', [row.id], { status: 404 });
    const [details] = await this.bundleDetails(manager, [bundle], audit);
    const found = details.subscriptions.find((s) => s.row.id === row.id);
    if (!found) throw new KillBillException('SUB_GET_NO_BUNDLE_FOR_SUBSCRIPTION', [row.id], { status: 404 });
    return found;
  }

  // --- events in time ----------------------------------------------------------------------------

  /**
   * Writes subscription events (in the caller's transaction, under the account lock): each one
   * already due is announced on the bus now, each future one becomes a notification at its date.
   */
  async writeEvents(
    subscription: SubscriptionRow,
    bundle: BundleRow,
    planned: readonly PlannedEvent[],
    previous?: SubscriptionEventRow,
  ): Promise<SubscriptionEventRow[]> {
    const repository = tenantRepository(this.transactions.manager(), SubscriptionEventRow, subscription.tenantRecordId);
    const now = this.clock.now();
    const written: SubscriptionEventRow[] = [];
    let last = previous;
    for (const event of planned) {
      const row = repository.create({
        id: randomUUID(),
        subscriptionId: subscription.id,
        eventType: event.type,
        effectiveDate: event.effectiveDate,
        planName: event.planName ?? null,
        phaseName: event.phaseName ?? null,
        priceListName: event.priceListName ?? null,
        billingCycleDayLocal: event.billCycleDayLocal ?? null,
        quantity: event.quantity ?? null,
        catalogEffectiveDate: event.catalogEffectiveDate ?? null,
        isActive: true,
        accountRecordId: subscription.accountRecordId,
      });
      await repository.save(row);
      if (row.effectiveDate.getTime() <= now.getTime()) {
        await this.announce(subscription, bundle, row, last);
      } else {
        await this.queues.schedule(
          SubscriptionEventsQueue,
          row.effectiveDate,
          { eventId: row.id, subscriptionId: subscription.id },
          { accountRecordId: subscription.accountRecordId },
        );
      }
      if (row.planName) last = row;
      written.push(row);
    }
    return written;
  }

  /**
   * A subscription event came due: under the account lock, announce it and, for a PHASE, write the
   * event ending the new phase. An event deactivated meanwhile (a change or cancel replaced it) is
   * ignored, as Kill Bill ignores notifications of inactive events.
   */
  @OnNotification(SubscriptionEventsQueue)
  async onEventDue(message: QueueMessage<SubscriptionEventNotification>): Promise<void> {
    const manager = this.transactions.manager();
    const subscription = await tenantRepository(manager, SubscriptionRow, message.tenantRecordId).findOne({ where: { id: message.payload.subscriptionId } });
    if (!subscription) return;
    const bundle = await tenantRepository(manager, BundleRow, message.tenantRecordId).findOne({ where: { id: subscription.bundleId } });
    if (!bundle) return;
    await this.locks.withAccountLock(bundle.accountId, async () => {
      const events = await tenantRepository(manager, SubscriptionEventRow, message.tenantRecordId).find({
        where: { subscriptionId: subscription.id, isActive: true },
        order: { effectiveDate: 'ASC', recordId: 'ASC' },
      });
      const fired = events.find((event) => event.id === message.payload.eventId);
      if (!fired) return;
      const previous = [...events]
        .reverse()
        .find((event) => event.planName && event.recordId !== fired.recordId && event.effectiveDate.getTime() <= fired.effectiveDate.getTime());
      await this.announce(subscription, bundle, fired, previous);
      if (fired.eventType !== 'PHASE') return;
      const catalog = await this.catalogs.catalog();
      const record = toSubscriptionRecord(subscription, events);
      const next = nextPhaseEventAfter(
        catalog,
        record,
        record.events.find((event) => event.id === fired.id)!,
      );
      const alreadyThere = next && events.some((event) => event.eventType === next.type && event.effectiveDate.getTime() === next.effectiveDate.getTime());
      if (next && !alreadyThere) await this.writeEvents(subscription, bundle, [next], fired);
    });
  }

  private async announce(subscription: SubscriptionRow, bundle: BundleRow, event: SubscriptionEventRow, previous?: SubscriptionEventRow): Promise<void> {
    await this.queues.post(
      EffectiveSubscriptionTransition,
      {
        eventId: event.id,
        subscriptionId: subscription.id,
        bundleId: bundle.id,
        bundleExternalKey: visibleBundleKey(bundle.externalKey),
        accountId: bundle.accountId,
        transitionType: event.eventType,
        effectiveDate: event.effectiveDate.toISOString(),
        planName: event.planName ?? previous?.planName ?? null,
        phaseName: event.phaseName ?? previous?.phaseName ?? null,
        priceListName: event.priceListName ?? previous?.priceListName ?? null,
        previousPlanName: previous?.planName ?? null,
        previousPhaseName: previous?.phaseName ?? null,
        totalOrdering: event.recordId,
      },
      { accountRecordId: subscription.accountRecordId, tenantRecordId: subscription.tenantRecordId },
    );
  }
}
