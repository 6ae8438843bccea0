/**
 * Rule resolution, as Kill Bill's DefaultPlanRules / DefaultCase*: each list is scanned in document
 * order and the first case whose every present predicate matches wins; absent predicates match
 * anything; a default applies when nothing matches. The plan side of a specifier is resolved once
 * (map lookups) and then compared against each case.
 */
import { PlanPhaseSpecifier, PlanSpecifier, StandaloneCatalog, recurringBillingPeriod } from './catalog';
import { KillBillError } from '@kb/kernel';
import {
  BillingActionPolicy,
  BillingAlignment,
  BillingPeriod,
  ChangeCasePredicates,
  PhaseType,
  PlanAlignmentChange,
  PlanAlignmentCreate,
  ProductCategory,
  StandardCasePredicates,
} from './model';

/** The attributes a case compares: product, its category, billing period, price list. */
interface ResolvedSide {
  product: string;
  category: ProductCategory;
  billingPeriod?: BillingPeriod;
  priceList?: string;
}

/**
 * A plan name yields the plan's product, category, final-phase billing period and own price list.
 * A {product, billing period, price list} spec yields those (price list resolved only if needed).
 */
function resolveSide(catalog: StandaloneCatalog, spec: PlanSpecifier, needPriceList: boolean): ResolvedSide {
  if (spec.planName != null) {
    const plan = catalog.findPlan(spec.planName);
    const product = catalog.findProduct(plan.product);
    return {
      product: product.name,
      category: product.category,
      billingPeriod: recurringBillingPeriod(plan),
      priceList: catalog.priceListNameOf(plan),
    };
  }
  const product = catalog.findProduct(spec.productName);
  return {
    product: product.name,
    category: product.category,
    billingPeriod: spec.billingPeriod,
    priceList: needPriceList ? catalog.findPriceList(spec.priceListName).name : undefined,
  };
}

function matchesStandard(c: StandardCasePredicates, side: ResolvedSide): boolean {
  return (
    (c.product === undefined || c.product === side.product) &&
    (c.productCategory === undefined || c.productCategory === side.category) &&
    (c.billingPeriod === undefined || c.billingPeriod === side.billingPeriod) &&
    (c.priceList === undefined || c.priceList === side.priceList)
  );
}

/** First matching case of a standard-naming list (create alignment). */
function firstStandard<C extends StandardCasePredicates, R>(
  catalog: StandaloneCatalog,
  cases: readonly C[],
  spec: PlanSpecifier,
  result: (c: C) => R,
): R | undefined {
  let side: ResolvedSide | undefined;
  for (const c of cases) {
    // Kill Bill resolves the spec for each case; the price list is only looked up when the case tests it
    side = side && (c.priceList === undefined || side.priceList !== undefined) ? side : resolveSide(catalog, spec, c.priceList !== undefined);
    if (matchesStandard(c, side)) return result(c);
  }
  return undefined;
}

/** First matching case of a phase-aware list (cancel policy, billing alignment). */
function firstPhase<C extends StandardCasePredicates & { phaseType?: PhaseType }, R>(
  catalog: StandaloneCatalog,
  cases: readonly C[],
  spec: PlanPhaseSpecifier,
  result: (c: C) => R,
): R | undefined {
  let side: ResolvedSide | undefined;
  for (const c of cases) {
    if (c.phaseType !== undefined && c.phaseType !== spec.phaseType) continue;
    side = side && (c.priceList === undefined || side.priceList !== undefined) ? side : resolveSide(catalog, spec, c.priceList !== undefined);
    if (matchesStandard(c, side)) return result(c);
  }
  return undefined;
}

/** Change cases compare both sides; a triple without price list has no price list (never matches one). */
function resolveChangeSide(catalog: StandaloneCatalog, spec: PlanSpecifier): ResolvedSide {
  if (spec.planName != null) return resolveSide(catalog, spec, true);
  const side = resolveSide(catalog, spec, false);
  return { ...side, priceList: spec.priceListName != null ? catalog.findPriceList(spec.priceListName).name : undefined };
}

function firstChange<C extends ChangeCasePredicates, R>(
  catalog: StandaloneCatalog,
  cases: readonly C[],
  from: PlanPhaseSpecifier,
  to: PlanSpecifier,
  result: (c: C) => R,
): R | undefined {
  if (cases.length === 0) return undefined;
  const f = resolveChangeSide(catalog, from);
  const t = resolveChangeSide(catalog, to);
  for (const c of cases) {
    if (
      (c.phaseType === undefined || c.phaseType === from.phaseType) &&
      (c.fromProduct === undefined || c.fromProduct === f.product) &&
      (c.fromProductCategory === undefined || c.fromProductCategory === f.category) &&
      (c.fromBillingPeriod === undefined || c.fromBillingPeriod === f.billingPeriod) &&
      (c.toProduct === undefined || c.toProduct === t.product) &&
      (c.toProductCategory === undefined || c.toProductCategory === t.category) &&
      (c.toBillingPeriod === undefined || c.toBillingPeriod === t.billingPeriod) &&
      (c.fromPriceList === undefined || c.fromPriceList === f.priceList) &&
      (c.toPriceList === undefined || c.toPriceList === t.priceList)
    ) {
      return result(c);
    }
  }
  return undefined;
}

// --- public resolution functions --------------------------------------------------------------

/** createAlignment for a plan; default START_OF_BUNDLE. */
export function resolveCreateAlignment(catalog: StandaloneCatalog, spec: PlanSpecifier): PlanAlignmentCreate {
  return firstStandard(catalog, catalog.definition.rules.createAlignment, spec, (c) => c.alignment) ?? 'START_OF_BUNDLE';
}

/** cancelPolicy for a plan in a phase; default END_OF_TERM. */
export function resolveCancelPolicy(catalog: StandaloneCatalog, spec: PlanPhaseSpecifier): BillingActionPolicy {
  return firstPhase(catalog, catalog.definition.rules.cancelPolicy, spec, (c) => c.policy) ?? 'END_OF_TERM';
}

/** billingAlignment for a plan in a phase; default ACCOUNT. */
export function resolveBillingAlignment(catalog: StandaloneCatalog, spec: PlanPhaseSpecifier): BillingAlignment {
  return firstPhase(catalog, catalog.definition.rules.billingAlignment, spec, (c) => c.alignment) ?? 'ACCOUNT';
}

/** changePolicy for from(plan, phase) -> to(plan); default END_OF_TERM. No ILLEGAL check here. */
export function resolveChangePolicy(catalog: StandaloneCatalog, from: PlanPhaseSpecifier, to: PlanSpecifier): BillingActionPolicy {
  return firstChange(catalog, catalog.definition.rules.changePolicy, from, to, (c) => c.policy) ?? 'END_OF_TERM';
}

/** changeAlignment for from -> to; default START_OF_BUNDLE. */
export function resolveChangeAlignment(catalog: StandaloneCatalog, from: PlanPhaseSpecifier, to: PlanSpecifier): PlanAlignmentChange {
  return firstChange(catalog, catalog.definition.rules.changeAlignment, from, to, (c) => c.alignment) ?? 'START_OF_BUNDLE';
}

/**
 * Target price list of a change when the caller names none: the priceList rules applied to the
 * *from* side, else the from plan's own price list (or the spec's price list).
 */
export function resolveTargetPriceList(catalog: StandaloneCatalog, from: PlanSpecifier): string {
  const cases = catalog.definition.rules.priceList;
  let side: ResolvedSide | undefined;
  for (const c of cases) {
    side = side && (c.fromPriceList === undefined || side.priceList !== undefined) ? side : resolveSide(catalog, from, c.fromPriceList !== undefined);
    if (
      (c.fromProduct === undefined || c.fromProduct === side.product) &&
      (c.fromProductCategory === undefined || c.fromProductCategory === side.category) &&
      (c.fromBillingPeriod === undefined || c.fromBillingPeriod === side.billingPeriod) &&
      (c.fromPriceList === undefined || c.fromPriceList === side.priceList)
    ) {
      return catalog.findPriceList(c.toPriceList).name;
    }
  }
  const name = from.planName != null ? catalog.priceListOf(catalog.findPlan(from.planName)).name : from.priceListName;
  return catalog.findPriceList(name).name;
}

export interface PlanChangeResult {
  newPriceList: string;
  policy: BillingActionPolicy;
  alignment: PlanAlignmentChange;
}

/**
 * Full change resolution (Kill Bill's getPlanChangeResult): target price list, policy (ILLEGAL ->
 * CAT_ILLEGAL_CHANGE_REQUEST) and alignment. A target given as a triple without price list gets
 * the resolved target price list before the change cases are evaluated.
 */
export function resolvePlanChange(catalog: StandaloneCatalog, from: PlanPhaseSpecifier, to: PlanSpecifier): PlanChangeResult {
  const newPriceList = to.priceListName != null ? catalog.findPriceList(to.priceListName).name : resolveTargetPriceList(catalog, from);
  const target: PlanSpecifier = to.planName == null ? { productName: to.productName, billingPeriod: to.billingPeriod, priceListName: newPriceList } : to;
  const policy = resolveChangePolicy(catalog, from, target);
  if (policy === 'ILLEGAL') {
    const f = resolveChangeSide(catalog, from);
    const t = resolveChangeSide(catalog, target);
    throw new KillBillError('CAT_ILLEGAL_CHANGE_REQUEST', [f.product, f.billingPeriod, f.priceList, t.product, t.billingPeriod, t.priceList]);
  }
  return { newPriceList, policy, alignment: resolveChangeAlignment(catalog, from, target) };
}
