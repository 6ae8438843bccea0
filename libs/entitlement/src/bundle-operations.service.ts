import { Injectable, NotFoundException } from '@nestjs/common';
import { type AccountRow, AccountService } from '@kb/account';
import { Clock, KillBillException, InvalidRequestException, Locks, tenantRepository, Transactions, withUniqueIndexes } from '@kb/platform';
import { BlockingStateService, type NewBlockingState } from './blocking-state.service';
import type { BlockingStateType } from './blocking-state.entity';
import { BundleRow, visibleBundleKey } from './bundle.entity';
import { SubscriptionRow } from './subscription.entity';
import { ENT_BLOCKED, ENT_CANCELLED, ENT_CLEAR, ENTITLEMENT_SERVICE } from './engine/subscription-events';

const EXTERNAL_KEY_LIMIT = 255;
/** State names only the entitlement service may set (Kill Bill's DefaultSubscriptionApi#addBlockingState). */
const RESERVED_STATE_NAMES = new Set([ENT_CANCELLED, ENT_BLOCKED, ENT_CLEAR]);

/** Pausing a bundle blocks change, entitlement and billing; resuming clears all three. */
const PAUSE: NewBlockingState = { stateName: ENT_BLOCKED, service: ENTITLEMENT_SERVICE, isBlockChange: true, isBlockEntitlement: true, isBlockBilling: true };
const RESUME: NewBlockingState = { stateName: ENT_CLEAR, service: ENTITLEMENT_SERVICE, isBlockChange: false, isBlockEntitlement: false, isBlockBilling: false };

/**
 * Writes on a bundle (Kill Bill's BundleResource pause / resume / block / renameKey) and the
 * subscription blocking state, each under the account's lock in one transaction.
 */
@Injectable()
export class BundleOperationsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly blockingStates: BlockingStateService,
  ) {}

  /** PUT /bundles/{id}/pause: ENT_BLOCKED on the bundle at `requestedDate` (now when absent). */
  pause(bundleId: string, requestedDate?: string): Promise<void> {
    return this.pauseOrResume(bundleId, PAUSE, requestedDate);
  }

  /** PUT /bundles/{id}/resume: ENT_CLEAR on the bundle. */
  resume(bundleId: string, requestedDate?: string): Promise<void> {
    return this.pauseOrResume(bundleId, RESUME, requestedDate);
  }

  /** POST /bundles/{id}/block; answers the account whose blocking states list it. */
  async addBundleBlockingState(bundleId: string, input: NewBlockingState, requestedDate?: string): Promise<{ accountId: string }> {
    const bundle = await this.requireBundle(bundleId);
    return this.addBlockingState(bundle.accountId, { id: bundle.id, type: 'SUBSCRIPTION_BUNDLE' }, input, requestedDate);
  }

  /** POST /subscriptions/{id}/block. */
  async addSubscriptionBlockingState(subscriptionId: string, input: NewBlockingState, requestedDate?: string): Promise<{ accountId: string }> {
    const subscription = await tenantRepository(this.transactions.manager(), SubscriptionRow).findOne({ where: { id: subscriptionId } });
    if (!subscription) throw new NotFoundException(`Object id=${subscriptionId} type=SUBSCRIPTION doesn't exist!`);
    const bundle = await this.requireBundle(subscription.bundleId);
    return this.addBlockingState(bundle.accountId, { id: subscription.id, type: 'SUBSCRIPTION' }, input, requestedDate);
  }

  /**
   * PUT /bundles/{id}/renameKey. A key held by another bundle is refused (1014), as a create with
   * that key would be; the stored key of a renamed (cancelled or transferred) bundle is replaced.
   */
  async renameExternalKey(bundleId: string, externalKey: string | null | undefined): Promise<void> {
    if (!externalKey) throw new InvalidRequestException('BundleJson externalKey needs to be set');
    if (externalKey.length > EXTERNAL_KEY_LIMIT) throw new KillBillException('EXTERNAL_KEY_LIMIT_EXCEEDED');
    const bundle = await this.requireBundle(bundleId);
    await withUniqueIndexes(
      () =>
        this.locks.withAccountLock(bundle.accountId, async (manager) => {
          const bundles = tenantRepository(manager, BundleRow, bundle.tenantRecordId);
          const row = await bundles.findOne({ where: { id: bundleId } });
          if (!row) throw new NotFoundException(`Object id=${bundleId} type=BUNDLE doesn't exist!`);
          if (row.externalKey === externalKey) return;
          const holder = await bundles.findOne({ where: { externalKey } });
          if (holder) throw new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [visibleBundleKey(externalKey)]);
          row.externalKey = externalKey;
          row.updatedDate = this.clock.now();
          await bundles.save(row);
        }),
      { bundles_external_key: () => new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [externalKey]) },
    );
  }

  private async pauseOrResume(bundleId: string, state: NewBlockingState, requestedDate: string | undefined): Promise<void> {
    const bundle = await this.requireBundle(bundleId);
    await this.locks.withAccountLock(bundle.accountId, async (manager) => {
      const account = await this.accounts.requireById(manager, bundle.accountId);
      const base = await tenantRepository(manager, SubscriptionRow, bundle.tenantRecordId).findOne({ where: { bundleId: bundle.id, category: 'BASE' } });
      // Raised inside the entitlement write path: Kill Bill wraps it, hence a 400.
      if (!base) throw new KillBillException('SUB_GET_NO_SUCH_BASE_SUBSCRIPTION', [bundle.id], { status: 400 });
      await this.blockingStates.insert(account, state, this.blockingStates.effectiveDate(account, requestedDate), { id: bundle.id, type: 'SUBSCRIPTION_BUNDLE' });
    });
  }

  private async addBlockingState(
    accountId: string,
    blockable: { readonly id: string; readonly type: BlockingStateType },
    input: NewBlockingState,
    requestedDate: string | undefined,
  ): Promise<{ accountId: string }> {
    if (!input.service || input.service === ENTITLEMENT_SERVICE) throw new KillBillException('SUB_BLOCKING_STATE_INVALID_ARG', ['Need to specify a valid serviceName']);
    if (!input.stateName || RESERVED_STATE_NAMES.has(input.stateName)) throw new KillBillException('SUB_BLOCKING_STATE_INVALID_ARG', ['Need to specify a valid stateName']);
    // Only the name, the service and the flags are read: the date is the query's, the blockable the path's.
    const state: NewBlockingState = {
      stateName: input.stateName,
      service: input.service,
      isBlockChange: input.isBlockChange === true,
      isBlockEntitlement: input.isBlockEntitlement === true,
      isBlockBilling: input.isBlockBilling === true,
    };
    await this.locks.withAccountLock(accountId, async (manager) => {
      const account: AccountRow = await this.accounts.requireById(manager, accountId);
      await this.blockingStates.insert(account, state, this.blockingStates.effectiveDate(account, requestedDate), blockable);
    });
    return { accountId };
  }

  private async requireBundle(bundleId: string): Promise<BundleRow> {
    const bundle = await tenantRepository(this.transactions.manager(), BundleRow).findOne({ where: { id: bundleId } });
    if (!bundle) throw new NotFoundException(`Object id=${bundleId} type=BUNDLE doesn't exist!`);
    return bundle;
  }
}
