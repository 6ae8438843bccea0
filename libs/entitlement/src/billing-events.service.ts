import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Currency } from '@kb/kernel';
import { PriceOverrideService, type VersionedCatalog } from '@kb/catalog';
import type { AccountRow } from '@kb/account';
import { Clock } from '@kb/platform';
import { type BundleRecordRow, EntitlementStore, epochMillisSql } from './entitlement-store';
import { withAddOnCascade } from './engine/add-on-cascade';
import { type BillingEventsResult, computeBillingEvents } from './engine/billing-events';
import type { BlockingStateRecord, BundleRecord, SubscriptionRecord } from './engine/subscription-events';

export interface AccountBillingEvents extends BillingEventsResult {
  readonly catalog: VersionedCatalog;
  /** The stored subscriptions read (excluded bundles left out, hypothetical ones not included), by id: their charged-through dates as the run found them. */
  readonly storedSubscriptions: ReadonlyMap<string, SubscriptionRecord>;
}

/**
 * A dry run's hypothetical subscriptions (Kill Bill's dry-run events merged into the loaded ones):
 * given the account's bundles as stored and the catalog, the subscriptions to bill instead; each
 * replaces the stored subscription of its id, or joins its bundle (a new bundle when unknown).
 */
export type HypotheticalSubscriptions = (
  bundles: readonly BundleRecord[],
  catalog: VersionedCatalog,
) => { readonly subscriptions: readonly SubscriptionRecord[]; /** The catalog to bill with (one holding the dry run's own overridden plan). */ readonly catalog?: VersionedCatalog };

export interface BillingEventsOptions {
  readonly excludedBundleIds?: ReadonlySet<string>;
  /** Never store the account BCD the events fix. */
  readonly dryRun?: boolean;
  /** Only with `dryRun`. */
  readonly hypothetical?: HypotheticalSubscriptions;
}

/**
 * Kill Bill's junction (BillingInternalApi#getBillingEventsForAccountAndUpdateAccountBCD): every
 * billing event of an account, read in four queries, with the add-on ends their bases imply; the
 * account BCD is stored when the first billing event fixes it (not on a dry run).
 */
@Injectable()
export class BillingEventsService {
  constructor(
    private readonly catalogs: PriceOverrideService,
    private readonly store: EntitlementStore,
    private readonly clock: Clock,
  ) {}

  async forAccount(manager: EntityManager, account: AccountRow, options: BillingEventsOptions = {}): Promise<AccountBillingEvents> {
    if (options.hypothetical && !options.dryRun) throw new Error('Hypothetical subscriptions are for dry runs only');
    let catalog = await this.catalogs.catalog();
    const bundleRows: { id: string; record_id: string; account_id: string; external_key: string; original_created_date: number }[] = await manager.query(
      `SELECT id, record_id, account_id, external_key, ${epochMillisSql('original_created_date')} FROM bundles
        WHERE tenant_record_id = $1 AND account_record_id = $2 ORDER BY record_id`,
      [account.tenantRecordId, account.recordId],
    );
    const excluded = options.excludedBundleIds ?? new Set<string>();
    const loaded = await this.store.loadBundleRecords(
      manager,
      account.tenantRecordId,
      bundleRows
        .filter((bundle) => !excluded.has(bundle.id))
        .map((bundle) => ({
          id: bundle.id,
          recordId: Number(bundle.record_id),
          accountId: bundle.account_id,
          externalKey: bundle.external_key,
          originalCreatedDate: new Date(bundle.original_created_date),
        })),
      // The bundles are the account's (read by its record id above).
      { accountRecordId: account.recordId },
    );
    const stored = loaded.map((entry) => ({ record: bundleRecordOf(entry.bundle, entry.subscriptions), blockingStates: entry.blockingStates }));
    const storedSubscriptions = new Map(loaded.flatMap((entry) => entry.subscriptions.map((subscription) => [subscription.id, subscription] as const)));
    let entries = stored;
    if (options.hypothetical) {
      const hypothetical = options.hypothetical(
        stored.map((entry) => entry.record),
        catalog,
      );
      entries = withHypothetical(stored, hypothetical.subscriptions, account);
      catalog = hypothetical.catalog ?? catalog;
    }
    const blockingStates = new Map<string, BlockingStateRecord>();
    const bundles: BundleRecord[] = entries.map((entry) => {
      const cascaded = withAddOnCascade({ catalog, subscriptions: entry.record.subscriptions, blockingStates: entry.blockingStates });
      for (const state of cascaded.blockingStates) blockingStates.set(state.id, state);
      return { ...entry.record, subscriptions: cascaded.subscriptions };
    });
    const result = computeBillingEvents({
      account: {
        id: account.id,
        currency: account.currency as Currency,
        timeZone: account.timeZone,
        referenceTime: account.referenceTime,
        billCycleDayLocal: account.billingCycleDayLocal,
      },
      bundles,
      blockingStates: [...blockingStates.values()].sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId),
      catalog,
    });
    if (result.accountBcdToSet !== null && !options.dryRun) {
      account.billingCycleDayLocal = result.accountBcdToSet;
      account.updatedDate = this.clock.now();
      await manager.save(account);
    }
    return { ...result, catalog, storedSubscriptions };
  }
}

interface BundleEntry {
  readonly record: BundleRecord;
  readonly blockingStates: readonly BlockingStateRecord[];
}

function bundleRecordOf(bundle: BundleRecordRow, subscriptions: readonly SubscriptionRecord[]): BundleRecord {
  return { id: bundle.id, recordId: bundle.recordId, accountId: bundle.accountId, externalKey: bundle.externalKey, originalCreatedDate: bundle.originalCreatedDate, subscriptions };
}

/** The stored bundles with the hypothetical subscriptions in place of (or next to) the stored ones. */
function withHypothetical(stored: readonly BundleEntry[], hypothetical: readonly SubscriptionRecord[], account: AccountRow): BundleEntry[] {
  const entries = stored.map((entry) => ({ record: entry.record, blockingStates: entry.blockingStates }));
  for (const subscription of hypothetical) {
    let entry = entries.find((candidate) => candidate.record.id === subscription.bundleId);
    if (!entry) {
      const recordId = Math.max(0, ...entries.map((candidate) => candidate.record.recordId)) + 1;
      entry = {
        record: { id: subscription.bundleId, recordId, accountId: account.id, externalKey: subscription.bundleId, originalCreatedDate: subscription.startDate, subscriptions: [] },
        blockingStates: [],
      };
      entries.push(entry);
    }
    const others = entry.record.subscriptions.filter((candidate) => candidate.id !== subscription.id);
    const replaced = others.length < entry.record.subscriptions.length;
    const subscriptions = replaced ? entry.record.subscriptions.map((candidate) => (candidate.id === subscription.id ? subscription : candidate)) : [...others, subscription];
    entry.record = { ...entry.record, subscriptions };
  }
  return entries;
}
