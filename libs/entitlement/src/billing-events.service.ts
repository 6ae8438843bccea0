import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Currency } from '@kb/kernel';
import { PriceOverrideService, type VersionedCatalog } from '@kb/catalog';
import type { AccountRow } from '@kb/account';
import { Clock } from '@kb/platform';
import { BundleRow } from './bundle.entity';
import { EntitlementStore } from './entitlement-store';
import { withAddOnCascade } from './engine/add-on-cascade';
import { type BillingEventsResult, computeBillingEvents } from './engine/billing-events';
import type { BlockingStateRecord, BundleRecord } from './engine/subscription-events';

export interface AccountBillingEvents extends BillingEventsResult {
  readonly catalog: VersionedCatalog;
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

  async forAccount(manager: EntityManager, account: AccountRow, options: { excludedBundleIds?: ReadonlySet<string>; dryRun?: boolean } = {}): Promise<AccountBillingEvents> {
    const catalog = await this.catalogs.catalog();
    const bundleRows = await manager
      .getRepository(BundleRow)
      .createQueryBuilder('b')
      .where('b.tenant_record_id = :tenant AND b.account_id = :accountId', { tenant: account.tenantRecordId, accountId: account.id })
      .orderBy('b.record_id')
      .getMany();
    const excluded = options.excludedBundleIds ?? new Set<string>();
    const loaded = await this.store.loadBundles(
      manager,
      account.tenantRecordId,
      bundleRows.filter((bundle) => !excluded.has(bundle.id)),
    );
    const blockingStates = new Map<string, BlockingStateRecord>();
    const bundles: BundleRecord[] = loaded.map((entry) => {
      const cascaded = withAddOnCascade({ catalog, subscriptions: entry.subscriptions, blockingStates: entry.blockingStates });
      for (const state of cascaded.blockingStates) blockingStates.set(state.id, state);
      return {
        id: entry.bundle.id,
        recordId: entry.bundle.recordId,
        accountId: entry.bundle.accountId,
        externalKey: entry.bundle.externalKey,
        originalCreatedDate: entry.bundle.originalCreatedDate,
        subscriptions: cascaded.subscriptions,
      };
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
    return { ...result, catalog };
  }
}
