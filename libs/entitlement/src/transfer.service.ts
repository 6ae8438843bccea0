import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ZoneId } from '@js-joda/core';
import { parseLocalDate, toAccountInstant, toJsDate } from '@kb/kernel';
import { PriceOverrideService, type VersionedCatalog } from '@kb/catalog';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import {
  Clock,
  IllegalStateError,
  InvalidRequestException,
  KillBillException,
  Locks,
  Queues,
  tenantRepository,
  Transactions,
  withUniqueIndexes,
} from '@kb/platform';
import { BlockingStateService } from './blocking-state.service';
import { BundleRow, TRANSFERRED_BUNDLE_KEY_PREFIX, visibleBundleKey } from './bundle.entity';
import { EntitlementStore, type LoadedBundle } from './entitlement-store';
import { SubscriptionCreation } from './entitlement-events';
import { SubscriptionEventRow } from './subscription-event.entity';
import { SubscriptionRow } from './subscription.entity';
import { SubscriptionService } from './subscription.service';
import { alignStartOf, creationEvent } from './engine/phase-alignment';
import { ENT_CANCELLED, ENT_STARTED, ENTITLEMENT_SERVICE, type SubscriptionRecord } from './engine/subscription-events';
import { computeSubscriptionView } from './engine/subscription-view';
import { BCD_TRANSFERS, type BcdTransfer, transferCancelDate, transferredEvents } from './engine/transfer';

export interface TransferRequest {
  /** The destination account (BundleJson accountId). */
  readonly accountId?: string | null;
  /** New external keys of the copies, by source subscription id. */
  readonly subscriptions?: readonly { readonly subscriptionId?: string | null; readonly externalKey?: string | null }[] | null;
}

export interface TransferOptions {
  readonly requestedDate?: string;
  readonly billingPolicy?: string;
  readonly bcdTransfer?: string;
}

const BILLING_POLICIES = ['START_OF_TERM', 'END_OF_TERM', 'IMMEDIATE', 'ILLEGAL'];

/**
 * Transfers a bundle to another account (Kill Bill's BundleResource#transferBundle →
 * EntitlementApi#transferEntitlementsOverrideBillingPolicy → SubscriptionBaseTransferApi): on the
 * source, every live subscription gets its billing cancel and ENT_CANCELLED at the transfer date and
 * the bundle's key is renamed `kbtsf-…`; on the destination a bundle with the same key holds copies
 * of the subscriptions, aligned as the originals. Both accounts locked, one transaction.
 */
@Injectable()
export class TransferService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly catalogs: PriceOverrideService,
    private readonly blockingStates: BlockingStateService,
    private readonly store: EntitlementStore,
    private readonly subscriptions: SubscriptionService,
  ) {}

  async transfer(bundleId: string, body: TransferRequest | null | undefined, options: TransferOptions): Promise<{ bundleId: string }> {
    if (!body) throw new InvalidRequestException('BundleJson body should be specified');
    const destinationId = body.accountId;
    if (!destinationId) throw new InvalidRequestException('BundleJson accountId needs to be set');
    const immediate = billingPolicyIsImmediate(options.billingPolicy ?? 'END_OF_TERM');
    const bcdTransfer = (options.bcdTransfer ?? 'USE_EXISTING') as BcdTransfer;
    if (!(BCD_TRANSFERS as readonly string[]).includes(bcdTransfer)) throw new InvalidRequestException(`Invalid bcdTransfer: ${bcdTransfer}`);
    const requestedDay = options.requestedDate === undefined ? undefined : parseLocalDate(options.requestedDate);
    if (options.requestedDate !== undefined && !requestedDay) throw new InvalidRequestException(`Invalid format: "${options.requestedDate}" for requestedDate`);
    const keys = new Map((body.subscriptions ?? []).filter((s) => s.subscriptionId && s.externalKey).map((s) => [s.subscriptionId!, s.externalKey!]));

    const manager = this.transactions.manager();
    const requested = await tenantRepository(manager, BundleRow).findOne({ where: { id: bundleId } });
    if (!requested) throw new NotFoundException(`Object id=${bundleId} type=BUNDLE doesn't exist!`);
    const sourceId = requested.accountId;
    const key = visibleBundleKey(requested.externalKey);
    // Both accounts change: their locks in one order, so two opposite transfers cannot deadlock.
    const [first, second] = [sourceId, destinationId].sort();
    return withUniqueIndexes(
      () =>
        this.locks.withAccountLock(first, async () => {
          if (second !== first) await this.locks.lockAccountInTransaction(second);
          const source = await this.accounts.requireById(manager, sourceId);
          const destination = await this.accounts.requireById(manager, destinationId);
          const catalog = await this.catalogs.catalog();
          const now = this.clock.now();
          const transferDate = requestedDay ? toJsDate(toAccountInstant(requestedDay, accountTimeOf(source))) : now;
          const loaded = await this.activeBundleForKey(source, key, catalog, now);
          if (destination.id === source.id) throw new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [key]);
          const created = await this.moveBundle(loaded, source, destination, catalog, { transferDate, immediate, bcdTransfer, keys, now });
          return { bundleId: created.id };
        }),
      {
        bundles_external_key: () => new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [key]),
        subscriptions_external_key: () => new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [[...keys.values()].join(', ')]),
      },
    );
  }

  /**
   * The account's active bundle holding `key` (Kill Bill resolves the transfer by key): a bundle
   * already transferred or cancelled no longer holds it (1084), nor does one of another account.
   */
  private async activeBundleForKey(source: AccountRow, key: string, catalog: VersionedCatalog, now: Date): Promise<LoadedBundle> {
    const manager = this.transactions.manager();
    const holder = await tenantRepository(manager, BundleRow, source.tenantRecordId).findOne({ where: { externalKey: key } });
    const [loaded] = holder ? await this.store.loadBundles(manager, source.tenantRecordId, [holder]) : [];
    const live = loaded?.subscriptions.some((s) => this.viewOf(loaded, s, source, catalog, now).state !== 'CANCELLED');
    if (!loaded || !live || holder?.accountId !== source.id) throw new KillBillException('SUB_GET_INVALID_BUNDLE_KEY', [key]);
    return loaded;
  }

  private async moveBundle(
    loaded: LoadedBundle,
    source: AccountRow,
    destination: AccountRow,
    catalog: VersionedCatalog,
    context: { transferDate: Date; immediate: boolean; bcdTransfer: BcdTransfer; keys: ReadonlyMap<string, string>; now: Date },
  ): Promise<BundleRow> {
    const { transferDate, immediate, now } = context;
    const manager = this.transactions.manager();
    const bundles = tenantRepository(manager, BundleRow, source.tenantRecordId);
    const sourceBundle = loaded.bundle;
    const key = sourceBundle.externalKey;

    // The key moves: the source is renamed first (one holder per key), then the new bundle takes it.
    sourceBundle.externalKey = `${TRANSFERRED_BUNDLE_KEY_PREFIX}${sourceBundle.recordId}:${key}`;
    sourceBundle.updatedDate = now;
    sourceBundle.lastSysUpdateDate = now;
    await bundles.save(sourceBundle);
    const target = await bundles.save(
      bundles.create({
        id: randomUUID(),
        externalKey: key,
        accountId: destination.id,
        originalCreatedDate: sourceBundle.originalCreatedDate,
        lastSysUpdateDate: now,
        accountRecordId: destination.recordId,
      }),
    );

    const subscriptionRows = tenantRepository(manager, SubscriptionRow, source.tenantRecordId);
    const cancelled = { stateName: ENT_CANCELLED, service: ENTITLEMENT_SERVICE, isBlockChange: true, isBlockEntitlement: true, isBlockBilling: false };
    for (const [index, record] of loaded.subscriptions.entries()) {
      const row = loaded.rows[index];
      // Every source subscription is blocked from the transfer on (there is no un-transfer).
      await this.blockingStates.insert(source, cancelled, transferDate, { id: row.id, type: 'SUBSCRIPTION' });
      if (record.events.some((e) => e.type === 'CANCEL' && e.effectiveDate.getTime() <= now.getTime())) continue;
      if (record.category !== 'ADD_ON' || immediate) await this.cancelBilling(row, record, sourceBundle, transferDate, immediate, now);

      const created = creationEvent(record);
      if (!created?.planName) continue;
      const version = catalog.findPlanForSubscription(created.planName, created.effectiveDate, created.effectiveDate).catalog;
      const events = transferredEvents(record.events, transferDate, context.bcdTransfer);
      if (events.length === 0) continue;
      const id = randomUUID();
      const copy = await subscriptionRows.save(
        subscriptionRows.create({
          id,
          bundleId: target.id,
          externalKey: context.keys.get(row.id) ?? id,
          category: record.category,
          startDate: events[0].effectiveDate,
          // The copy keeps the original's alignment (so its pending phases keep their dates).
          bundleStartDate: alignStartOf(version, record, created),
          chargedThroughDate: null,
          migrated: false,
          accountRecordId: destination.recordId,
        }),
      );
      await this.subscriptions.writeEvents(copy, target, events);
      await this.blockingStates.insert(destination, { stateName: ENT_STARTED, service: ENTITLEMENT_SERVICE }, transferDate, { id, type: 'SUBSCRIPTION' });
      await this.queues.post(
        SubscriptionCreation,
        {
          subscriptionId: id,
          bundleId: target.id,
          accountId: destination.id,
          entitlementDate: transferDate.toISOString(),
          billingDate: copy.startDate.toISOString(),
        },
        { accountRecordId: destination.recordId },
      );
    }
    return target;
  }

  /** The source's billing CANCEL; the events it would cut short are deactivated (kept, as Kill Bill keeps them). */
  private async cancelBilling(
    row: SubscriptionRow,
    record: SubscriptionRecord,
    bundle: BundleRow,
    transferDate: Date,
    immediate: boolean,
    now: Date,
  ): Promise<void> {
    const past = record.events.filter((e) => e.effectiveDate.getTime() <= now.getTime());
    const cancelDate = transferCancelDate({
      transferDate,
      immediate,
      chargedThroughDate: row.chargedThroughDate,
      earliestValidDate: past.length ? past[past.length - 1].effectiveDate : row.startDate,
    });
    const events = tenantRepository(this.transactions.manager(), SubscriptionEventRow, row.tenantRecordId);
    for (const event of record.events.filter((e) => e.effectiveDate.getTime() > cancelDate.getTime())) {
      const stored = await events.findOne({ where: { id: event.id } });
      if (!stored) continue;
      stored.isActive = false;
      stored.updatedDate = now;
      await events.save(stored);
    }
    await this.subscriptions.writeEvents(row, bundle, [{ type: 'CANCEL', effectiveDate: cancelDate }]);
  }

  private viewOf(loaded: LoadedBundle, subscription: SubscriptionRecord, account: AccountRow, catalog: VersionedCatalog, now: Date) {
    return computeSubscriptionView({
      subscription,
      base: loaded.subscriptions.find((s) => s.category === 'BASE'),
      blockingStates: loaded.blockingStates.filter((s) => s.type !== 'SUBSCRIPTION' || s.blockedId === subscription.id),
      catalog,
      currency: null,
      accountBillCycleDayLocal: account.billingCycleDayLocal,
      accountZone: ZoneId.of(account.timeZone),
      now,
    });
  }
}

/** Only END_OF_TERM and IMMEDIATE transfer; Kill Bill fails on the other policies (500), and on an unknown one (400). */
function billingPolicyIsImmediate(policy: string): boolean {
  if (!BILLING_POLICIES.includes(policy)) throw new InvalidRequestException(`Invalid billingPolicy: ${policy}`);
  if (policy === 'IMMEDIATE') return true;
  if (policy === 'END_OF_TERM') return false;
  throw new IllegalStateError(`Unexpected billing policy ${policy}`);
}
