import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ZoneId } from '@js-joda/core';
import type { Currency } from '@kb/kernel';
import type { VersionedCatalog } from '@kb/catalog';
import { type AuditLog, AuditLevel, AuditLogs } from '@kb/platform';
import type { AccountRow } from '@kb/account';
import { BlockingStateRow } from './blocking-state.entity';
import { BundleRow, visibleBundleKey } from './bundle.entity';
import { SubscriptionEventRow } from './subscription-event.entity';
import { SubscriptionRow } from './subscription.entity';
import type { BlockingStateRecord, SubscriptionEvent, SubscriptionRecord } from './engine/subscription-events';
import { computeSubscriptionView, type SubscriptionView } from './engine/subscription-view';
import { withAddOnCascade } from './engine/add-on-cascade';

/** A bundle with its subscriptions, their events and every blocking state that applies to them. */
export interface LoadedBundle {
  readonly bundle: BundleRow;
  readonly subscriptions: readonly SubscriptionRecord[];
  readonly rows: readonly SubscriptionRow[];
  readonly blockingStates: readonly BlockingStateRecord[];
}

/** A subscription as the resources show it. */
export interface SubscriptionDetails {
  readonly row: SubscriptionRow;
  readonly bundle: BundleRow;
  readonly bundleExternalKey: string;
  readonly accountId: string;
  readonly view: SubscriptionView;
  readonly chargedThroughDate: Date | null;
  readonly accountZone: ZoneId;
  readonly auditLogs: AuditLog[];
  /** Audit logs of each timeline event, by event id. */
  readonly eventAuditLogs: ReadonlyMap<string, AuditLog[]>;
}

export interface BundleDetails {
  readonly bundle: BundleRow;
  readonly externalKey: string;
  readonly subscriptions: readonly SubscriptionDetails[];
  readonly auditLogs: AuditLog[];
}

export function toEventRecord(row: SubscriptionEventRow): SubscriptionEvent {
  return {
    id: row.id,
    recordId: row.recordId,
    subscriptionId: row.subscriptionId,
    type: row.eventType,
    effectiveDate: row.effectiveDate,
    createdDate: row.createdDate,
    planName: row.planName,
    phaseName: row.phaseName,
    priceListName: row.priceListName,
    catalogEffectiveDate: row.catalogEffectiveDate,
    billCycleDayLocal: row.billingCycleDayLocal,
    quantity: row.quantity,
    isActive: row.isActive,
  };
}

export function toSubscriptionRecord(row: SubscriptionRow, events: readonly SubscriptionEventRow[]): SubscriptionRecord {
  return {
    id: row.id,
    recordId: row.recordId,
    bundleId: row.bundleId,
    externalKey: row.externalKey,
    category: row.category,
    startDate: row.startDate,
    bundleStartDate: row.bundleStartDate,
    chargedThroughDate: row.chargedThroughDate,
    migrated: row.migrated,
    events: events
      .filter((event) => event.isActive)
      .map(toEventRecord)
      .sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId),
  };
}

function toBlockingRecord(row: BlockingStateRow): BlockingStateRecord {
  return {
    id: row.id,
    recordId: row.recordId,
    blockedId: row.blockableId,
    type: row.type,
    stateName: row.state,
    service: row.service,
    blockChange: row.blockChange,
    blockEntitlement: row.blockEntitlement,
    blockBilling: row.blockBilling,
    effectiveDate: row.effectiveDate,
  };
}

/** The bundle columns the engines read (a BundleRow fits). */
export interface BundleRecordRow {
  readonly id: string;
  readonly recordId: number;
  readonly accountId: string;
  readonly externalKey: string;
  readonly originalCreatedDate: Date;
}

/** A bundle's subscriptions (with their active events) and the blocking states that apply to them, as the engines read them. */
export interface LoadedBundleRecords {
  readonly bundle: BundleRecordRow;
  readonly subscriptions: readonly SubscriptionRecord[];
  readonly blockingStates: readonly BlockingStateRecord[];
}

/** An instant as the milliseconds since the epoch (rounded down, as node-pg's Date is), read as a double: no date text to parse per row. */
type EpochMillis = number;

/** The SQL of `column` as EpochMillis (the column's own name kept: an ORDER BY on the stored instant names its table). */
export const epochMillisSql = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8 AS ${column}`;

const instantOf = (millis: EpochMillis) => new Date(millis);
const instantOrNullOf = (millis: EpochMillis | null) => (millis === null ? null : new Date(millis));

interface RawSubscription {
  id: string;
  record_id: string;
  bundle_id: string;
  external_key: string;
  category: SubscriptionRecord['category'];
  start_date: EpochMillis;
  bundle_start_date: EpochMillis;
  charged_through_date: EpochMillis | null;
  migrated: boolean;
}

interface RawSubscriptionEvent {
  id: string;
  record_id: string;
  subscription_id: string;
  event_type: SubscriptionEvent['type'];
  effective_date: EpochMillis;
  created_date: EpochMillis;
  plan_name: string | null;
  phase_name: string | null;
  price_list_name: string | null;
  catalog_effective_date: EpochMillis | null;
  billing_cycle_day_local: number | null;
  quantity: number | null;
}

interface RawBlockingState {
  id: string;
  record_id: string;
  blockable_id: string;
  type: BlockingStateRecord['type'];
  state: string;
  service: string;
  block_change: boolean;
  block_entitlement: boolean;
  block_billing: boolean;
  effective_date: EpochMillis;
}

function eventRecordOf(row: RawSubscriptionEvent): SubscriptionEvent {
  return {
    id: row.id,
    recordId: Number(row.record_id),
    subscriptionId: row.subscription_id,
    type: row.event_type,
    effectiveDate: instantOf(row.effective_date),
    createdDate: instantOf(row.created_date),
    planName: row.plan_name,
    phaseName: row.phase_name,
    priceListName: row.price_list_name,
    catalogEffectiveDate: instantOrNullOf(row.catalog_effective_date),
    billCycleDayLocal: row.billing_cycle_day_local,
    quantity: row.quantity,
    isActive: true,
  };
}

function subscriptionRecordOf(row: RawSubscription, events: readonly SubscriptionEvent[]): SubscriptionRecord {
  return {
    id: row.id,
    recordId: Number(row.record_id),
    bundleId: row.bundle_id,
    externalKey: row.external_key,
    category: row.category,
    startDate: instantOf(row.start_date),
    bundleStartDate: instantOf(row.bundle_start_date),
    chargedThroughDate: instantOrNullOf(row.charged_through_date),
    migrated: row.migrated,
    events,
  };
}

function blockingRecordOf(row: RawBlockingState): BlockingStateRecord {
  return {
    id: row.id,
    recordId: Number(row.record_id),
    blockedId: row.blockable_id,
    type: row.type,
    stateName: row.state,
    service: row.service,
    blockChange: row.block_change,
    blockEntitlement: row.block_entitlement,
    blockBilling: row.block_billing,
    effectiveDate: instantOf(row.effective_date),
  };
}

/**
 * Loads bundles with everything their views need in four queries (bundles, subscriptions, events,
 * blocking states), whatever the number of bundles: no query per bundle or subscription.
 */
@Injectable()
export class EntitlementStore {
  constructor(private readonly auditLogs: AuditLogs) {}

  async loadBundles(manager: EntityManager, tenantRecordId: number, bundles: readonly BundleRow[]): Promise<LoadedBundle[]> {
    if (bundles.length === 0) return [];
    const bundleIds = bundles.map((bundle) => bundle.id);
    const subscriptions = await manager
      .getRepository(SubscriptionRow)
      .createQueryBuilder('s')
      .where('s.tenant_record_id = :tenant AND s.bundle_id = ANY(:bundleIds)', { tenant: tenantRecordId, bundleIds })
      .orderBy('s.record_id')
      .getMany();
    const subscriptionIds = subscriptions.map((s) => s.id);
    const events = subscriptionIds.length
      ? await manager
          .getRepository(SubscriptionEventRow)
          .createQueryBuilder('e')
          .where('e.tenant_record_id = :tenant AND e.subscription_id = ANY(:subscriptionIds) AND e.is_active', { tenant: tenantRecordId, subscriptionIds })
          .orderBy('e.effective_date')
          .addOrderBy('e.record_id')
          .getMany()
      : [];
    const accountIds = [...new Set(bundles.map((bundle) => bundle.accountId))];
    const blockables = [...accountIds, ...bundleIds, ...subscriptionIds];
    const states = await manager
      .getRepository(BlockingStateRow)
      .createQueryBuilder('b')
      .where('b.tenant_record_id = :tenant AND b.blockable_id = ANY(:blockables) AND b.is_active', { tenant: tenantRecordId, blockables })
      .orderBy('b.effective_date')
      .addOrderBy('b.record_id')
      .getMany();
    const eventsBySubscription = groupBy(events, (event) => event.subscriptionId);
    const subscriptionsByBundle = groupBy(subscriptions, (subscription) => subscription.bundleId);
    // Each bundle's states (its account's, its own, its subscriptions') in the loaded order, found by blockable
    // rather than by scanning every state of the account for each bundle.
    const order = new Map(states.map((state, index) => [state, index]));
    const statesByBlockable = groupBy(states, (state) => state.blockableId);
    return bundles.map((bundle) => {
      const rows = subscriptionsByBundle.get(bundle.id) ?? [];
      const ids = new Set([bundle.accountId, bundle.id, ...rows.map((row) => row.id)]);
      const own = [...ids].flatMap((id) => statesByBlockable.get(id) ?? []).sort((a, b) => order.get(a)! - order.get(b)!);
      return {
        bundle,
        rows,
        subscriptions: rows.map((row) => toSubscriptionRecord(row, eventsBySubscription.get(row.id) ?? [])),
        blockingStates: own.map(toBlockingRecord),
      };
    });
  }

  /**
   * The engines' records of bundles (given by id and account), straight from the rows: one query per
   * table, no entity hydration (what invoicing reads for 30,000 subscriptions). Same records, same
   * order as `loadBundles` gives.
   */
  async loadBundleRecords(
    manager: EntityManager,
    tenantRecordId: number,
    bundles: readonly BundleRecordRow[],
    options: {
      /**
       * Every bundle given is of this account (its record id): each table is read through its account index
       * and the rows of other bundles left out here, rather than matching 30,000 ids sent as an array
       * (which the planner meets with a scan of the whole tenant).
       */
      readonly accountRecordId?: number;
    } = {},
  ): Promise<LoadedBundleRecords[]> {
    if (bundles.length === 0) return [];
    const bundleIds = bundles.map((bundle) => bundle.id);
    const { accountRecordId } = options;
    const byAccount = accountRecordId !== undefined;
    const bundleIdSet = new Set(bundleIds);
    const subscriptions: RawSubscription[] = await manager
      .query(
        `SELECT id, record_id, bundle_id, external_key, category, ${epochMillisSql('start_date')}, ${epochMillisSql('bundle_start_date')},
                ${epochMillisSql('charged_through_date')}, migrated
           FROM subscriptions WHERE tenant_record_id = $1 AND ${byAccount ? 'account_record_id = $2' : 'bundle_id = ANY($2::uuid[])'} ORDER BY record_id`,
        [tenantRecordId, byAccount ? accountRecordId : bundleIds],
      )
      .then((rows: RawSubscription[]) => (byAccount ? rows.filter((row) => bundleIdSet.has(row.bundle_id)) : rows));
    const subscriptionIds = subscriptions.map((s) => s.id);
    const subscriptionIdSet = new Set(subscriptionIds);
    const events: RawSubscriptionEvent[] = subscriptionIds.length
      ? await manager
          .query(
            `SELECT id, record_id, subscription_id, event_type, ${epochMillisSql('effective_date')}, ${epochMillisSql('created_date')}, plan_name, phase_name,
                    price_list_name, ${epochMillisSql('catalog_effective_date')}, billing_cycle_day_local, quantity
               FROM subscription_events
              WHERE tenant_record_id = $1 AND ${byAccount ? 'account_record_id = $2' : 'subscription_id = ANY($2::uuid[])'} AND is_active
              ORDER BY subscription_events.effective_date, record_id`,
            [tenantRecordId, byAccount ? accountRecordId : subscriptionIds],
          )
          .then((rows: RawSubscriptionEvent[]) => (byAccount ? rows.filter((row) => subscriptionIdSet.has(row.subscription_id)) : rows))
      : [];
    const accountIds = [...new Set(bundles.map((bundle) => bundle.accountId))];
    const blockables = [...accountIds, ...bundleIds, ...subscriptionIds];
    const blockableSet = new Set(blockables);
    const states: RawBlockingState[] = await manager
      .query(
        `SELECT id, record_id, blockable_id, type, state, service, block_change, block_entitlement, block_billing, ${epochMillisSql('effective_date')}
           FROM blocking_states
          WHERE tenant_record_id = $1 AND ${byAccount ? 'account_record_id = $2' : 'blockable_id = ANY($2::uuid[])'} AND is_active
          ORDER BY blocking_states.effective_date, record_id`,
        [tenantRecordId, byAccount ? accountRecordId : blockables],
      )
      .then((rows: RawBlockingState[]) => (byAccount ? rows.filter((row) => blockableSet.has(row.blockable_id)) : rows));
    const eventsBySubscription = groupBy(events.map(eventRecordOf), (event) => event.subscriptionId);
    // As toSubscriptionRecord orders them: by instant to the millisecond (the Date's), then record id.
    for (const list of eventsBySubscription.values()) list.sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId);
    const subscriptionsByBundle = groupBy(
      subscriptions.map((row) => subscriptionRecordOf(row, eventsBySubscription.get(row.id) ?? [])),
      (subscription) => subscription.bundleId,
    );
    const stateRecords = states.map(blockingRecordOf);
    const order = new Map(stateRecords.map((state, index) => [state, index]));
    const statesByBlockable = groupBy(stateRecords, (state) => state.blockedId);
    return bundles.map((bundle) => {
      const records = subscriptionsByBundle.get(bundle.id) ?? [];
      const ids = new Set([bundle.accountId, bundle.id, ...records.map((record) => record.id)]);
      const own = [...ids].flatMap((id) => statesByBlockable.get(id) ?? []).sort((a, b) => order.get(a)! - order.get(b)!);
      return { bundle, subscriptions: records, blockingStates: own };
    });
  }

  /** The API views of loaded bundles (account per bundle from `accounts`), with audit logs at `audit`. */
  async details(
    loaded: readonly LoadedBundle[],
    accounts: ReadonlyMap<string, AccountRow>,
    catalog: VersionedCatalog,
    now: Date,
    audit: AuditLevel,
  ): Promise<BundleDetails[]> {
    const bundles = loaded.map((entry) => {
      const account = accounts.get(entry.bundle.accountId);
      if (!account) throw new Error(`Account ${entry.bundle.accountId} of bundle ${entry.bundle.id} is not loaded`);
      const zone = ZoneId.of(account.timeZone);
      // Add-ons show the ends their base implies even before they are stored (spec 2.6).
      const cascaded = withAddOnCascade({ catalog, subscriptions: entry.subscriptions, blockingStates: entry.blockingStates });
      const base = cascaded.subscriptions.find((s) => s.category === 'BASE');
      const subscriptions = cascaded.subscriptions.map((subscription, index) => {
        const relevant = cascaded.blockingStates.filter((state) => state.type !== 'SUBSCRIPTION' || state.blockedId === subscription.id);
        const view = computeSubscriptionView({
          subscription,
          base,
          blockingStates: relevant,
          catalog,
          currency: (account.currency as Currency | null) ?? null,
          accountBillCycleDayLocal: account.billingCycleDayLocal,
          accountZone: zone,
          now,
        });
        return { row: entry.rows[index], view, zone };
      });
      return { entry, subscriptions };
    });
    const tenantRecordId = loaded[0]?.bundle.tenantRecordId ?? 0;
    const all = bundles.flatMap((b) => b.subscriptions);
    const [bundleLogs, subscriptionLogs, eventLogs, stateLogs] = await Promise.all([
      this.auditLogs.forRecords(
        { tableName: 'bundles', objectType: 'BUNDLE', tenantRecordId },
        loaded.map((entry) => entry.bundle.recordId),
        audit,
      ),
      this.auditLogs.forRecords(
        { tableName: 'subscriptions', objectType: 'SUBSCRIPTION', tenantRecordId },
        all.map((s) => s.row.recordId),
        audit,
      ),
      this.auditLogs.forRecords(
        { tableName: 'subscription_events', objectType: 'SUBSCRIPTION_EVENT', tenantRecordId },
        all.flatMap((s) => s.view.events.filter((e) => e.source === 'SUBSCRIPTION_EVENT').map((e) => e.order)),
        audit,
      ),
      this.auditLogs.forRecords(
        { tableName: 'blocking_states', objectType: 'BLOCKING_STATES', tenantRecordId },
        all.flatMap((s) => s.view.events.filter((e) => e.source === 'BLOCKING_STATES').map((e) => e.order)),
        audit,
      ),
    ]);
    return bundles.map(({ entry, subscriptions }) => ({
      bundle: entry.bundle,
      externalKey: visibleBundleKey(entry.bundle.externalKey),
      auditLogs: bundleLogs.get(entry.bundle.recordId) ?? [],
      subscriptions: subscriptions.map(({ row, view, zone }) => ({
        row,
        bundle: entry.bundle,
        bundleExternalKey: visibleBundleKey(entry.bundle.externalKey),
        accountId: entry.bundle.accountId,
        view,
        chargedThroughDate: row.chargedThroughDate,
        accountZone: zone,
        auditLogs: subscriptionLogs.get(row.recordId) ?? [],
        eventAuditLogs: new Map(view.events.map((e) => [e.eventId, (e.source === 'SUBSCRIPTION_EVENT' ? eventLogs : stateLogs).get(e.order) ?? []])),
      })),
    }));
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const result = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = result.get(k);
    if (list) list.push(item);
    else result.set(k, [item]);
  }
  return result;
}
