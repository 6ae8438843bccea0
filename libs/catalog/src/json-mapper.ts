/**
 * Catalog -> Kill Bill JSON shapes (swagger definitions Catalog, Product, Plan, Phase, Price, Usage,
 * Tier, TieredBlock, Limit, Unit, PriceList, Duration, PlanDetail, CatalogValidation).
 * Money becomes a JSON number here and only here.
 */
import Big from 'big.js';
import { Listing, StandaloneCatalog, recurringBillingPeriod } from './catalog';
import {
  BillingMode,
  BillingPeriod,
  CatalogValidationError,
  Currency,
  InternationalPrice,
  Limit,
  Plan,
  PlanPhase,
  PriceList,
  Product,
  TimeUnit,
  allPhases,
} from './model';

export interface PriceJson {
  currency: Currency;
  value: number | null;
}
export interface DurationJson {
  unit: TimeUnit;
  number: number;
}
export interface LimitJson {
  unit: string;
  max: string;
  min: string;
}
export interface TieredBlockJson {
  unit: string;
  size: string;
  max: string;
  prices: PriceJson[];
}
export interface TierJson {
  limits: LimitJson[];
  fixedPrice: PriceJson[];
  recurringPrice: PriceJson[];
  blocks: TieredBlockJson[];
}
export interface UsageJson {
  billingPeriod: BillingPeriod;
  tiers: TierJson[];
}
export interface PhaseJson {
  type: string;
  prices: PriceJson[];
  fixedPrices: PriceJson[];
  duration: DurationJson;
  usages: UsageJson[];
}
export interface PlanJson {
  name: string;
  prettyName: string;
  recurringBillingMode?: BillingMode;
  billingPeriod: BillingPeriod;
  phases: PhaseJson[];
}
export interface ProductJson {
  type: string;
  name: string;
  prettyName: string;
  plans: PlanJson[];
  included: string[];
  available: string[];
}
export interface UnitJson {
  name: string;
  prettyName: string;
}
export interface PriceListJson {
  name: string;
  plans: string[];
}
export interface CatalogJson {
  name: string;
  effectiveDate: string;
  currencies: Currency[];
  units: UnitJson[];
  products: ProductJson[];
  priceLists: PriceListJson[];
}
export interface PlanDetailJson {
  product: string | null;
  plan: string;
  priceList: string;
  finalPhaseBillingPeriod: BillingPeriod;
  finalPhaseRecurringPrice: PriceJson[];
}
export interface CatalogValidationJson {
  catalogValidationErrors: { errorDescription: string }[];
}

/** Big -> JSON number (the wire format is a JSON number, as Jackson writes BigDecimal). */
export function moneyToJson(value: Big): number {
  return Number(value.toFixed());
}

const sortedUnique = (names: readonly string[]) => [...new Set(names)].sort();

export function toPricesJson(price: InternationalPrice | undefined): PriceJson[] {
  return (price?.prices ?? []).map((p) => ({ currency: p.currency, value: p.value === null ? null : moneyToJson(p.value) }));
}

const limitJson = (l: Limit): LimitJson => ({ unit: l.unit, max: (l.max ?? new Big(-1)).toString(), min: (l.min ?? new Big(-1)).toString() });

export function toPhaseJson(phase: PlanPhase): PhaseJson {
  return {
    type: phase.type,
    prices: toPricesJson(phase.recurring?.recurringPrice),
    fixedPrices: toPricesJson(phase.fixed?.fixedPrice),
    duration: { unit: phase.duration.unit, number: phase.duration.number },
    usages: phase.usages.map((u) => ({
      billingPeriod: u.billingPeriod,
      tiers: u.tiers.map((t) => ({
        limits: t.limits.map(limitJson),
        fixedPrice: toPricesJson(t.fixedPrice),
        recurringPrice: toPricesJson(t.recurringPrice),
        blocks: t.blocks.map((b) => ({ unit: b.unit, size: b.size.toString(), max: b.max.toString(), prices: toPricesJson(b.prices) })),
      })),
    })),
  };
}

export function toPlanJson(catalog: StandaloneCatalog, plan: Plan): PlanJson {
  return {
    name: plan.name,
    prettyName: plan.prettyName ?? plan.name,
    recurringBillingMode: catalog.recurringBillingModeOf(plan),
    billingPeriod: recurringBillingPeriod(plan),
    phases: allPhases(plan).map(toPhaseJson),
  };
}

/** A product with its plans (name order), as in the Catalog JSON. */
export function toProductJson(catalog: StandaloneCatalog, product: Product, withPlans = true): ProductJson {
  return {
    type: product.category,
    name: product.name,
    prettyName: product.prettyName ?? product.name,
    plans: withPlans ? [...catalog.plansOfProduct(product.name)].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => toPlanJson(catalog, p)) : [],
    included: sortedUnique(product.included).filter((n) => n !== product.name),
    available: sortedUnique(product.available).filter((n) => n !== product.name),
  };
}

export function toPriceListJson(priceList: PriceList): PriceListJson {
  return { name: priceList.name, plans: sortedUnique(priceList.plans) };
}

/** One catalog version as Kill Bill's `Catalog` JSON. Every product appears once, plans attached. */
export function toCatalogJson(catalog: StandaloneCatalog): CatalogJson {
  const def = catalog.definition;
  return {
    name: def.catalogName,
    effectiveDate: def.effectiveDate.toISOString(),
    currencies: [...def.currencies],
    units: def.units.map((u) => ({ name: u.name, prettyName: u.prettyName ?? u.name })),
    products: catalog.sortedProducts.map((p) => toProductJson(catalog, p)),
    priceLists: catalog.allPriceLists.map(toPriceListJson),
  };
}

/** A listing (plan + price list) as Kill Bill's `PlanDetail` JSON (availableBasePlans / availableAddons). */
export function toPlanDetailJson(listing: Listing): PlanDetailJson {
  const { plan, priceList } = listing;
  return {
    product: plan.product ?? null,
    plan: plan.name,
    priceList: priceList.name,
    finalPhaseBillingPeriod: recurringBillingPeriod(plan),
    // a nil value is shown as 0 here (Kill Bill does the same)
    finalPhaseRecurringPrice: toPricesJson(plan.finalPhase.recurring?.recurringPrice).map((p) => ({ ...p, value: p.value ?? 0 })),
  };
}

/** Validation errors as `POST /catalog/xml/validate` answers them. */
export function toCatalogValidationJson(errors: readonly CatalogValidationError[]): CatalogValidationJson {
  return { catalogValidationErrors: errors.map((e) => ({ errorDescription: e.message })) };
}
