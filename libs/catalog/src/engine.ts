/**
 * @kb/catalog/engine — the pure catalog engine (no database, no Nest, no clock): what other engines
 * (entitlement, invoicing) import. `@kb/catalog` adds the service layer.
 */
export * from './model';
export { parseCatalogXml, parseCatalogXmlOrThrow } from './parser';
export type { CatalogParseResult } from './parser';
export { isNCName } from './schema';
export type { Listing, OverriddenPlanEntry, PlanPhaseSpecifier, PlanSpecifier } from './catalog';
export { StandaloneCatalog, fixedPriceOf, isZeroPrice, minTopUpCreditOf, priceIn, recurringBillingPeriod, recurringPriceOf } from './catalog';
export type { PhaseInterval } from './phases';
export { addBillingPeriods, addDuration, addDurationToInstant, phaseAfter, phaseAt, phaseTimeline } from './phases';
export type { PlanChangeResult } from './rules';
export {
  resolveBillingAlignment,
  resolveCancelPolicy,
  resolveChangeAlignment,
  resolveChangePolicy,
  resolveCreateAlignment,
  resolvePlanChange,
  resolveTargetPriceList,
} from './rules';
export { javaDateString, validateCatalog } from './validation';
export type { CatalogUploadCheck, PlanInVersion } from './versioned-catalog';
export { VersionedCatalog, acceptCatalogUpload, checkCatalogUpload, invalidCatalogForTenant, validateCatalogUpload } from './versioned-catalog';
export * from './json-mapper';
export { catalogToXml } from './xml-writer';
export {
  DEFAULT_CATALOG_NAME,
  addSimplePlan,
  addSimplePlanToXml,
  firstVersionEffectiveDate,
  newCatalogDefinition,
  saneDefaultRules,
  templateCatalogXml,
} from './simple-plan';
export type { SimplePlanInput } from './simple-plan';
export type {
  BlockPriceOverride,
  OverriddenPlanDefinition,
  PhaseOverride,
  PhasePriceOverride,
  TierPriceOverride,
  TieredBlockOverride,
  UsagePriceOverride,
} from './price-override';
export {
  overriddenPlan,
  overriddenPlanName,
  parseOverriddenPlanName,
  resolvePhaseOverrides,
  samePhaseOverrides,
  withOverriddenPlans,
} from './price-override';
export { generateLargeCatalogDefinition, generateLargeCatalogXml } from './testing/large-catalog';
