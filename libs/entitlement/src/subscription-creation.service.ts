import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ZoneId } from '@js-joda/core';
import { toAccountInstant, toJsDate } from '@kb/kernel';
import {
  type BillingPeriod,
  type Currency,
  type PhasePriceOverride,
  type PhaseType,
  type PlanSpecifier,
  PriceOverrideService,
  type UsagePriceOverride,
  type VersionedCatalog,
} from '@kb/catalog';
import type Big from 'big.js';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import {
  Clock,
  InvalidRequestException,
  KillBillException,
  Locks,
  Queues,
  requireDateOrDateTime,
  tenantRepository,
  Transactions,
  withUniqueIndexes,
  currentTenant,
} from '@kb/platform';
import { BlockingStateService } from './blocking-state.service';
import { BundleRow, CANCELLED_BUNDLE_KEY_PREFIX, visibleBundleKey } from './bundle.entity';
import { EntitlementStore, type LoadedBundle } from './entitlement-store';
import { SubscriptionCreation } from './entitlement-events';
import { SubscriptionRow } from './subscription.entity';
import { SubscriptionService } from './subscription.service';
import { ENT_STARTED, ENTITLEMENT_SERVICE, type SubscriptionRecord } from './engine/subscription-events';
import { planCreation, resolvePlan, type ResolvedPlan } from './engine/subscription-creation';
import { aggregateBlocking, computeSubscriptionView } from './engine/subscription-view';
import { lastPlanTransition } from './engine/policies';

/** One element of a create request (Kill Bill's SubscriptionJson, as the create reads it). */
export interface SubscriptionSpec {
  readonly accountId?: string | null;
  readonly bundleId?: string | null;
  readonly bundleExternalKey?: string | null;
  readonly externalKey?: string | null;
  readonly planName?: string | null;
  readonly productName?: string | null;
  readonly productCategory?: string | null;
  readonly billingPeriod?: string | null;
  readonly priceList?: string | null;
  readonly phaseType?: string | null;
  readonly billCycleDayLocal?: number | null;
  readonly quantity?: number | null;
  readonly priceOverrides?: readonly SubscriptionPriceOverride[] | null;
}

/** One element of a spec's `priceOverrides` (Kill Bill's PhasePriceJson on input), in the account currency. */
export interface SubscriptionPriceOverride {
  readonly phaseName?: string | null;
  readonly phaseType?: string | null;
  readonly fixedPrice?: Big | null;
  readonly recurringPrice?: Big | null;
  readonly usagePrices?: readonly UsagePriceOverride[] | null;
}

export interface CreateOptions {
  readonly entitlementDate?: string;
  readonly billingDate?: string;
  readonly renameKeyIfExistsAndUnused: boolean;
  readonly migrated: boolean;
  readonly callCompletion: boolean;
  readonly callTimeoutSec: number;
}

export interface CreatedSubscriptions {
  readonly accountId: string;
  readonly bundles: readonly { readonly bundleId: string; readonly subscriptionIds: readonly string[] }[];
}

const EXTERNAL_KEY_LIMIT = 255;
const COMPLETION_POLL_MS = 50;

/**
 * Creates subscriptions (Kill Bill's SubscriptionResource create endpoints + EntitlementApi
 * createBaseEntitlementsWithAddOns): every bundle of the request in one transaction under the
 * account lock, writing bundles, subscriptions, their events, the ENT_STARTED blocking states, the
 * bus events and the notifications of future events together.
 */
@Injectable()
export class SubscriptionCreationService {
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

  async create(bundles: readonly (readonly SubscriptionSpec[])[], options: CreateOptions): Promise<CreatedSubscriptions> {
    const accountId = validateRequest(bundles);
    const tenantRecordId = currentTenant().recordId;
    const created = await withUniqueIndexes(
      () =>
        this.locks.withAccountLock(accountId, async (manager) => {
          const account = await this.accounts.requireById(manager, accountId);
          const catalog = await this.catalogs.catalog();
          const result: { bundleId: string; subscriptionIds: string[] }[] = [];
          for (const specs of bundles) result.push(await this.createBundle(account, catalog, specs, options));
          return { accountId, bundles: result };
        }),
      {
        bundles_external_key: () =>
          new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [bundles[0]?.find((s) => s.bundleExternalKey)?.bundleExternalKey ?? '']),
        subscriptions_external_key: () =>
          new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [bundles.flat().find((s) => s.externalKey)?.externalKey ?? '']),
      },
    );
    if (options.callCompletion) await this.waitForCompletion(tenantRecordId, options.callTimeoutSec);
    return created;
  }

  private async createBundle(account: AccountRow, catalog: VersionedCatalog, specs: readonly SubscriptionSpec[], options: CreateOptions) {
    const now = this.clock.now();
    const time = accountTimeOf(account);
    const toInstant = (text: string | undefined, name: string): Date => {
      if (!text) return now;
      const parsed = requireDateOrDateTime(text, name);
      return parsed.kind === 'dateTime' ? toJsDate(parsed.instant) : toJsDate(toAccountInstant(parsed.date, time));
    };
    const entitlementDate = toInstant(options.entitlementDate, 'entitlementDate');
    let billingDate = toInstant(options.billingDate, 'billingDate');
    for (const spec of specs) {
      if (spec.externalKey && spec.externalKey.length > EXTERNAL_KEY_LIMIT) throw new KillBillException('EXTERNAL_KEY_LIMIT_EXCEEDED');
    }
    const bundleExternalKey = specs.find((spec) => spec.bundleExternalKey)?.bundleExternalKey ?? undefined;
    if (bundleExternalKey && bundleExternalKey.length > EXTERNAL_KEY_LIMIT) throw new KillBillException('EXTERNAL_KEY_LIMIT_EXCEEDED');
    const bundleId = specs.find((spec) => spec.bundleId)?.bundleId ?? undefined;

    const resolved = specs.map((spec) => ({ spec, plan: resolvePlan(catalog, planSpecifierOf(spec), billingDate) }));
    const bases = resolved.filter((r) => r.plan.category === 'BASE');
    if (bases.length > 1) throw new KillBillException('SUB_CREATE_INVALID_ENTITLEMENT_SPECIFIER', ['multiple base plan specifiers']);
    const standalone = resolved.filter((r) => r.plan.category === 'STANDALONE');
    if (standalone.length > 0 && standalone.length < resolved.length) {
      throw new KillBillException('SUB_CREATE_INVALID_ENTITLEMENT_SPECIFIER', ['STANDALONE plans cannot be mixed with BASE or ADD_ON plans']);
    }
    const createsBundle = bases.length > 0 || standalone.length > 0;
    const manager = this.transactions.manager();
    const bundles = tenantRepository(manager, BundleRow, account.tenantRecordId);
    this.checkAccountBlocking(await this.loadedAccountStates(account), account.id, entitlementDate);

    // The bundle: given by id, found by key (add-ons to an existing bundle), or new.
    let bundle: BundleRow | null = null;
    if (bundleId) {
      bundle = await bundles.findOne({ where: { id: bundleId } });
      const count = bundle ? await tenantRepository(manager, SubscriptionRow, account.tenantRecordId).count({ where: { bundleId } }) : 0;
      if (!bundle || count === 0) throw new KillBillException('SUB_NO_ACTIVE_SUBSCRIPTIONS', [bundleId]);
      if (bundleExternalKey && visibleBundleKey(bundle.externalKey) !== bundleExternalKey) {
        throw new KillBillException('SUB_CREATE_INVALID_ENTITLEMENT_SPECIFIER', [`bundleId ${bundleId} does not match bundleExternalKey ${bundleExternalKey}`]);
      }
    } else if (!createsBundle && bundleExternalKey) {
      bundle = await bundles.findOne({ where: { externalKey: bundleExternalKey } });
      if (bundle && bundle.accountId !== account.id) throw new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [bundleExternalKey]);
    }
    if (!bundle && !createsBundle) throw new KillBillException('SUB_CREATE_NO_BP', [bundleExternalKey ?? bundleId ?? null]);
    if (bundle && bundle.accountId !== account.id) throw new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [visibleBundleKey(bundle.externalKey)]);

    const loaded = bundle ? (await this.store.loadBundles(manager, account.tenantRecordId, [bundle]))[0] : undefined;
    let existingBase = loaded?.subscriptions.find((s) => s.category === 'BASE');
    if (existingBase && bases.length > 0) {
      const state = this.stateOf(loaded!, existingBase, catalog, account, now);
      if (state !== 'CANCELLED' && state !== 'EXPIRED') throw new KillBillException('SUB_CREATE_BP_EXISTS', [bundle!.id]);
      existingBase = undefined;
    }
    if (existingBase) {
      // Add-ons to an existing base: its start bounds the dates; its state and blocking allow them.
      const view = this.viewOf(loaded!, existingBase, catalog, account, now);
      if (view.state === 'CANCELLED' || (view.state === 'PENDING' && entitlementDate < view.entitlementStartDate)) {
        throw new KillBillException('SUB_GET_NO_SUCH_BASE_SUBSCRIPTION', [bundle!.id]);
      }
      if (entitlementDate < view.entitlementStartDate) {
        throw new KillBillException('SUB_INVALID_REQUESTED_DATE', [entitlementDate.toISOString(), view.entitlementStartDate.toISOString()]);
      }
      const baseBlocking = aggregateBlocking(
        loaded!.blockingStates
          .filter((s) => s.type !== 'SUBSCRIPTION' || s.blockedId === existingBase!.id)
          .filter((s) => s.service !== ENTITLEMENT_SERVICE || s.type !== 'SUBSCRIPTION'),
        entitlementDate,
      );
      if (baseBlocking.blockChange) throw new KillBillException('BLOCK_BLOCKED_ACTION', ['Change', 'Subscription', existingBase.id]);
      if (baseBlocking.blockEntitlement) throw new KillBillException('BLOCK_BLOCKED_ACTION', ['Entitlement', 'Subscription', existingBase.id]);
      if (billingDate < existingBase.startDate) billingDate = existingBase.startDate;
      if (view.billingEndDate && view.billingEndDate <= billingDate) throw new KillBillException('SUB_CREATE_AO_BP_NON_ACTIVE', [resolved[0]?.plan.plan.name]);
    }

    if (!bundle) bundle = await this.newBundle(account, bundleExternalKey, options.renameKeyIfExistsAndUnused, catalog, now);

    // The base first (it aligns the bundle), then the others in request order.
    const ordered = [...bases, ...resolved.filter((r) => r.plan.category !== 'BASE')];
    // An existing base is judged by the plan it has when the add-on starts (a change may have replaced its first one).
    const baseTransition = existingBase ? lastPlanTransition(existingBase, billingDate) : undefined;
    const basePlan: ResolvedPlan | undefined =
      bases[0]?.plan ??
      (existingBase ? resolvePlan(catalog, { planName: baseTransition?.planName ?? '' }, baseTransition?.effectiveDate ?? existingBase.startDate) : undefined);
    const bundleStartDate = bases.length > 0 ? billingDate : (existingBase?.startDate ?? billingDate);
    const planCounts = new Map<string, number>();
    for (const s of loaded?.subscriptions ?? []) {
      const name = lastPlanTransition(s, billingDate)?.planName;
      if (name && this.stateOf(loaded!, s, catalog, account, now) !== 'CANCELLED') planCounts.set(name, (planCounts.get(name) ?? 0) + 1);
    }
    const subscriptionIds: string[] = [];
    for (const { spec, plan } of ordered) {
      if (plan.category === 'ADD_ON') this.checkAddOn(plan, basePlan, planCounts);
      subscriptionIds.push(await this.createSubscription(account, bundle, catalog, spec, bundleStartDate, billingDate, entitlementDate, options.migrated));
    }
    bundle.lastSysUpdateDate = now;
    await bundles.save(bundle);
    return { bundleId: bundle.id, subscriptionIds };
  }

  private checkAddOn(addOn: ResolvedPlan, base: ResolvedPlan | undefined, planCounts: Map<string, number>): void {
    if (!base) throw new KillBillException('SUB_CREATE_NO_BP', [null]);
    const addOnProduct = addOn.product.name;
    if (base.product.included.includes(addOnProduct)) throw new KillBillException('SUB_CREATE_AO_ALREADY_INCLUDED', [addOn.plan.name, base.plan.name]);
    if (!base.product.available.includes(addOnProduct)) throw new KillBillException('SUB_CREATE_AO_NOT_AVAILABLE', [addOn.plan.name, base.plan.name]);
    const count = (planCounts.get(addOn.plan.name) ?? 0) + 1;
    const allowed = addOn.plan.plansAllowedInBundle;
    if (allowed > 0 && count > allowed) throw new KillBillException('SUB_CREATE_AO_MAX_PLAN_ALLOWED_BY_BUNDLE', [addOn.plan.name]);
    planCounts.set(addOn.plan.name, count);
  }

  /**
   * A new bundle for `key` (its id when none). A bundle of the account with that key and no
   * subscription is reused; one whose non-add-on subscriptions are all cancelled is renamed
   * `kbcncl-<recordId>:<key>` when `rename` allows it; any other holder of the key refuses (1014).
   */
  private async newBundle(account: AccountRow, key: string | undefined, rename: boolean, catalog: VersionedCatalog, now: Date): Promise<BundleRow> {
    const manager = this.transactions.manager();
    const bundles = tenantRepository(manager, BundleRow, account.tenantRecordId);
    const id = randomUUID();
    const externalKey = key ?? id;
    const holder = await bundles.findOne({ where: { externalKey } });
    if (holder) {
      const [loaded] = await this.store.loadBundles(manager, account.tenantRecordId, [holder]);
      if (holder.accountId === account.id && loaded.subscriptions.length === 0) return holder;
      const holderAccount = holder.accountId === account.id ? account : await this.accounts.requireById(manager, holder.accountId);
      const live = loaded.subscriptions
        .filter((s) => s.category !== 'ADD_ON')
        .some((s) => this.stateOf(loaded, s, catalog, holderAccount, now) !== 'CANCELLED');
      if (live || !rename) throw new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [externalKey]);
      holder.externalKey = `${CANCELLED_BUNDLE_KEY_PREFIX}${holder.recordId}:${externalKey}`;
      holder.updatedDate = now;
      await bundles.save(holder);
    }
    const bundle = bundles.create({
      id,
      externalKey,
      accountId: account.id,
      originalCreatedDate: now,
      lastSysUpdateDate: now,
      accountRecordId: account.recordId,
    });
    return bundles.save(bundle);
  }

  private async createSubscription(
    account: AccountRow,
    bundle: BundleRow,
    catalog: VersionedCatalog,
    spec: SubscriptionSpec,
    bundleStartDate: Date,
    billingDate: Date,
    entitlementDate: Date,
    migrated: boolean,
  ): Promise<string> {
    const repository = tenantRepository(this.transactions.manager(), SubscriptionRow, account.tenantRecordId);
    const id = randomUUID();
    const externalKey = spec.externalKey ?? id;
    if (await repository.exists({ where: { externalKey } })) throw new KillBillException('SUB_CREATE_ACTIVE_BUNDLE_KEY_EXISTS', [externalKey]);
    const target = await this.withPriceOverrides(account, catalog, spec, billingDate);
    const plan = planCreation({
      catalog: target.catalog,
      spec: target.spec,
      phaseType: (spec.phaseType as PhaseType | null | undefined) ?? null,
      billingDate,
      bundleStartDate,
      billCycleDayLocal: spec.billCycleDayLocal ?? null,
      quantity: spec.quantity ?? null,
    });
    const row = repository.create({
      id,
      bundleId: bundle.id,
      externalKey,
      category: plan.category,
      startDate: billingDate,
      bundleStartDate: plan.category === 'BASE' || plan.category === 'STANDALONE' ? billingDate : bundleStartDate,
      chargedThroughDate: null,
      migrated,
      accountRecordId: account.recordId,
    });
    await repository.save(row);
    await this.subscriptions.writeEvents(row, bundle, plan.events);
    await this.blockingStates.insert(account, { stateName: ENT_STARTED, service: ENTITLEMENT_SERVICE }, entitlementDate, { id, type: 'SUBSCRIPTION' });
    await this.queues.post(
      SubscriptionCreation,
      {
        subscriptionId: id,
        bundleId: bundle.id,
        accountId: account.id,
        entitlementDate: entitlementDate.toISOString(),
        billingDate: billingDate.toISOString(),
      },
      { accountRecordId: account.recordId },
    );
    return id;
  }

  /** A spec with price overrides is on the overridden plan (created or reused), in the catalog that holds it. */
  private async withPriceOverrides(account: AccountRow, catalog: VersionedCatalog, spec: SubscriptionSpec, billingDate: Date) {
    const overrides = spec.priceOverrides ?? [];
    if (overrides.length === 0) return { catalog, spec: planSpecifierOf(spec) };
    if (!account.currency) throw new InvalidRequestException('Price overrides need the account currency to be set');
    const { version, plan } = resolvePlan(catalog, planSpecifierOf(spec), billingDate);
    const overridden = await this.catalogs.overriddenPlan(version, plan, phasePriceOverridesOf(overrides), account.currency as Currency);
    return { catalog: overridden.catalog, spec: { planName: overridden.planName } };
  }

  private async loadedAccountStates(account: AccountRow) {
    const [states] = await Promise.all([
      this.transactions
        .manager()
        .query(
          `SELECT service, block_change, effective_date, record_id, id, state FROM blocking_states WHERE tenant_record_id = $1 AND blockable_id = $2 AND type = 'ACCOUNT' AND is_active`,
          [account.tenantRecordId, account.id],
        ) as Promise<{ service: string; block_change: boolean; effective_date: Date; record_id: string; id: string; state: string }[]>,
    ]);
    return states.map((s) => ({
      id: s.id,
      recordId: Number(s.record_id),
      blockedId: account.id,
      type: 'ACCOUNT' as const,
      stateName: s.state,
      service: s.service,
      blockChange: s.block_change,
      blockEntitlement: false,
      blockBilling: false,
      effectiveDate: s.effective_date,
    }));
  }

  private checkAccountBlocking(states: Parameters<typeof aggregateBlocking>[0], accountId: string, at: Date): void {
    if (aggregateBlocking(states, at).blockChange) throw new KillBillException('BLOCK_BLOCKED_ACTION', ['Change', 'Account', accountId]);
  }

  private viewOf(loaded: LoadedBundle, subscription: SubscriptionRecord, catalog: VersionedCatalog, account: AccountRow, now: Date) {
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

  private stateOf(loaded: LoadedBundle, subscription: SubscriptionRecord, catalog: VersionedCatalog, account: AccountRow, now: Date) {
    return this.viewOf(loaded, subscription, catalog, account, now).state;
  }

  /** callCompletion: as Kill Bill, wait (bounded) until the bus and due notifications are processed. */
  private async waitForCompletion(tenantRecordId: number, timeoutSec: number): Promise<void> {
    const deadline = performance.now() + Math.max(0, timeoutSec) * 1000;
    while (!(await this.queues.isIdle(tenantRecordId))) {
      if (performance.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, COMPLETION_POLL_MS));
    }
  }
}

function planSpecifierOf(spec: SubscriptionSpec): PlanSpecifier {
  return spec.planName
    ? { planName: spec.planName }
    : {
        productName: spec.productName ?? undefined,
        billingPeriod: (spec.billingPeriod as BillingPeriod | null) ?? undefined,
        priceListName: spec.priceList ?? undefined,
      };
}

/** The request checks Kill Bill's SubscriptionResource makes before anything (IllegalArgumentException → 400). */
function validateRequest(bundles: readonly (readonly SubscriptionSpec[])[]): string {
  if (bundles.length === 0) throw new InvalidRequestException('No subscription specified to create');
  for (const specs of bundles) if (!specs || specs.length === 0) throw new InvalidRequestException('SubscriptionJson body should be specified');
  const all = bundles.flat();
  for (const spec of all) {
    if (spec.planName) {
      for (const [field, value] of [
        ['productName', spec.productName],
        ['productCategory', spec.productCategory],
        ['billingPeriod', spec.billingPeriod],
        ['priceList', spec.priceList],
      ] as const) {
        if (value != null) throw new InvalidRequestException(`SubscriptionJson ${field} should not be set when planName is specified`);
      }
    } else {
      for (const [field, value] of [
        ['productName', spec.productName],
        ['productCategory', spec.productCategory],
        ['billingPeriod', spec.billingPeriod],
        ['priceList', spec.priceList],
      ] as const) {
        if (value == null) throw new InvalidRequestException(`SubscriptionJson ${field} needs to be set when no planName is specified`);
      }
    }
  }
  checkPriceOverrides(all.flatMap((spec) => spec.priceOverrides ?? []));
  const accountId = all[0].accountId;
  if (!accountId) throw new NotFoundException("Object id=null type=ACCOUNT doesn't exist!");
  if (all.some((spec) => spec.accountId !== accountId)) throw new InvalidRequestException('SubscriptionJson accountId should be the same for each element');
  for (const specs of bundles) {
    const bundleIds = new Set(specs.map((s) => s.bundleId).filter((id) => id != null));
    if (bundleIds.size > 1) throw new InvalidRequestException('SubscriptionJson bundleId should be the same for each element');
    const keys = new Set(specs.map((s) => s.bundleExternalKey).filter((key) => key != null));
    if (keys.size > 1) throw new InvalidRequestException('SubscriptionJson externalKey should be the same for each element');
  }
  return accountId;
}

/** Kill Bill's request check on each price override entry (create and change). */
export function checkPriceOverrides(overrides: readonly SubscriptionPriceOverride[]): void {
  for (const override of overrides) {
    if (override.fixedPrice == null && override.recurringPrice == null && !(override.usagePrices && override.usagePrices.length > 0)) {
      throw new InvalidRequestException('At least one fixed price, one recurring price or one usage price must be overridden');
    }
  }
}

/** A request's price overrides as the catalog reads them. */
export function phasePriceOverridesOf(overrides: readonly SubscriptionPriceOverride[]): PhasePriceOverride[] {
  return overrides.map((o) => ({ ...o, phaseType: (o.phaseType as PhaseType | null | undefined) ?? null }));
}
