/**
 * Catalog XML -> typed model. Parsing runs the schema check first (element order, enums, IDs,
 * IDREFs) and only then builds the model, so the builder can trust the document's shape.
 */
import Big from 'big.js';
import { Parser } from 'xml2js';
import {
  BillingActionPolicy,
  BillingAlignment,
  BillingMode,
  BillingPeriod,
  Block,
  BlockType,
  CancelPolicyCase,
  CatalogDefinition,
  CatalogPrice,
  CatalogValidationError,
  ChangeCasePredicates,
  Currency,
  FixedType,
  InternationalPrice,
  Limit,
  PhaseType,
  Plan,
  PlanAlignmentChange,
  PlanAlignmentCreate,
  PlanPhase,
  PlanRules,
  PriceList,
  PriceListCase,
  Product,
  ProductCategory,
  StandardCasePredicates,
  Tier,
  TierBlockPolicy,
  TieredBlock,
  TimeUnit,
  UNSET_INTEGER,
  Unit,
  Usage,
  UsageType,
  emptyRules,
} from './model';
import { IdKind, XmlNode, parseXsDateTime, validateAgainstSchema } from './schema';

export type CatalogParseResult = { ok: true; catalog: CatalogDefinition } | { ok: false; errors: CatalogValidationError[] };

interface RawXml2jsNode {
  '#name': string;
  $?: Record<string, string>;
  $$?: RawXml2jsNode[];
  _?: string;
}

/** Parses well-formed XML into an order-preserving element tree; throws on malformed XML. */
export function parseXmlTree(xml: string): XmlNode {
  const parser = new Parser({
    explicitChildren: true,
    preserveChildrenOrder: true,
    charsAsChildren: false,
    explicitCharkey: true,
    trim: false,
    normalize: false,
    async: false,
    strict: true,
  });
  let result: Record<string, RawXml2jsNode> | undefined;
  let failure: unknown;
  // xml2js calls back synchronously when async is false
  parser.parseString(xml, (err: unknown, res: Record<string, RawXml2jsNode>) => {
    failure = err;
    result = res;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  if (!result) throw new Error('Premature end of file.');
  const rootKey = Object.keys(result)[0];
  const convert = (n: RawXml2jsNode): XmlNode => ({
    name: n['#name'],
    attrs: n.$ ?? {},
    children: (n.$$ ?? []).map(convert),
    text: n._ ?? '',
  });
  return convert(result[rootKey]);
}

/**
 * Parses and schema-checks one catalog version. Returns the model, or the first schema error
 * (or XML syntax error) as Kill Bill would report it. Semantic validation is `validateCatalog`.
 */
export function parseCatalogXml(xml: string): CatalogParseResult {
  let root: XmlNode;
  try {
    root = parseXmlTree(xml);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { ok: false, errors: [{ message, objectType: 'DefaultVersionedCatalog', objectName: '' }] };
  }
  const schema = validateAgainstSchema(root);
  if (schema.error) {
    return { ok: false, errors: [{ message: schema.error, objectType: 'DefaultVersionedCatalog', objectName: '' }] };
  }
  return { ok: true, catalog: buildCatalog(root, schema.ids) };
}

/** Like `parseCatalogXml` but throws (for trusted, already-stored documents). */
export function parseCatalogXmlOrThrow(xml: string): CatalogDefinition {
  const res = parseCatalogXml(xml);
  if (!res.ok) throw new Error(`Invalid catalog XML: ${res.errors[0].message}`);
  return res.catalog;
}

// ---------------------------------------------------------------------------------------------

const collapse = (s: string) => s.replace(/[\t\n\r ]+/g, ' ').trim();

function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}
function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}
function text(node: XmlNode | undefined): string | undefined {
  return node ? collapse(node.text) : undefined;
}
function big(node: XmlNode | undefined): Big | undefined {
  const t = text(node);
  return t === undefined ? undefined : new Big(t);
}

function buildCatalog(root: XmlNode, ids: Map<string, IdKind>): CatalogDefinition {
  // A reference to an ID of another kind resolves to nothing (JAXB sets null), e.g. a plan whose
  // <product> names a plan; validation then reports it.
  const ref = (node: XmlNode | undefined, kind: IdKind): string | undefined => {
    const name = text(node);
    return name !== undefined && ids.get(name) === kind ? name : undefined;
  };

  const price = (n: XmlNode): CatalogPrice => {
    const v = child(n, 'value')!;
    const nil = v.attrs['xsi:nil'] === 'true';
    return { currency: text(child(n, 'currency')) as Currency, value: nil ? null : new Big(collapse(v.text)) };
  };
  const intlPrice = (n: XmlNode | undefined): InternationalPrice | undefined => (n ? { prices: childrenNamed(n, 'price').map(price) } : undefined);

  const limit = (n: XmlNode): Limit => ({
    unit: text(child(n, 'unit'))!,
    max: big(child(n, 'max')),
    min: big(child(n, 'min')),
  });
  const limits = (wrapper: XmlNode | undefined): Limit[] => childrenNamed(wrapper, 'limit').map(limit);

  const block = (n: XmlNode): Block => ({
    type: (n.attrs.type ? collapse(n.attrs.type) : 'VANILLA') as BlockType,
    unit: text(child(n, 'unit'))!,
    size: big(child(n, 'size'))!,
    prices: intlPrice(child(n, 'prices'))!,
    minTopUpCredit: big(child(n, 'minTopUpCredit')),
  });
  const tieredBlock = (n: XmlNode): TieredBlock => ({ ...block(n), type: 'TIERED', max: big(child(n, 'max'))! });
  const tier = (n: XmlNode): Tier => ({
    limits: limits(child(n, 'limits')),
    blocks: childrenNamed(child(n, 'blocks'), 'tieredBlock').map(tieredBlock),
    fixedPrice: intlPrice(child(n, 'fixedPrice')),
    recurringPrice: intlPrice(child(n, 'recurringPrice')),
  });
  const usage = (n: XmlNode): Usage => ({
    name: collapse(n.attrs.name),
    prettyName: n.attrs.prettyName,
    billingMode: collapse(n.attrs.billingMode) as BillingMode,
    usageType: collapse(n.attrs.usageType) as UsageType,
    tierBlockPolicy: (n.attrs.tierBlockPolicy ? collapse(n.attrs.tierBlockPolicy) : 'ALL_TIERS') as TierBlockPolicy,
    billingPeriod: text(child(n, 'billingPeriod')) as BillingPeriod,
    limits: limits(child(n, 'limits')),
    blocks: childrenNamed(child(n, 'blocks'), 'block').map(block),
    tiers: childrenNamed(child(n, 'tiers'), 'tier').map(tier),
    fixedPrice: intlPrice(child(n, 'fixedPrice')),
    recurringPrice: intlPrice(child(n, 'recurringPrice')),
  });

  const phase = (n: XmlNode): PlanPhase => {
    const duration = child(n, 'duration')!;
    const numberText = text(child(duration, 'number'));
    const fixed = child(n, 'fixed');
    const recurring = child(n, 'recurring');
    return {
      type: collapse(n.attrs.type) as PhaseType,
      prettyName: n.attrs.prettyName,
      duration: {
        unit: text(child(duration, 'unit')) as TimeUnit,
        number: numberText === undefined ? UNSET_INTEGER : Number(numberText),
      },
      fixed: fixed
        ? { type: (fixed.attrs.type ? collapse(fixed.attrs.type) : 'ONE_TIME') as FixedType, fixedPrice: intlPrice(child(fixed, 'fixedPrice')) }
        : undefined,
      recurring: recurring
        ? { billingPeriod: text(child(recurring, 'billingPeriod')) as BillingPeriod, recurringPrice: intlPrice(child(recurring, 'recurringPrice')) }
        : undefined,
      usages: childrenNamed(child(n, 'usages'), 'usage').map(usage),
    };
  };

  const plan = (n: XmlNode): Plan => {
    const edfes = text(child(n, 'effectiveDateForExistingSubscriptions'));
    const allowed = text(child(n, 'plansAllowedInBundle'));
    return {
      name: collapse(n.attrs.name),
      prettyName: n.attrs.prettyName,
      effectiveDateForExistingSubscriptions: edfes !== undefined ? parseXsDateTime(edfes) : undefined,
      product: ref(child(n, 'product'), 'product'),
      recurringBillingMode: text(child(n, 'recurringBillingMode')) as BillingMode | undefined,
      initialPhases: childrenNamed(child(n, 'initialPhases'), 'phase').map(phase),
      finalPhase: phase(child(n, 'finalPhase')!),
      plansAllowedInBundle: allowed === undefined ? UNSET_INTEGER : Number(allowed),
    };
  };

  const product = (n: XmlNode): Product => ({
    name: collapse(n.attrs.name),
    prettyName: n.attrs.prettyName,
    category: text(child(n, 'category')) as ProductCategory,
    // kept as written: a reference to a non-product is reported by validation
    included: childrenNamed(child(n, 'included'), 'addonProduct').map((a) => text(a)!),
    available: childrenNamed(child(n, 'available'), 'addonProduct').map((a) => text(a)!),
    limits: limits(child(n, 'limits')),
  });

  const unit = (n: XmlNode): Unit => ({ name: collapse(n.attrs.name), prettyName: n.attrs.prettyName });

  const priceList = (n: XmlNode): PriceList => ({
    name: collapse(n.attrs.name),
    prettyName: n.attrs.prettyName,
    plans: childrenNamed(child(n, 'plans'), 'plan').map((p) => text(p)!),
  });

  // Rule cases: references of the wrong kind are kept as written so that the case never matches
  // silently more than it should (Kill Bill would fail on them at evaluation time).
  const caseText = (n: XmlNode, name: string): string | undefined => text(child(n, name));
  const standard = (n: XmlNode): StandardCasePredicates =>
    prune({
      product: caseText(n, 'product'),
      productCategory: caseText(n, 'productCategory') as ProductCategory | undefined,
      billingPeriod: caseText(n, 'billingPeriod') as BillingPeriod | undefined,
      priceList: caseText(n, 'priceList'),
    });
  const change = (n: XmlNode): ChangeCasePredicates =>
    prune({
      phaseType: caseText(n, 'phaseType') as PhaseType | undefined,
      fromProduct: caseText(n, 'fromProduct'),
      fromProductCategory: caseText(n, 'fromProductCategory') as ProductCategory | undefined,
      fromBillingPeriod: caseText(n, 'fromBillingPeriod') as BillingPeriod | undefined,
      fromPriceList: caseText(n, 'fromPriceList'),
      toProduct: caseText(n, 'toProduct'),
      toProductCategory: caseText(n, 'toProductCategory') as ProductCategory | undefined,
      toBillingPeriod: caseText(n, 'toBillingPeriod') as BillingPeriod | undefined,
      toPriceList: caseText(n, 'toPriceList'),
    });

  const rulesNode = child(root, 'rules')!;
  const cases = (wrapper: string, caseName: string) => childrenNamed(child(rulesNode, wrapper), caseName);
  const rules: PlanRules = {
    ...emptyRules(),
    changePolicy: cases('changePolicy', 'changePolicyCase').map((n) => ({
      ...change(n),
      policy: caseText(n, 'policy') as BillingActionPolicy,
    })),
    changeAlignment: cases('changeAlignment', 'changeAlignmentCase').map((n) => ({
      ...change(n),
      alignment: caseText(n, 'alignment') as PlanAlignmentChange,
    })),
    cancelPolicy: cases('cancelPolicy', 'cancelPolicyCase').map((n): CancelPolicyCase =>
      prune({ ...standard(n), phaseType: caseText(n, 'phaseType') as PhaseType | undefined, policy: caseText(n, 'policy') as BillingActionPolicy }),
    ),
    createAlignment: cases('createAlignment', 'createAlignmentCase').map((n) => ({
      ...standard(n),
      alignment: caseText(n, 'alignment') as PlanAlignmentCreate,
    })),
    billingAlignment: cases('billingAlignment', 'billingAlignmentCase').map((n) =>
      prune({ ...standard(n), phaseType: caseText(n, 'phaseType') as PhaseType | undefined, alignment: caseText(n, 'alignment') as BillingAlignment }),
    ),
    priceList: cases('priceList', 'priceListCase').map((n): PriceListCase =>
      prune({
        fromProduct: caseText(n, 'fromProduct'),
        fromProductCategory: caseText(n, 'fromProductCategory') as ProductCategory | undefined,
        fromBillingPeriod: caseText(n, 'fromBillingPeriod') as BillingPeriod | undefined,
        fromPriceList: caseText(n, 'fromPriceList'),
        toPriceList: caseText(n, 'toPriceList')!,
      }),
    ),
  };

  const priceLists = child(root, 'priceLists')!;
  return {
    effectiveDate: parseXsDateTime(text(child(root, 'effectiveDate'))!)!,
    // catalogName is an xs:string: kept as written
    catalogName: child(root, 'catalogName')!.text,
    recurringBillingMode: text(child(root, 'recurringBillingMode')) as BillingMode | undefined,
    currencies: childrenNamed(child(root, 'currencies'), 'currency').map((n) => text(n) as Currency),
    units: childrenNamed(child(root, 'units'), 'unit').map(unit),
    products: childrenNamed(child(root, 'products'), 'product').map(product),
    rules,
    plans: childrenNamed(child(root, 'plans'), 'plan').map(plan),
    priceLists: {
      defaultPriceList: priceList(child(priceLists, 'defaultPriceList')!),
      childPriceLists: childrenNamed(priceLists, 'childPriceList').map(priceList),
    },
  };
}

/** Drops keys whose value is undefined so that cases compare and print cleanly. */
function prune<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) {
    if (o[k] === undefined) delete o[k];
  }
  return o;
}
