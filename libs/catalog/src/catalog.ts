/**
 * `StandaloneCatalog`: one parsed catalog version with its lookup indexes. All lookups are map
 * reads; nothing here knows about a clock or a database.
 */
import Big from 'big.js';
import { KillBillError } from '@kb/kernel';
import {
  BILLING_PERIODS,
  Block,
  BillingMode,
  BillingPeriod,
  CatalogDefinition,
  Currency,
  DEFAULT_PRICE_LIST_NAME,
  InternationalPrice,
  PHASE_TYPES,
  Plan,
  PlanPhase,
  PriceList,
  Product,
  allPhases,
  phaseName,
} from './model';
import { parseCatalogXmlOrThrow } from './parser';

/** A plan offered through a price list (Kill Bill's `Listing`). */
export interface Listing {
  plan: Plan;
  priceList: PriceList;
}

/** How a caller designates a plan: by name, or by the {product, billing period, price list} triple. */
export interface PlanSpecifier {
  planName?: string;
  productName?: string;
  billingPeriod?: BillingPeriod;
  priceListName?: string;
}

/** An overridden plan and the catalog plan it is built on. */
export interface OverriddenPlanEntry {
  plan: Plan;
  parentPlanName: string;
}

export interface PlanPhaseSpecifier extends PlanSpecifier {
  phaseType?: (typeof PHASE_TYPES)[number];
}

const tripleKey = (product: string, billingPeriod: BillingPeriod) => `${product}|${billingPeriod}`;

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class StandaloneCatalog {
  private readonly plansByName = new Map<string, Plan>();
  private readonly productsByName = new Map<string, Product>();
  private readonly priceListsByName = new Map<string, PriceList>();
  /** plan name -> first price list holding it (DEFAULT first, then children in document order). */
  private readonly planPriceList = new Map<string, PriceList>();
  private readonly plansByProduct = new Map<string, Plan[]>();
  /** price list -> "product|billingPeriod" -> plans (name order): triple lookups are map reads. */
  private readonly planIndex = new Map<string, Map<string, Plan[]>>();
  private readonly priceListPlanSets = new Map<string, Set<string>>();
  /** Plans / products sorted by name: Kill Bill keeps them in name-ordered collections. */
  readonly sortedPlans: readonly Plan[];
  readonly sortedProducts: readonly Product[];
  readonly allPriceLists: readonly PriceList[];

  /**
   * `overriddenPlans`: plans of price overrides (see price-override.ts), found by name and in their
   * parent's price list but listed nowhere.
   */
  constructor(
    readonly definition: CatalogDefinition,
    private readonly overriddenPlans: readonly OverriddenPlanEntry[] = [],
  ) {
    for (const p of definition.products) if (!this.productsByName.has(p.name)) this.productsByName.set(p.name, p);
    for (const p of definition.plans) {
      if (this.plansByName.has(p.name)) continue;
      this.plansByName.set(p.name, p);
      if (p.product !== undefined) {
        const list = this.plansByProduct.get(p.product) ?? [];
        list.push(p);
        this.plansByProduct.set(p.product, list);
      }
    }
    this.allPriceLists = [definition.priceLists.defaultPriceList, ...definition.priceLists.childPriceLists];
    for (const pl of this.allPriceLists) {
      if (!this.priceListsByName.has(pl.name)) this.priceListsByName.set(pl.name, pl);
      for (const planName of pl.plans) if (!this.planPriceList.has(planName)) this.planPriceList.set(planName, pl);
    }
    for (const pl of this.allPriceLists) {
      if (this.planIndex.has(pl.name)) continue;
      const names = [...new Set(pl.plans)].sort();
      this.priceListPlanSets.set(pl.name, new Set(names));
      const index = new Map<string, Plan[]>();
      for (const planName of names) {
        const plan = this.plansByName.get(planName);
        if (!plan || plan.product === undefined) continue;
        const key = tripleKey(plan.product, recurringBillingPeriod(plan));
        const list = index.get(key) ?? [];
        list.push(plan);
        index.set(key, list);
      }
      this.planIndex.set(pl.name, index);
    }
    this.sortedPlans = [...this.plansByName.values()].sort(byName);
    this.sortedProducts = [...this.productsByName.values()].sort(byName);
    for (const { plan, parentPlanName } of overriddenPlans) {
      if (this.plansByName.has(plan.name)) continue;
      this.plansByName.set(plan.name, plan);
      const priceList = this.planPriceList.get(parentPlanName);
      if (priceList) this.planPriceList.set(plan.name, priceList);
    }
  }

  /** This version with more overridden plans (a new instance: versions are immutable). */
  withOverriddenPlans(plans: readonly OverriddenPlanEntry[]): StandaloneCatalog {
    return new StandaloneCatalog(this.definition, [...this.overriddenPlans, ...plans]);
  }

  static fromXml(xml: string): StandaloneCatalog {
    return new StandaloneCatalog(parseCatalogXmlOrThrow(xml));
  }

  get catalogName(): string {
    return this.definition.catalogName;
  }

  get effectiveDate(): Date {
    return this.definition.effectiveDate;
  }

  /** A placeholder version (no products, plans nor currencies) is hidden from every read. */
  get isTemplate(): boolean {
    const d = this.definition;
    return d.products.length === 0 && d.plans.length === 0 && d.currencies.length === 0;
  }

  // --- lookups ---------------------------------------------------------------------------------

  hasPlan(name: string): boolean {
    return this.plansByName.has(name);
  }

  getPlan(name: string): Plan | undefined {
    return this.plansByName.get(name);
  }

  getProduct(name: string): Product | undefined {
    return this.productsByName.get(name);
  }

  getPriceList(name: string): PriceList | undefined {
    return this.priceListsByName.get(name);
  }

  findPlan(name: string | undefined | null): Plan {
    const plan = name == null ? undefined : this.plansByName.get(name);
    if (!plan) throw new KillBillError('CAT_NO_SUCH_PLAN', [name]);
    return plan;
  }

  findProduct(name: string | undefined | null): Product {
    const product = name == null ? undefined : this.productsByName.get(name);
    if (!product) throw new KillBillError('CAT_NO_SUCH_PRODUCT', [name]);
    return product;
  }

  findPriceList(name: string | undefined | null): PriceList {
    const pl = name == null ? undefined : this.priceListsByName.get(name);
    if (!pl) throw new KillBillError('CAT_PRICE_LIST_NOT_FOUND', [name]);
    return pl;
  }

  /** Phase by derived name (`<plan>-<type>`). */
  findPhase(name: string): { plan: Plan; phase: PlanPhase } {
    const type = PHASE_TYPES.find((t) => name.endsWith(t.toLowerCase()));
    if (!type) throw new KillBillError('CAT_BAD_PHASE_NAME', [name]);
    const plan = this.findPlan(name.substring(0, name.length - type.length - 1));
    const phase = allPhases(plan).find((p) => phaseName(plan.name, p.type) === name);
    if (!phase) throw new KillBillError('CAT_NO_SUCH_PHASE', [name]);
    return { plan, phase };
  }

  /** The price list a plan belongs to (the first list holding it). */
  priceListOf(plan: Plan | string): PriceList {
    const name = typeof plan === 'string' ? plan : plan.name;
    const pl = this.planPriceList.get(name);
    if (!pl) throw new Error(`Cannot extract pricelist for plan ${name}`);
    return pl;
  }

  priceListNameOf(plan: Plan | string): string | undefined {
    return this.planPriceList.get(typeof plan === 'string' ? plan : plan.name)?.name;
  }

  productOf(plan: Plan): Product | undefined {
    return plan.product === undefined ? undefined : this.productsByName.get(plan.product);
  }

  plansOfProduct(productName: string): readonly Plan[] {
    return this.plansByProduct.get(productName) ?? [];
  }

  /** Effective recurring billing mode: the plan's own, else the catalog-level one. */
  recurringBillingModeOf(plan: Plan): BillingMode | undefined {
    return plan.recurringBillingMode ?? this.definition.recurringBillingMode;
  }

  /**
   * Plan for a specifier: by name, else by {product, billing period, price list} (price list
   * defaults to DEFAULT; when the named list has no match, DEFAULT is searched).
   */
  createOrFindPlan(spec: PlanSpecifier): Plan {
    if (spec.planName != null) return this.findPlan(spec.planName);
    if (spec.productName == null) throw new KillBillError('CAT_NULL_PRODUCT_NAME');
    if (spec.billingPeriod == null) throw new KillBillError('CAT_NULL_BILLING_PERIOD');
    const priceListName = spec.priceListName ?? DEFAULT_PRICE_LIST_NAME;
    const product = this.findProduct(spec.productName);
    let plans = this.findPlansInPriceList(this.findPriceList(priceListName), product.name, spec.billingPeriod);
    if (plans.length === 0) {
      plans = this.findPlansInPriceList(this.definition.priceLists.defaultPriceList, product.name, spec.billingPeriod);
    }
    if (plans.length === 1) return plans[0];
    if (plans.length > 1) {
      throw new KillBillError('CAT_MULTIPLE_MATCHING_PLANS_FOR_PRICELIST', [priceListName, product.name, spec.billingPeriod]);
    }
    throw new KillBillError('CAT_PLAN_NOT_FOUND', ['undefined', spec.productName, spec.billingPeriod, spec.priceListName ?? 'undefined']);
  }

  /** Plans of a price list for a product and billing period (name order, like Kill Bill). */
  findPlansInPriceList(priceList: PriceList, productName: string, billingPeriod: BillingPeriod): Plan[] {
    return [...(this.planIndex.get(priceList.name)?.get(tripleKey(productName, billingPeriod)) ?? [])];
  }

  /** Add-on plans available for a base product, for one price list or all of them. */
  availableAddOnListings(baseProductName: string, priceListName?: string): Listing[] {
    const product = this.productsByName.get(baseProductName);
    if (!product) return [];
    const result: Listing[] = [];
    const addOns = [...new Set(product.available)].filter((n) => n !== product.name).sort();
    for (const addOn of addOns) {
      for (const bp of BILLING_PERIODS) {
        for (const pl of this.allPriceLists) {
          if (priceListName != null && priceListName !== pl.name) continue;
          for (const plan of this.findPlansInPriceList(pl, addOn, bp)) result.push({ plan, priceList: pl });
        }
      }
    }
    return result;
  }

  /** Every BASE plan with each price list offering it. */
  availableBasePlanListings(): Listing[] {
    const result: Listing[] = [];
    for (const plan of this.sortedPlans) {
      if (this.productOf(plan)?.category !== 'BASE') continue;
      for (const pl of this.allPriceLists) {
        if (this.priceListPlanSets.get(pl.name)?.has(plan.name)) result.push({ plan, priceList: pl });
      }
    }
    return result;
  }
}

/** Billing period of the plan = that of the final phase's recurring section. */
export function recurringBillingPeriod(plan: Plan): BillingPeriod {
  return plan.finalPhase.recurring?.billingPeriod ?? 'NO_BILLING_PERIOD';
}

/**
 * Price in a currency. An empty price list is zero in every currency; a missing currency is
 * CAT_NO_PRICE_FOR_CURRENCY; an `xsi:nil` value is CAT_PRICE_VALUE_NULL_FOR_CURRENCY.
 */
export function priceIn(price: InternationalPrice, currency: Currency): Big {
  if (price.prices.length === 0) return new Big(0);
  const p = price.prices.find((x) => x.currency === currency);
  if (!p) throw new KillBillError('CAT_NO_PRICE_FOR_CURRENCY', [currency]);
  if (p.value === null) throw new KillBillError('CAT_PRICE_VALUE_NULL_FOR_CURRENCY', [currency]);
  return p.value;
}

/** Fixed price of a phase in a currency; `undefined` when the phase has no fixed price. */
export function fixedPriceOf(phase: PlanPhase, currency: Currency): Big | undefined {
  return phase.fixed?.fixedPrice ? priceIn(phase.fixed.fixedPrice, currency) : undefined;
}

/** Recurring price of a phase in a currency; `undefined` when the phase has none. */
export function recurringPriceOf(phase: PlanPhase, currency: Currency): Big | undefined {
  return phase.recurring?.recurringPrice ? priceIn(phase.recurring.recurringPrice, currency) : undefined;
}

/** True when every price of the list is zero (or nil, or the list is empty). */
export function isZeroPrice(price: InternationalPrice | undefined): boolean {
  return !price || price.prices.every((p) => p.value === null || p.value.eq(0));
}

/** A block's minTopUpCredit; defining one on a non TOP_UP block is CAT_NOT_TOP_UP_BLOCK at use time. */
export function minTopUpCreditOf(block: Block, phaseName: string): Big | undefined {
  const hasValue = block.minTopUpCredit !== undefined && !block.minTopUpCredit.eq(-1);
  if (hasValue && block.type !== 'TOP_UP') throw new KillBillError('CAT_NOT_TOP_UP_BLOCK', [phaseName]);
  return block.minTopUpCredit;
}
