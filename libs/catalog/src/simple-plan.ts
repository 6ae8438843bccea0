/**
 * Simple plan API (Kill Bill's CatalogUpdater): adds a plan described by a `SimplePlan` body to
 * the tenant's latest catalog version (edited in place), or builds the first version when the
 * tenant has none. Pure: the caller passes the current version and "now".
 */
import Big from 'big.js';
import { StandaloneCatalog, isZeroPrice, priceIn } from './catalog';
import { KillBillError } from '@kb/kernel';
import {
  BillingPeriod,
  CatalogDefinition,
  Currency,
  DEFAULT_PRICE_LIST_NAME,
  Plan,
  PlanPhase,
  PlanRules,
  ProductCategory,
  TimeUnit,
  UNSET_INTEGER,
} from './model';
import { parseCatalogXml } from './parser';
import { validateCatalog } from './validation';
import { catalogToXml } from './xml-writer';

/** Body of `POST /catalog/simplePlan` (swagger `SimplePlan`). */
export interface SimplePlanInput {
  planId?: string | null;
  productName?: string | null;
  productCategory?: ProductCategory | null;
  currency?: Currency | null;
  amount?: Big | null;
  billingPeriod?: BillingPeriod | null;
  trialLength?: number | null;
  trialTimeUnit?: TimeUnit | null;
  availableBaseProducts?: string[] | null;
}

export const DEFAULT_CATALOG_NAME = 'DEFAULT';
const INVALID_PLAN = 'Plan is invalid. Please check.';
const INVALID_PRODUCT_NAME = 'Please provide valid product name.';
const INVALID_PRICE = 'Please check amount and currency. Amount should be greater than 0 and currency should be valid.';
const BASE_PLAN_PRODUCTS_NOT_EMPTY = 'List of available base products should not be empty for add-ons.';
const EXISTING_PRODUCTS_NOT_EMPTY = 'Available base products contain invalid product.Please check.';

/** The rules Kill Bill puts in a catalog it creates itself. */
export function saneDefaultRules(): PlanRules {
  return {
    changePolicy: [{ policy: 'IMMEDIATE' }],
    changeAlignment: [{ alignment: 'START_OF_BUNDLE' }],
    cancelPolicy: [{ policy: 'IMMEDIATE' }],
    createAlignment: [{ alignment: 'START_OF_BUNDLE' }],
    billingAlignment: [{ alignment: 'ACCOUNT' }],
    priceList: [{ toPriceList: DEFAULT_PRICE_LIST_NAME }],
  };
}

/**
 * A first version built by Kill Bill: catalogName DEFAULT, IN_ADVANCE, one empty DEFAULT price
 * list, sane rules. Without currency it is the tenant "template" placeholder.
 */
export function newCatalogDefinition(effectiveDate: Date, currencies: Currency[] = []): CatalogDefinition {
  return {
    effectiveDate,
    catalogName: DEFAULT_CATALOG_NAME,
    recurringBillingMode: 'IN_ADVANCE',
    currencies: [...currencies],
    units: [],
    products: [],
    rules: saneDefaultRules(),
    plans: [],
    priceLists: { defaultPriceList: { name: DEFAULT_PRICE_LIST_NAME, plans: [] }, childPriceLists: [] },
  };
}

/**
 * Effective date of a first version: now - 1 day (so that "today" finds it, Kill Bill #760), or
 * the requested date when it is earlier.
 */
export function firstVersionEffectiveDate(now: Date, requested?: Date): Date {
  const dayBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  return requested === undefined || requested.getTime() > dayBefore.getTime() ? dayBefore : requested;
}

const clone = (def: CatalogDefinition): CatalogDefinition => structuredCloneCatalog(def);

/**
 * Adds the simple plan to `current` (or to a new first version when `current` is undefined) and
 * returns the new definition. Errors: CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR / CAT_FAILED_SIMPLE_PLAN_VALIDATION (2060).
 */
export function addSimplePlan(current: CatalogDefinition | undefined, desc: SimplePlanInput, now: Date): CatalogDefinition {
  if (!desc || desc.planId == null) throw new KillBillError('CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR', [INVALID_PLAN]);
  const def: CatalogDefinition = current
    ? { ...clone(current), recurringBillingMode: 'IN_ADVANCE' }
    : newCatalogDefinition(firstVersionEffectiveDate(now), desc.currency ? [desc.currency] : []);
  const index = () => new StandaloneCatalog(def);

  let plan = def.plans.find((p) => p.name === desc.planId);
  if (!plan && desc.productName == null) throw new KillBillError('CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR', [INVALID_PRODUCT_NAME]);

  // descriptor checks
  if (desc.amount == null || desc.amount.lt(0) || desc.currency == null) {
    throw new KillBillError('CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR', [INVALID_PRICE]);
  }
  const currency = desc.currency;
  const amount = desc.amount;
  if (desc.productCategory === 'ADD_ON') {
    if (!desc.availableBaseProducts || desc.availableBaseProducts.length === 0) {
      throw new KillBillError('CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR', [BASE_PLAN_PRODUCTS_NOT_EMPTY]);
    }
    const cat = index();
    for (const bp of desc.availableBaseProducts) {
      if (!cat.getProduct(bp)) throw new KillBillError('CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR', [EXISTING_PRODUCTS_NOT_EMPTY]);
    }
  }

  const productName = plan?.product ?? (desc.productName as string);
  let product = def.products.find((p) => p.name === productName);
  if (!product) {
    product = { name: productName, category: desc.productCategory ?? 'BASE', included: [], available: [], limits: [] };
    def.products.push(product);
  }

  if (!plan) {
    const initialPhases: PlanPhase[] = [];
    if (desc.trialLength != null && desc.trialLength > 0 && desc.trialTimeUnit !== 'UNLIMITED' && desc.trialTimeUnit != null) {
      initialPhases.push({
        type: 'TRIAL',
        duration: { unit: desc.trialTimeUnit, number: desc.trialLength },
        fixed: { type: 'ONE_TIME', fixedPrice: { prices: [{ currency, value: new Big(0) }] } },
        usages: [],
      });
    }
    plan = {
      name: desc.planId,
      product: product.name,
      recurringBillingMode: def.recurringBillingMode,
      initialPhases,
      finalPhase: {
        type: 'EVERGREEN',
        duration: { unit: 'UNLIMITED', number: UNSET_INTEGER },
        // billing period taken from the descriptor, price list filled below
        recurring: { billingPeriod: desc.billingPeriod ?? 'NO_BILLING_PERIOD', recurringPrice: { prices: [] } },
        usages: [],
      },
      plansAllowedInBundle: UNSET_INTEGER,
    };
    def.plans.push(plan);
    def.priceLists.defaultPriceList.plans.push(plan.name);
  } else {
    validateExistingPlan(plan, desc, currency, amount);
  }

  if (!def.currencies.includes(currency)) {
    def.currencies.push(currency);
    // the $0 trial then becomes "zero in every currency"
    if (plan.initialPhases.length === 1 && plan.initialPhases[0].fixed?.fixedPrice) plan.initialPhases[0].fixed.fixedPrice = { prices: [] };
  }

  const finalPhase = plan.finalPhase;
  if (!finalPhase.recurring) finalPhase.recurring = { billingPeriod: desc.billingPeriod ?? 'NO_BILLING_PERIOD', recurringPrice: { prices: [] } };
  const recurringPrice = (finalPhase.recurring.recurringPrice ??= { prices: [] });
  if (!recurringPrice.prices.some((p) => p.currency === currency)) recurringPrice.prices.push({ currency, value: amount });

  if (desc.productCategory === 'ADD_ON') {
    for (const bp of desc.availableBaseProducts ?? []) {
      const base = def.products.find((p) => p.name === bp)!;
      if (!base.available.includes(product.name)) base.available.push(product.name);
    }
  }
  return def;
}

/** Kill Bill only accepts compatible additions to an existing plan. */
function validateExistingPlan(plan: Plan, desc: SimplePlanInput, currency: Currency, amount: Big): void {
  let failed = false;
  const init = plan.initialPhases;
  if (init.length > 1 || (init.length === 1 && (init[0].type !== 'TRIAL' || !isZeroPrice(init[0].fixed?.fixedPrice)))) {
    failed = true;
  } else if (desc.trialLength != null && desc.trialTimeUnit != null) {
    const descHasTrial = desc.trialLength > 0 && desc.trialTimeUnit !== 'UNLIMITED';
    const planHasTrial = init.length === 1;
    if (descHasTrial !== planHasTrial) failed = true;
    else if (descHasTrial && (init[0].duration.unit !== desc.trialTimeUnit || init[0].duration.number !== desc.trialLength)) failed = true;
  }
  if (!failed) {
    if (plan.finalPhase.type !== 'EVERGREEN') failed = true;
    else if (desc.billingPeriod != null && plan.finalPhase.recurring?.billingPeriod !== desc.billingPeriod) failed = true;
    else if (plan.finalPhase.recurring?.recurringPrice) {
      try {
        if (!priceIn(plan.finalPhase.recurring.recurringPrice, currency).eq(amount)) failed = true;
      } catch {
        // currency not priced yet: it will be added
      }
    }
  }
  if (failed) throw new KillBillError('CAT_FAILED_SIMPLE_PLAN_VALIDATION', [plan.name, JSON.stringify(desc)]);
}

/**
 * Adds the simple plan and serialises the result; the XML is re-parsed and validated before it is
 * returned (Kill Bill refuses to store an invalid result: CAT_INVALID_FOR_TENANT).
 */
export function addSimplePlanToXml(currentXml: string | undefined, desc: SimplePlanInput, now: Date, tenantRecordId: number | string | bigint = ''): string {
  const current = currentXml === undefined ? undefined : parseCatalogXml(currentXml);
  if (current && !current.ok) throw new KillBillError('CAT_INVALID_FOR_TENANT', [String(tenantRecordId)]);
  const updated = addSimplePlan(current?.ok ? current.catalog : undefined, desc, now);
  const xml = catalogToXml(updated);
  const reparsed = parseCatalogXml(xml);
  if (!reparsed.ok || validateCatalog(reparsed.catalog).length > 0) {
    throw new KillBillError('CAT_INVALID_FOR_TENANT', [String(tenantRecordId)]);
  }
  return xml;
}

/** Template version XML for a new tenant (or after DELETE /catalog). */
export function templateCatalogXml(effectiveDate: Date): string {
  return catalogToXml(newCatalogDefinition(effectiveDate));
}

/** Deep copy of a definition (Big and Date are immutable values, shared safely). */
function structuredCloneCatalog(def: CatalogDefinition): CatalogDefinition {
  const copy = <T>(v: T): T => {
    if (v === null || typeof v !== 'object' || v instanceof Big || v instanceof Date) return v;
    if (Array.isArray(v)) return v.map(copy) as unknown as T;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x);
    return out as T;
  };
  return copy(def);
}
