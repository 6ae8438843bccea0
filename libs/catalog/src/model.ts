/**
 * Typed model of a Kill Bill catalog version (one `<catalog>` document).
 *
 * The model is plain, serialisable data: references between entities are kept as names
 * (as in the XML, where they are xs:IDREF). `StandaloneCatalog` (catalog.ts) indexes it.
 * Money and quantities are always `Big`.
 */
import Big from 'big.js';

// ---------------------------------------------------------------------------------------------
// Enumerations (values and order exactly as Kill Bill's API enums; order matters for listings)
// ---------------------------------------------------------------------------------------------

import type { Currency } from '@kb/kernel';

export { CURRENCIES, type Currency } from '@kb/kernel';

export const BILLING_PERIODS = [
  'DAILY',
  'WEEKLY',
  'BIWEEKLY',
  'THIRTY_DAYS',
  'THIRTY_ONE_DAYS',
  'SIXTY_DAYS',
  'NINETY_DAYS',
  'MONTHLY',
  'BIMESTRIAL',
  'QUARTERLY',
  'TRIANNUAL',
  'BIANNUAL',
  'ANNUAL',
  'SESQUIENNIAL',
  'BIENNIAL',
  'TRIENNIAL',
  'NO_BILLING_PERIOD',
] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

export const PHASE_TYPES = ['TRIAL', 'DISCOUNT', 'FIXEDTERM', 'EVERGREEN'] as const;
export type PhaseType = (typeof PHASE_TYPES)[number];

export const TIME_UNITS = ['DAYS', 'WEEKS', 'MONTHS', 'YEARS', 'UNLIMITED'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

export const PRODUCT_CATEGORIES = ['BASE', 'ADD_ON', 'STANDALONE'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const BILLING_MODES = ['IN_ADVANCE', 'IN_ARREAR'] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

export const USAGE_TYPES = ['CAPACITY', 'CONSUMABLE'] as const;
export type UsageType = (typeof USAGE_TYPES)[number];

export const TIER_BLOCK_POLICIES = ['ALL_TIERS', 'TOP_TIER'] as const;
export type TierBlockPolicy = (typeof TIER_BLOCK_POLICIES)[number];

export const BLOCK_TYPES = ['VANILLA', 'TOP_UP', 'TIERED'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

/** Kill Bill's current API only knows ONE_TIME; RECURRING is accepted for older documents. */
export const FIXED_TYPES = ['ONE_TIME', 'RECURRING'] as const;
export type FixedType = (typeof FIXED_TYPES)[number];

export const BILLING_ACTION_POLICIES = ['START_OF_TERM', 'END_OF_TERM', 'IMMEDIATE', 'ILLEGAL'] as const;
export type BillingActionPolicy = (typeof BILLING_ACTION_POLICIES)[number];

export const PLAN_ALIGNMENT_CHANGES = ['START_OF_BUNDLE', 'START_OF_SUBSCRIPTION', 'CHANGE_OF_PLAN', 'CHANGE_OF_PRICELIST'] as const;
export type PlanAlignmentChange = (typeof PLAN_ALIGNMENT_CHANGES)[number];

export const PLAN_ALIGNMENT_CREATES = ['START_OF_BUNDLE', 'START_OF_SUBSCRIPTION'] as const;
export type PlanAlignmentCreate = (typeof PLAN_ALIGNMENT_CREATES)[number];

export const BILLING_ALIGNMENTS = ['ACCOUNT', 'BUNDLE', 'SUBSCRIPTION'] as const;
export type BillingAlignment = (typeof BILLING_ALIGNMENTS)[number];

export const DEFAULT_PRICE_LIST_NAME = 'DEFAULT';

/** Kill Bill's sentinel for an omitted optional integer (duration number, plansAllowedInBundle). */
export const UNSET_INTEGER = -1;

// ---------------------------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------------------------

export interface CatalogPrice {
  currency: Currency;
  /** `null` when the document says `<value xsi:nil="true"/>` (price exists but cannot be bought). */
  value: Big | null;
}

/** An empty price list means "zero in every currency". */
export interface InternationalPrice {
  prices: CatalogPrice[];
}

export interface Duration {
  unit: TimeUnit;
  /** -1 (UNSET_INTEGER) when omitted. */
  number: number;
}

export interface Fixed {
  type: FixedType;
  fixedPrice?: InternationalPrice;
}

export interface Recurring {
  billingPeriod: BillingPeriod;
  recurringPrice?: InternationalPrice;
}

export interface Unit {
  name: string;
  prettyName?: string;
}

export interface Limit {
  unit: string;
  max?: Big;
  min?: Big;
}

export interface Block {
  type: BlockType;
  unit: string;
  size: Big;
  prices: InternationalPrice;
  minTopUpCredit?: Big;
}

export interface TieredBlock extends Block {
  max: Big;
}

export interface Tier {
  limits: Limit[];
  blocks: TieredBlock[];
  fixedPrice?: InternationalPrice;
  recurringPrice?: InternationalPrice;
}

export interface Usage {
  name: string;
  prettyName?: string;
  billingMode: BillingMode;
  usageType: UsageType;
  tierBlockPolicy: TierBlockPolicy;
  billingPeriod: BillingPeriod;
  limits: Limit[];
  blocks: Block[];
  tiers: Tier[];
  fixedPrice?: InternationalPrice;
  recurringPrice?: InternationalPrice;
}

export interface PlanPhase {
  type: PhaseType;
  prettyName?: string;
  duration: Duration;
  fixed?: Fixed;
  recurring?: Recurring;
  usages: Usage[];
}

export interface Plan {
  name: string;
  prettyName?: string;
  effectiveDateForExistingSubscriptions?: Date;
  /** Product name; `undefined` when the reference does not designate a product (Kill Bill: null). */
  product?: string;
  /** As written on the plan; the effective mode falls back to the catalog-level one. */
  recurringBillingMode?: BillingMode;
  initialPhases: PlanPhase[];
  finalPhase: PlanPhase;
  /** -1 = unlimited (default). */
  plansAllowedInBundle: number;
}

export interface Product {
  name: string;
  prettyName?: string;
  category: ProductCategory;
  included: string[];
  available: string[];
  limits: Limit[];
}

export interface PriceList {
  name: string;
  prettyName?: string;
  plans: string[];
}

export interface PriceListSet {
  defaultPriceList: PriceList;
  childPriceLists: PriceList[];
}

// ---------------------------------------------------------------------------------------------
// Rules (each list is evaluated in document order, first match wins)
// ---------------------------------------------------------------------------------------------

/** Predicates of a change case (from side + to side), absent = matches anything. */
export interface ChangeCasePredicates {
  phaseType?: PhaseType;
  fromProduct?: string;
  fromProductCategory?: ProductCategory;
  fromBillingPeriod?: BillingPeriod;
  fromPriceList?: string;
  toProduct?: string;
  toProductCategory?: ProductCategory;
  toBillingPeriod?: BillingPeriod;
  toPriceList?: string;
}

/** Predicates of a "standard naming" case (cancel, create alignment, billing alignment). */
export interface StandardCasePredicates {
  product?: string;
  productCategory?: ProductCategory;
  billingPeriod?: BillingPeriod;
  priceList?: string;
}

export interface ChangePolicyCase extends ChangeCasePredicates {
  policy: BillingActionPolicy;
}
export interface ChangeAlignmentCase extends ChangeCasePredicates {
  alignment: PlanAlignmentChange;
}
export interface CancelPolicyCase extends StandardCasePredicates {
  phaseType?: PhaseType;
  policy: BillingActionPolicy;
}
export interface CreateAlignmentCase extends StandardCasePredicates {
  alignment: PlanAlignmentCreate;
}
export interface BillingAlignmentCase extends StandardCasePredicates {
  phaseType?: PhaseType;
  alignment: BillingAlignment;
}
export interface PriceListCase {
  fromProduct?: string;
  fromProductCategory?: ProductCategory;
  fromBillingPeriod?: BillingPeriod;
  fromPriceList?: string;
  toPriceList: string;
}

export interface PlanRules {
  changePolicy: ChangePolicyCase[];
  changeAlignment: ChangeAlignmentCase[];
  cancelPolicy: CancelPolicyCase[];
  createAlignment: CreateAlignmentCase[];
  billingAlignment: BillingAlignmentCase[];
  priceList: PriceListCase[];
}

// ---------------------------------------------------------------------------------------------
// Document
// ---------------------------------------------------------------------------------------------

/** One catalog version, as written (entity order = document order). */
export interface CatalogDefinition {
  effectiveDate: Date;
  catalogName: string;
  recurringBillingMode?: BillingMode;
  currencies: Currency[];
  units: Unit[];
  products: Product[];
  rules: PlanRules;
  plans: Plan[];
  priceLists: PriceListSet;
}

/** Kill Bill's `ValidationError` (description, object type, object name). */
export interface CatalogValidationError {
  message: string;
  objectType?: string;
  objectName?: string;
}

/** Phase names are derived, never written: `<planName>-<lowercase phase type>`. */
export function phaseName(planName: string, type: PhaseType): string {
  return `${planName}-${type.toLowerCase()}`;
}

export function allPhases(plan: Plan): PlanPhase[] {
  return [...plan.initialPhases, plan.finalPhase];
}

export function emptyRules(): PlanRules {
  return {
    changePolicy: [],
    changeAlignment: [],
    cancelPolicy: [],
    createAlignment: [],
    billingAlignment: [],
    priceList: [],
  };
}
