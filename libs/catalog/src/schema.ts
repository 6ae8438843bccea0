/**
 * The catalog XML schema (what Kill Bill's JAXB-generated CatalogSchema.xsd enforces) and a small
 * validator over a parsed element tree. Kill Bill validates against its XSD while unmarshalling and
 * stops at the first error, so `validateAgainstSchema` returns the first violation with Xerces'
 * message text (`cvc-...`), which is what `/catalog/xml/validate` shows.
 */
import { parseDateTime, toJsDate } from '@kb/kernel';
import {
  BILLING_ACTION_POLICIES,
  BILLING_ALIGNMENTS,
  BILLING_MODES,
  BILLING_PERIODS,
  BLOCK_TYPES,
  CURRENCIES,
  FIXED_TYPES,
  PHASE_TYPES,
  PLAN_ALIGNMENT_CHANGES,
  PLAN_ALIGNMENT_CREATES,
  PRODUCT_CATEGORIES,
  TIER_BLOCK_POLICIES,
  TIME_UNITS,
  USAGE_TYPES,
} from './model';

/** A parsed XML element (document order preserved). */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** Which kind of entity an xs:ID names (all share one document-wide name space). */
export type IdKind = 'product' | 'plan' | 'unit' | 'usage' | 'priceList';

type SimpleType =
  { kind: 'string' } | { kind: 'int' } | { kind: 'decimal' } | { kind: 'dateTime' } | { kind: 'idref' } | { kind: 'enum'; values: readonly string[] };

interface AttrDecl {
  name: string;
  required: boolean;
  type: SimpleType | { kind: 'id'; idKind: IdKind };
}

interface ElementDecl {
  name: string;
  min: 0 | 1;
  max: 1 | typeof UNBOUNDED;
  type: string | SimpleType; // complex type name, or simple type
  nillable?: boolean;
}

interface ComplexType {
  attrs: AttrDecl[];
  seq: ElementDecl[];
}

const UNBOUNDED = Number.POSITIVE_INFINITY;

const STRING: SimpleType = { kind: 'string' };
const INT: SimpleType = { kind: 'int' };
const DECIMAL: SimpleType = { kind: 'decimal' };
const DATETIME: SimpleType = { kind: 'dateTime' };
const IDREF: SimpleType = { kind: 'idref' };
const en = (values: readonly string[]): SimpleType => ({ kind: 'enum', values });

const opt = (name: string, type: string | SimpleType): ElementDecl => ({ name, min: 0, max: 1, type });
const req = (name: string, type: string | SimpleType): ElementDecl => ({ name, min: 1, max: 1, type });
const many = (name: string, type: string | SimpleType): ElementDecl => ({ name, min: 0, max: UNBOUNDED, type });
const idAttr = (idKind: IdKind): AttrDecl => ({ name: 'name', required: true, type: { kind: 'id', idKind } });
const prettyName: AttrDecl = { name: 'prettyName', required: false, type: STRING };

const standardCase = [
  opt('product', IDREF),
  opt('productCategory', en(PRODUCT_CATEGORIES)),
  opt('billingPeriod', en(BILLING_PERIODS)),
  opt('priceList', IDREF),
];
const changeCase = [
  opt('phaseType', en(PHASE_TYPES)),
  opt('fromProduct', IDREF),
  opt('fromProductCategory', en(PRODUCT_CATEGORIES)),
  opt('fromBillingPeriod', en(BILLING_PERIODS)),
  opt('fromPriceList', IDREF),
  opt('toProduct', IDREF),
  opt('toProductCategory', en(PRODUCT_CATEGORIES)),
  opt('toBillingPeriod', en(BILLING_PERIODS)),
  opt('toPriceList', IDREF),
];

/** Element order and cardinalities follow the JAXB field declaration order of Kill Bill's classes. */
const TYPES: Record<string, ComplexType> = {
  catalog: {
    attrs: [],
    seq: [
      req('effectiveDate', DATETIME),
      req('catalogName', STRING),
      opt('recurringBillingMode', en(BILLING_MODES)),
      req('currencies', 'currencies'),
      opt('units', 'units'),
      req('products', 'products'),
      req('rules', 'rules'),
      req('plans', 'plans'),
      req('priceLists', 'priceLists'),
    ],
  },
  currencies: { attrs: [], seq: [many('currency', en(CURRENCIES))] },
  units: { attrs: [], seq: [many('unit', 'unit')] },
  unit: { attrs: [idAttr('unit'), prettyName], seq: [] },
  products: { attrs: [], seq: [many('product', 'product')] },
  product: {
    attrs: [idAttr('product'), prettyName],
    seq: [req('category', en(PRODUCT_CATEGORIES)), opt('included', 'addonProducts'), opt('available', 'addonProducts'), opt('limits', 'limits')],
  },
  addonProducts: { attrs: [], seq: [many('addonProduct', IDREF)] },
  limits: { attrs: [], seq: [many('limit', 'limit')] },
  limit: { attrs: [], seq: [req('unit', IDREF), opt('max', DECIMAL), opt('min', DECIMAL)] },
  rules: {
    attrs: [],
    seq: [
      opt('changePolicy', 'changePolicy'),
      opt('changeAlignment', 'changeAlignment'),
      opt('cancelPolicy', 'cancelPolicy'),
      opt('createAlignment', 'createAlignment'),
      opt('billingAlignment', 'billingAlignment'),
      opt('priceList', 'priceListRules'),
    ],
  },
  changePolicy: { attrs: [], seq: [many('changePolicyCase', 'changePolicyCase')] },
  changePolicyCase: { attrs: [], seq: [...changeCase, req('policy', en(BILLING_ACTION_POLICIES))] },
  changeAlignment: { attrs: [], seq: [many('changeAlignmentCase', 'changeAlignmentCase')] },
  changeAlignmentCase: { attrs: [], seq: [...changeCase, req('alignment', en(PLAN_ALIGNMENT_CHANGES))] },
  cancelPolicy: { attrs: [], seq: [many('cancelPolicyCase', 'cancelPolicyCase')] },
  cancelPolicyCase: { attrs: [], seq: [...standardCase, opt('phaseType', en(PHASE_TYPES)), req('policy', en(BILLING_ACTION_POLICIES))] },
  createAlignment: { attrs: [], seq: [many('createAlignmentCase', 'createAlignmentCase')] },
  createAlignmentCase: { attrs: [], seq: [...standardCase, req('alignment', en(PLAN_ALIGNMENT_CREATES))] },
  billingAlignment: { attrs: [], seq: [many('billingAlignmentCase', 'billingAlignmentCase')] },
  billingAlignmentCase: { attrs: [], seq: [...standardCase, opt('phaseType', en(PHASE_TYPES)), req('alignment', en(BILLING_ALIGNMENTS))] },
  priceListRules: { attrs: [], seq: [many('priceListCase', 'priceListCase')] },
  // JAXB inherits the (unused) standard-naming elements into priceListCase; accepted and ignored.
  priceListCase: {
    attrs: [],
    seq: [
      ...standardCase,
      opt('fromProduct', IDREF),
      opt('fromProductCategory', en(PRODUCT_CATEGORIES)),
      opt('fromBillingPeriod', en(BILLING_PERIODS)),
      opt('fromPriceList', IDREF),
      req('toPriceList', IDREF),
    ],
  },
  plans: { attrs: [], seq: [many('plan', 'plan')] },
  plan: {
    attrs: [idAttr('plan'), prettyName],
    seq: [
      opt('effectiveDateForExistingSubscriptions', DATETIME),
      req('product', IDREF),
      opt('recurringBillingMode', en(BILLING_MODES)),
      opt('initialPhases', 'initialPhases'),
      req('finalPhase', 'phase'),
      opt('plansAllowedInBundle', INT),
    ],
  },
  initialPhases: { attrs: [], seq: [many('phase', 'phase')] },
  phase: {
    attrs: [prettyName, { name: 'type', required: true, type: en(PHASE_TYPES) }],
    seq: [req('duration', 'duration'), opt('fixed', 'fixed'), opt('recurring', 'recurring'), opt('usages', 'usages')],
  },
  duration: { attrs: [], seq: [req('unit', en(TIME_UNITS)), opt('number', INT)] },
  fixed: { attrs: [{ name: 'type', required: false, type: en(FIXED_TYPES) }], seq: [opt('fixedPrice', 'internationalPrice')] },
  recurring: { attrs: [], seq: [req('billingPeriod', en(BILLING_PERIODS)), opt('recurringPrice', 'internationalPrice')] },
  internationalPrice: { attrs: [], seq: [many('price', 'price')] },
  price: { attrs: [], seq: [req('currency', en(CURRENCIES)), { ...req('value', DECIMAL), nillable: true }] },
  usages: { attrs: [], seq: [many('usage', 'usage')] },
  usage: {
    attrs: [
      idAttr('usage'),
      prettyName,
      { name: 'billingMode', required: true, type: en(BILLING_MODES) },
      { name: 'usageType', required: true, type: en(USAGE_TYPES) },
      { name: 'tierBlockPolicy', required: false, type: en(TIER_BLOCK_POLICIES) },
    ],
    seq: [
      req('billingPeriod', en(BILLING_PERIODS)),
      opt('limits', 'limits'),
      opt('blocks', 'blocks'),
      opt('tiers', 'tiers'),
      opt('fixedPrice', 'internationalPrice'),
      opt('recurringPrice', 'internationalPrice'),
    ],
  },
  blocks: { attrs: [], seq: [many('block', 'block')] },
  block: {
    attrs: [{ name: 'type', required: false, type: en(BLOCK_TYPES) }],
    seq: [req('unit', IDREF), req('size', DECIMAL), req('prices', 'internationalPrice'), opt('minTopUpCredit', DECIMAL)],
  },
  tiers: { attrs: [], seq: [many('tier', 'tier')] },
  tier: {
    attrs: [],
    seq: [opt('limits', 'limits'), opt('blocks', 'tieredBlocks'), opt('fixedPrice', 'internationalPrice'), opt('recurringPrice', 'internationalPrice')],
  },
  tieredBlocks: { attrs: [], seq: [many('tieredBlock', 'tieredBlock')] },
  tieredBlock: {
    attrs: [{ name: 'type', required: false, type: en(BLOCK_TYPES) }],
    seq: [req('unit', IDREF), req('size', DECIMAL), req('prices', 'internationalPrice'), opt('minTopUpCredit', DECIMAL), req('max', DECIMAL)],
  },
  priceLists: { attrs: [], seq: [req('defaultPriceList', 'priceList'), many('childPriceList', 'priceList')] },
  priceList: { attrs: [idAttr('priceList'), prettyName], seq: [req('plans', 'priceListPlans')] },
  priceListPlans: { attrs: [], seq: [many('plan', IDREF)] },
};

// --- lexical checks (XML Schema datatypes) ---------------------------------------------------

const NCNAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
// eslint-disable-next-line no-misleading-character-class -- ranges of combining marks, not a combined character
const NCNAME_RE = new RegExp(`^[${NCNAME_START}][${NCNAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*$`);
const INT_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export const DATETIME_RE = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** XML Schema NCName (what an xs:ID / xs:IDREF must look like). */
export function isNCName(s: string): boolean {
  return NCNAME_RE.test(s);
}

/** xs:dateTime to an instant; a value without offset is read as UTC (Kill Bill runs in UTC). */
export function parseXsDateTime(s: string): Date | undefined {
  const v = s.trim();
  if (!DATETIME_RE.test(v)) return undefined;
  const instant = parseDateTime(v);
  return instant ? toJsDate(instant) : undefined;
}

const collapse = (s: string) => s.replace(/[\t\n\r ]+/g, ' ').trim();

function checkSimple(value: string, type: SimpleType | { kind: 'id'; idKind: IdKind }): string | undefined {
  switch (type.kind) {
    case 'string':
      return undefined;
    case 'int': {
      const v = collapse(value);
      if (!INT_RE.test(v)) return `cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'integer'.`;
      const n = Number(v);
      if (n > 2147483647 || n < -2147483648)
        return `cvc-maxInclusive-valid: Value '${v}' is not facet-valid with respect to maxInclusive '2147483647' for type 'int'.`;
      return undefined;
    }
    case 'decimal': {
      const v = collapse(value);
      return DECIMAL_RE.test(v) ? undefined : `cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'decimal'.`;
    }
    case 'dateTime': {
      const v = collapse(value);
      return parseXsDateTime(v) ? undefined : `cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'dateTime'.`;
    }
    case 'id':
    case 'idref': {
      const v = collapse(value);
      return isNCName(v) ? undefined : `cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'NCName'.`;
    }
    case 'enum': {
      const v = collapse(value);
      return type.values.includes(v)
        ? undefined
        : `cvc-enumeration-valid: Value '${v}' is not facet-valid with respect to enumeration '[${type.values.join(', ')}]'. It must be a value from the enumeration.`;
    }
  }
}

const isNamespaceAttr = (name: string) => name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');

/** IDs found while validating, used afterwards to resolve and type-check references. */
export interface SchemaResult {
  error?: string;
  ids: Map<string, IdKind>;
}

/**
 * Validates the tree against the catalog schema; returns the first violation (Xerces wording).
 * Also collects the document's IDs; IDREF targets are checked at the end like Xerces does.
 */
export function validateAgainstSchema(root: XmlNode): SchemaResult {
  const ids = new Map<string, IdKind>();
  const idrefs: string[] = [];

  if (root.name !== 'catalog') {
    return { error: `cvc-elt.1.a: Cannot find the declaration of element '${root.name}'.`, ids };
  }

  const visitComplex = (node: XmlNode, typeName: string): string | undefined => {
    const type = TYPES[typeName];
    // attributes
    for (const attrName of Object.keys(node.attrs)) {
      if (isNamespaceAttr(attrName)) continue;
      if (!type.attrs.some((a) => a.name === attrName)) {
        return `cvc-complex-type.3.2.2: Attribute '${attrName}' is not allowed to appear in element '${node.name}'.`;
      }
    }
    for (const decl of type.attrs) {
      const raw = node.attrs[decl.name];
      if (raw === undefined) {
        if (decl.required) return `cvc-complex-type.4: Attribute '${decl.name}' must appear on element '${node.name}'.`;
        continue;
      }
      const err = checkSimple(raw, decl.type);
      if (err) return err;
      if (decl.type.kind === 'id') {
        const id = collapse(raw);
        if (ids.has(id)) return `cvc-id.2: There are multiple occurrences of ID value '${id}'.`;
        ids.set(id, decl.type.idKind);
      }
    }
    if (node.text.trim() !== '') {
      return `cvc-complex-type.2.3: Element '${node.name}' cannot have character [children], because the type's content type is element-only.`;
    }
    // content: a sequence of particles
    const seq = type.seq;
    let i = 0;
    let count = 0;
    const expectedFrom = (pos: number, c: number): string[] => {
      const names: string[] = [];
      let p = pos;
      if (p < seq.length && c > 0) {
        if (c < seq[p].max) names.push(seq[p].name);
        if (c < seq[p].min) return names;
        p++;
      }
      for (; p < seq.length; p++) {
        names.push(seq[p].name);
        if (seq[p].min > 0) break;
      }
      return names;
    };
    for (const child of node.children) {
      const startI = i;
      const startCount = count;
      let matched = false;
      while (i < seq.length) {
        if (seq[i].name === child.name && count < seq[i].max) {
          count++;
          matched = true;
          break;
        }
        if (count >= seq[i].min) {
          i++;
          count = 0;
        } else break;
      }
      if (!matched) {
        const expected = expectedFrom(startI, startCount);
        return expected.length === 0
          ? `cvc-complex-type.2.4.d: Invalid content was found starting with element '${child.name}'. No child element is expected at this point.`
          : `cvc-complex-type.2.4.a: Invalid content was found starting with element '${child.name}'. One of '{${expected.join(', ')}}' is expected.`;
      }
      const err = visitElement(child, seq[i]);
      if (err) return err;
    }
    // missing required particles at the end
    let p = i;
    let c = count;
    while (p < seq.length) {
      if (c < seq[p].min) {
        return `cvc-complex-type.2.4.b: The content of element '${node.name}' is not complete. One of '{${expectedFrom(i, count).join(', ')}}' is expected.`;
      }
      p++;
      c = 0;
    }
    return undefined;
  };

  const visitElement = (node: XmlNode, decl: ElementDecl): string | undefined => {
    if (typeof decl.type === 'string') return visitComplex(node, decl.type);
    const nil = decl.nillable && node.attrs['xsi:nil'] === 'true';
    for (const attrName of Object.keys(node.attrs)) {
      if (!isNamespaceAttr(attrName)) {
        return `cvc-complex-type.3.2.2: Attribute '${attrName}' is not allowed to appear in element '${node.name}'.`;
      }
    }
    if (node.children.length > 0) {
      return `cvc-type.3.1.2: Element '${node.name}' is a simple type, so it must have no element information item [children].`;
    }
    if (nil) {
      if (node.text.trim() !== '')
        return `cvc-elt.3.2.1: Element '${node.name}' cannot have character or element information [children], because 'xsi:nil' is specified.`;
      return undefined;
    }
    const err = checkSimple(node.text, decl.type);
    if (err) return err;
    if (decl.type.kind === 'idref') idrefs.push(collapse(node.text));
    return undefined;
  };

  const error = visitComplex(root, 'catalog');
  if (error) return { error, ids };
  for (const ref of idrefs) {
    if (!ids.has(ref)) return { error: `cvc-id.1: There is no ID/IDREF binding for IDREF '${ref}'.`, ids };
  }
  return { ids };
}
