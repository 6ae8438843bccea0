/**
 * Semantic validation of a catalog version (Kill Bill's StandaloneCatalog#validate and friends),
 * with Kill Bill's messages and order: products, plans (by name), price lists, rules, phase
 * durations. A few checks Kill Bill lacks (it fails later with a 500) are added with their own
 * messages: plan in no price list, two phases of one type, references to the wrong kind of entity.
 */
import { StandaloneCatalog } from './catalog';
import {
  CURRENCIES,
  CatalogDefinition,
  CatalogValidationError,
  DEFAULT_PRICE_LIST_NAME,
  InternationalPrice,
  Limit,
  Plan,
  PlanPhase,
  Product,
  UNSET_INTEGER,
  phaseName,
} from './model';

/** Java's `Date#toString()` in a GMT JVM, used verbatim in several Kill Bill messages. */
export function javaDateString(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT ${d.getUTCFullYear()}`;
}

const err = (message: string, objectType: string, objectName = ''): CatalogValidationError => ({ message, objectType, objectName });

/** Validates one version; an empty list means valid. */
export function validateCatalog(input: CatalogDefinition | StandaloneCatalog): CatalogValidationError[] {
  const catalog = input instanceof StandaloneCatalog ? input : new StandaloneCatalog(input);
  const def = catalog.definition;
  const errors: CatalogValidationError[] = [];
  const version = javaDateString(def.effectiveDate);
  const currencies = new Set<string>(def.currencies);
  const unitNames = new Set(def.units.map((u) => u.name));

  const validatePrice = (price: InternationalPrice | undefined) => {
    if (!price) return;
    for (const p of price.prices) {
      if (!currencies.has(p.currency)) errors.push(err(`Unsupported currency: ${p.currency}`, 'DefaultInternationalPrice'));
      if (p.value !== null && p.value.lt(0)) errors.push(err(`Negative value for price in currency: ${p.currency}`, 'DefaultInternationalPrice'));
    }
  };
  const validateLimits = (limits: Limit[]) => {
    for (const l of limits) {
      if (!unitNames.has(l.unit)) errors.push(err(`Invalid unit '${l.unit}' for limit`, 'DefaultLimit'));
      const maxSet = l.max !== undefined && !l.max.eq(UNSET_INTEGER);
      const minSet = l.min !== undefined && !l.min.eq(UNSET_INTEGER);
      if (maxSet && minSet && l.max!.lt(l.min!)) errors.push(err('max must be greater than min', 'Limit'));
    }
  };

  // 1. products
  for (const product of catalog.sortedProducts) {
    if (product.included.includes(product.name)) errors.push(err('Product refers to itself in included section', 'DefaultProduct', product.name));
    if (product.available.includes(product.name)) errors.push(err('Product refers to itself in available section', 'DefaultProduct', product.name));
    for (const ref of [...product.included, ...product.available]) {
      if (ref !== product.name && !catalog.getProduct(ref)) {
        errors.push(err(`Invalid add-on product '${ref}' for product '${product.name}'`, 'DefaultProduct', product.name));
      }
    }
    validateLimits(product.limits);
  }

  // 2. plans
  const validatePhase = (plan: Plan, phase: PlanPhase) => {
    const name = phaseName(plan.name, phase.type);
    if (!phase.fixed && !phase.recurring && phase.usages.length === 0) {
      errors.push(
        err(`Phase ${phase.type} of plan ${plan.name} need to define at least either a fixed or recurrring or usage section.`, 'DefaultPlanPhase', phase.type),
      );
    }
    // Kill Bill does not check the currencies of fixed prices (only recurring ones)
    if (phase.recurring) {
      const r = phase.recurring;
      if (r.recurringPrice) {
        validatePrice(r.recurringPrice);
        if (r.billingPeriod === 'NO_BILLING_PERIOD') {
          errors.push(
            err(`Recurring section of Phase ${phase.type} of plan ${plan.name} has a recurring price but no billing period`, 'DefaultPlanPhase', phase.type),
          );
        }
      } else if (r.billingPeriod !== 'NO_BILLING_PERIOD') {
        errors.push(
          err(
            `Recurring section of Phase ${phase.type} of plan ${plan.name} has no recurring price but does have a billing period. The billing period should be set to 'NO_BILLING_PERIOD'`,
            'DefaultPlanPhase',
            phase.type,
          ),
        );
      }
    }
    const d = phase.duration;
    if (d.unit === 'UNLIMITED' && d.number !== UNSET_INTEGER) {
      errors.push(err("Duration can only have 'UNLIMITED' unit if the number is omitted", 'DefaultDuration'));
    } else if (d.unit !== 'UNLIMITED' && d.number === UNSET_INTEGER) {
      errors.push(err('Finite Duration must have a well defined length', 'DefaultDuration'));
    }
    for (const usage of phase.usages) {
      const where = `Usage [${usage.billingMode} ${usage.usageType}] section of phase ${name}`;
      if (usage.billingMode === 'IN_ADVANCE' && usage.usageType === 'CAPACITY' && usage.limits.length === 0) {
        errors.push(err(`${where} needs to define some limits`, 'DefaultUsage'));
      }
      if (usage.billingMode === 'IN_ADVANCE' && usage.usageType === 'CONSUMABLE' && usage.blocks.length === 0) {
        errors.push(err(`${where} needs to define some blocks`, 'DefaultUsage'));
      }
      if (usage.billingMode === 'IN_ARREAR' && usage.tiers.length === 0) {
        errors.push(err(`Usage [IN_ARREAR] section of phase ${name} needs to define some tiers`, 'DefaultUsage'));
      }
      validateLimits(usage.limits);
      for (const block of usage.blocks) {
        if (!unitNames.has(block.unit)) errors.push(err(`Invalid unit '${block.unit}' for block`, 'DefaultBlock'));
        if (block.type === 'TOP_UP' && (block.minTopUpCredit === undefined || block.minTopUpCredit.eq(UNSET_INTEGER))) {
          errors.push(err(`TOP_UP block needs to define minTopUpCredit for phase ${name}`, 'DefaultUsage'));
        }
      }
      for (const tier of usage.tiers) {
        if (usage.billingMode === 'IN_ARREAR' && usage.usageType === 'CAPACITY' && tier.limits.length === 0) {
          errors.push(err(`Usage [IN_ARREAR CAPACITY] section of phase ${name} needs to define some limits`, 'DefaultUsage'));
        }
        if (usage.billingMode === 'IN_ARREAR' && usage.usageType === 'CONSUMABLE' && tier.blocks.length === 0) {
          errors.push(err(`Usage [IN_ARREAR CONSUMABLE] section of phase ${name} needs to define some blocks`, 'DefaultUsage'));
        }
        validateLimits(tier.limits);
        for (const block of tier.blocks) {
          if (!unitNames.has(block.unit)) errors.push(err(`Invalid unit '${block.unit}' for block`, 'DefaultBlock'));
        }
      }
    }
  };

  for (const plan of catalog.sortedPlans) {
    const edfes = plan.effectiveDateForExistingSubscriptions;
    if (edfes && def.effectiveDate.getTime() > edfes.getTime()) {
      errors.push(err(`Price effective date ${javaDateString(edfes)} is before catalog effective date '${version}'`, 'DefaultPlan'));
    }
    const billingPeriod = plan.finalPhase.recurring?.billingPeriod ?? 'NO_BILLING_PERIOD';
    if (billingPeriod !== 'NO_BILLING_PERIOD' && catalog.recurringBillingModeOf(plan) === undefined) {
      errors.push(err(`Invalid recurring billingMode for plan '${plan.name}'`, 'DefaultPlan'));
    }
    if (plan.product === undefined || !catalog.getProduct(plan.product)) {
      errors.push(err(`Invalid product for plan '${plan.name}'`, 'DefaultPlan'));
    }
    for (const phase of plan.initialPhases) {
      validatePhase(plan, phase);
      if (phase.type === 'EVERGREEN') {
        errors.push(err(`Initial Phase ${phaseName(plan.name, phase.type)} of plan ${plan.name} cannot be of type ${phase.type}`, 'DefaultPlan'));
      }
    }
    validatePhase(plan, plan.finalPhase);
    if (plan.finalPhase.type === 'TRIAL' || plan.finalPhase.type === 'DISCOUNT') {
      errors.push(
        err(`Final Phase ${phaseName(plan.name, plan.finalPhase.type)} of plan ${plan.name} cannot be of type ${plan.finalPhase.type}`, 'DefaultPlan'),
      );
    }
    // not checked by Kill Bill, but the derived phase names would collide
    const types = [...plan.initialPhases, plan.finalPhase].map((p) => p.type);
    for (const t of new Set(types)) {
      if (types.filter((x) => x === t).length > 1) errors.push(err(`Plan '${plan.name}' defines more than one phase of type ${t}`, 'DefaultPlan', plan.name));
    }
    // Kill Bill fails with a 500 here (IllegalStateException); reported as a validation error instead
    if (catalog.priceListNameOf(plan) === undefined) {
      errors.push(err(`Cannot extract pricelist for plan ${plan.name}`, 'DefaultPlan', plan.name));
    }
  }

  // 3. price lists
  for (const pl of catalog.allPriceLists) {
    for (const planName of pl.plans) {
      if (!catalog.hasPlan(planName)) errors.push(err(`Invalid plan '${planName}' in price list '${pl.name}'`, 'DefaultPriceList', pl.name));
    }
  }
  if (def.priceLists.defaultPriceList.name !== DEFAULT_PRICE_LIST_NAME) {
    errors.push(err("The name of the default pricelist must be 'DEFAULT'", 'DefaultPriceList', def.priceLists.defaultPriceList.name));
  }
  for (const pl of def.priceLists.childPriceLists) {
    if (pl.name === DEFAULT_PRICE_LIST_NAME) {
      errors.push(err("Pricelists cannot use the reserved name 'DEFAULT'", 'DefaultPriceListSet', pl.name));
    }
  }

  // 4. rules
  validateRules(catalog, errors);

  // 5. phase durations vs phase types
  for (const plan of catalog.sortedPlans) {
    for (const phase of [...plan.initialPhases, plan.finalPhase]) {
      const name = phaseName(plan.name, phase.type);
      if (phase.type === 'EVERGREEN' && phase.duration.unit !== 'UNLIMITED') {
        errors.push(
          err(`EVERGREEN Phase '${name}' for plan '${plan.name}' in version '${version}' must have duration as UNLIMITED'`, 'DefaultVersionedCatalog'),
        );
      } else if (phase.type !== 'EVERGREEN' && phase.duration.unit === 'UNLIMITED') {
        errors.push(
          err(
            `'${phase.type}' Phase '${name}' for plan '${plan.name}' in version '${version}' must not have duration as UNLIMITED'`,
            'DefaultVersionedCatalog',
          ),
        );
      }
    }
  }
  return errors;
}

// --- rules -------------------------------------------------------------------------------------

/** Kill Bill prints cases with Java toString; reproduced so duplicate-rule messages match. */
function productString(catalog: StandaloneCatalog, name: string | undefined): string {
  if (name === undefined) return 'null';
  const p: Product | undefined = catalog.getProduct(name);
  if (!p) return 'null';
  const coll = (names: string[]) => `CatalogEntityCollection{data=[${[...new Set(names)].sort().join(', ')}]}`;
  const limits = p.limits.map((l) => `DefaultLimit{unit=${l.unit}, max=${l.max?.toString() ?? '-1'}, min=${l.min?.toString() ?? '-1'}}`);
  return `DefaultProduct{name='${p.name}', category=${p.category}, included=${coll(p.included)}, available=${coll(p.available)}, limits=[${limits.join(', ')}], catalogName='${catalog.catalogName}'}`;
}
const priceListString = (name: string | undefined) => (name === undefined ? 'null' : `DefaultPriceList{name='${name}}`);
const s = (v: string | undefined) => (v === undefined ? 'null' : v);

function validateRules(catalog: StandaloneCatalog, errors: CatalogValidationError[]): void {
  const rules = catalog.definition.rules;
  const ruleErr = (message: string) => errors.push(err(message, 'DefaultPlanRules'));
  const checkRefs = (products: (string | undefined)[], priceLists: (string | undefined)[]) => {
    for (const p of products) if (p !== undefined && !catalog.getProduct(p)) ruleErr(`Invalid product '${p}' in rule case`);
    for (const p of priceLists) if (p !== undefined && !catalog.getPriceList(p)) ruleErr(`Invalid price list '${p}' in rule case`);
  };
  const changeFields = (c: (typeof rules.changePolicy)[number] | (typeof rules.changeAlignment)[number]) =>
    `phaseType=${s(c.phaseType)}, fromProduct=${productString(catalog, c.fromProduct)}, fromProductCategory=${s(c.fromProductCategory)}, fromBillingPeriod=${s(c.fromBillingPeriod)}, fromPriceList=${priceListString(c.fromPriceList)}, toProduct=${productString(catalog, c.toProduct)}, toProductCategory=${s(c.toProductCategory)}, toBillingPeriod=${s(c.toBillingPeriod)}, toPriceList=${priceListString(c.toPriceList)}`;
  const standardFields = (c: { product?: string; productCategory?: string; billingPeriod?: string; priceList?: string }) =>
    `product=${productString(catalog, c.product)}, productCategory=${s(c.productCategory)}, billingPeriod=${s(c.billingPeriod)}, priceList=${priceListString(c.priceList)}`;

  const scan = <C>(cases: readonly C[], key: (c: C) => string, dupMessage: (c: C) => string, each?: (c: C) => void) => {
    const seen = new Set<string>();
    for (const c of cases) {
      const k = key(c);
      if (seen.has(k)) ruleErr(dupMessage(c));
      else seen.add(k);
      each?.(c);
    }
  };
  const keyOf = (c: object) => JSON.stringify(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : 1)));

  scan(
    rules.changePolicy,
    keyOf,
    (c) => `Duplicate rule for change plan DefaultCaseChangePlanPolicy {policy=${c.policy}, ${changeFields(c)}}`,
    (c) => checkRefs([c.fromProduct, c.toProduct], [c.fromPriceList, c.toPriceList]),
  );
  if (!rules.changePolicy.some((c) => Object.keys(c).length === 1)) ruleErr('Missing default rule case for plan change');

  scan(
    rules.cancelPolicy,
    keyOf,
    (c) => `Duplicate rule for plan cancellation DefaultCaseCancelPolicy{policy =${c.policy}, phaseType =${s(c.phaseType)}, ${standardFields(c)}}`,
    (c) => {
      checkRefs([c.product], [c.priceList]);
      if (c.policy === 'START_OF_TERM') {
        errors.push(
          err(
            'Default catalog START_OF_TERM has not been implemented, such policy can be used during cancellation by overriding policy',
            'DefaultCaseCancelPolicy',
          ),
        );
      }
    },
  );
  if (!rules.cancelPolicy.some((c) => Object.keys(c).length === 1)) ruleErr('Missing default rule case for plan cancellation');

  scan(
    rules.changeAlignment,
    keyOf,
    (c) => `Duplicate rule for plan change alignment DefaultCaseChangePlanAlignment {alignment=${c.alignment}, ${changeFields(c)}}`,
    (c) => checkRefs([c.fromProduct, c.toProduct], [c.fromPriceList, c.toPriceList]),
  );
  scan(
    rules.createAlignment,
    keyOf,
    (c) => `Duplicate rule for create plan alignment DefaultCaseCreateAlignment {alignment =${c.alignment}, ${standardFields(c)}}`,
    (c) => checkRefs([c.product], [c.priceList]),
  );
  scan(
    rules.billingAlignment,
    keyOf,
    (c) => `Duplicate rule for billing alignment DefaultCaseBillingAlignment {alignment=${c.alignment}, phaseType=${s(c.phaseType)}, ${standardFields(c)}}`,
    (c) => checkRefs([c.product], [c.priceList]),
  );
  scan(
    rules.priceList,
    keyOf,
    (c) =>
      `Duplicate rule for price list transition DefaultCasePriceList {fromProduct=${productString(catalog, c.fromProduct)}, fromProductCategory=${s(c.fromProductCategory)}, fromBillingPeriod=${s(c.fromBillingPeriod)}, fromPriceList=${priceListString(c.fromPriceList)}, toPriceList=${priceListString(c.toPriceList)}}`,
    (c) => checkRefs([c.fromProduct], [c.fromPriceList, c.toPriceList]),
  );
}

/** Currencies are validated against Kill Bill's enum by the schema; exported for callers. */
export function isSupportedCurrency(code: string): boolean {
  return (CURRENCIES as readonly string[]).includes(code);
}
