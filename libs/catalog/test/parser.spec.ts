import Big from 'big.js';
import { catalogToXml, parseCatalogXml, validateCatalog } from '@kb/catalog';
import { loadCatalog, readCatalogXml, validCatalogFiles } from './helpers';

describe('parser: every reference catalog', () => {
  it.each(validCatalogFiles())('%s parses and validates without error', (file) => {
    const res = parseCatalogXml(readCatalogXml(file));
    if (!res.ok) throw new Error(res.errors[0].message);
    expect(validateCatalog(res.catalog)).toEqual([]);
  });

  it.each(validCatalogFiles())('%s survives an XML round trip (model -> XML -> model)', (file) => {
    const first = parseCatalogXml(readCatalogXml(file));
    if (!first.ok) throw new Error(first.errors[0].message);
    const second = parseCatalogXml(catalogToXml(first.catalog));
    if (!second.ok) throw new Error(second.errors[0].message);
    expect(second.catalog).toEqual(first.catalog);
  });
});

describe('parser: model of SpyCarAdvanced.xml', () => {
  const catalog = loadCatalog('SpyCarAdvanced.xml');
  const def = catalog.definition;

  it('reads the header', () => {
    expect(def.catalogName).toBe('SpyCarAdvanced');
    expect(def.effectiveDate.toISOString()).toBe('2013-02-08T00:00:00.000Z');
    expect(def.recurringBillingMode).toBe('IN_ADVANCE');
    expect(def.currencies).toEqual(['USD', 'GBP', 'EUR', 'JPY', 'BTC']);
    expect(def.units).toEqual([{ name: 'gallons', prettyName: undefined }]);
  });

  it('reads products with categories, included and available add-ons', () => {
    expect(def.products.map((p) => [p.name, p.category])).toEqual([
      ['Standard', 'BASE'],
      ['Sports', 'BASE'],
      ['Super', 'BASE'],
      ['OilSlick', 'ADD_ON'],
      ['RemoteControl', 'ADD_ON'],
      ['Gas', 'ADD_ON'],
    ]);
    const sup = catalog.getProduct('Super')!;
    expect(sup.included).toEqual(['OilSlick']);
    expect(sup.available).toEqual(['RemoteControl', 'Gas']);
  });

  it('reads plans, phases, durations and prices as Big', () => {
    const plan = catalog.findPlan('discount-sports-monthly');
    expect(plan.product).toBe('Sports');
    expect(plan.plansAllowedInBundle).toBe(-1);
    expect(plan.initialPhases.map((p) => [p.type, p.duration.unit, p.duration.number])).toEqual([
      ['TRIAL', 'DAYS', 30],
      ['DISCOUNT', 'MONTHS', 3],
    ]);
    // an empty <fixedPrice/> is an empty price list (zero in every currency)
    expect(plan.initialPhases[0].fixed).toEqual({ type: 'ONE_TIME', fixedPrice: { prices: [] } });
    const discount = plan.initialPhases[1].recurring!;
    expect(discount.billingPeriod).toBe('MONTHLY');
    const usd = discount.recurringPrice!.prices.find((p) => p.currency === 'USD')!;
    expect(usd.value).toBeInstanceOf(Big);
    expect(usd.value!.toFixed(2)).toBe('333.00');
    expect(plan.finalPhase).toMatchObject({ type: 'EVERGREEN', duration: { unit: 'UNLIMITED', number: -1 } });
  });

  it('reads rules in document order', () => {
    expect(def.rules.changePolicy).toEqual([
      { phaseType: 'TRIAL', policy: 'IMMEDIATE' },
      { fromProduct: 'Standard', toProduct: 'Sports', policy: 'IMMEDIATE' },
      { toProduct: 'Super', policy: 'IMMEDIATE' },
      { policy: 'END_OF_TERM' },
    ]);
    expect(def.rules.changeAlignment[1]).toEqual({ fromPriceList: 'SpecialDiscount', toPriceList: 'SpecialDiscount', alignment: 'CHANGE_OF_PRICELIST' });
    expect(def.rules.priceList).toEqual([
      { fromPriceList: 'SpecialDiscount', toPriceList: 'DEFAULT' },
      { fromPriceList: 'CIA', toPriceList: 'CIA' },
      { toPriceList: 'DEFAULT' },
    ]);
  });

  it('reads price lists and an in-arrear usage with tiered blocks', () => {
    expect(def.priceLists.defaultPriceList.name).toBe('DEFAULT');
    expect(def.priceLists.childPriceLists.map((p) => p.name)).toEqual(['SpecialDiscount', 'CIA']);
    const usage = catalog.findPlan('gas-monthly').finalPhase.usages[0];
    expect(usage).toMatchObject({
      name: 'gas-monthly-in-arrear',
      billingMode: 'IN_ARREAR',
      usageType: 'CONSUMABLE',
      tierBlockPolicy: 'ALL_TIERS',
      billingPeriod: 'MONTHLY',
    });
    const block = usage.tiers[0].blocks[0];
    expect(block.unit).toBe('gallons');
    expect(block.type).toBe('TIERED');
    expect(block.size.eq(1)).toBe(true);
    expect(block.max.eq(100)).toBe(true);
  });
});

describe('parser: other shapes', () => {
  it('reads every usage form of UsageExperimental.xml', () => {
    const c = loadCatalog('UsageExperimental.xml');
    const capacity = c.findPlan('capacity-in-advance-monthly').finalPhase.usages[0];
    expect(capacity.limits[0].unit).toBe('members');
    expect(capacity.limits[0].max!.eq(100)).toBe(true);
    expect(capacity.limits[0].min).toBeUndefined();
    expect(capacity.recurringPrice!.prices[0].value!.eq(100)).toBe(true);
    const topUp = c.findPlan('consumable-in-advance-topup').finalPhase.usages[0].blocks[0];
    expect(topUp.type).toBe('TOP_UP');
    expect(topUp.minTopUpCredit!.eq(5)).toBe(true);
    const arrear = c.findPlan('capacity-in-arrear').finalPhase.usages[0];
    expect(arrear.tiers).toHaveLength(2);
    expect(arrear.tiers[1].fixedPrice!.prices[0].value!.toString()).toBe('0.4');
    expect(c.findPlan('chocolate-monthly').finalPhase.recurring!.billingPeriod).toBe('MONTHLY');
    // a usage-only plan has no recurring section and so no billing period
    expect(c.findPlan('consumable-in-arrear').finalPhase.recurring).toBeUndefined();
  });

  it('reads prettyNames, FIXEDTERM final phases and plan-level billing modes', () => {
    const w = loadCatalog('WeaponsHire.xml');
    expect(w.findPlan('pistol-monthly').prettyName).toBe('Pistol Monthly Plan');
    expect(w.findPlan('pistol-monthly').finalPhase.prettyName).toBe('Pistol Monthly Plan Evergreen Phase');
    expect(w.getProduct('Pistol')!.prettyName).toBe('Pistol For Hire');
    expect(w.findPlan('refurbish-maintenance').finalPhase).toMatchObject({ type: 'FIXEDTERM', duration: { unit: 'MONTHS', number: 12 } });
    const v3 = loadCatalog('SpyCarBasic.v3.xml');
    expect(v3.definition.plans.map((p) => p.recurringBillingMode).filter(Boolean)).toEqual(['IN_ADVANCE', 'IN_ARREAR']);
  });

  it('reads effectiveDateForExistingSubscriptions', () => {
    const c = loadCatalog('versioned/WeaponsHireSmall-2.xml');
    expect(c.findPlan('pistol-monthly').effectiveDateForExistingSubscriptions!.toISOString()).toBe('2011-02-14T00:00:00.000Z');
  });

  it('reads an xsi:nil price value as null', () => {
    const xml = readCatalogXml('SpyCarBasic.xml').replace('<value>500.00</value>', '<value xsi:nil="true"/>');
    const res = parseCatalogXml(xml);
    if (!res.ok) throw new Error(res.errors[0].message);
    const prices = res.catalog.plans.flatMap((p) => p.finalPhase.recurring?.recurringPrice?.prices ?? []);
    expect(prices.some((p) => p.value === null)).toBe(true);
  });
});

describe('parser: schema errors (first error, Xerces wording)', () => {
  const base = readCatalogXml('SpyCarBasic.xml');
  const cases: [string, (xml: string) => string, string][] = [
    [
      'element out of order',
      (x) => x.replace(/(<catalogName>SpyCarBasic<\/catalogName>)/, '').replace('<currencies>', '<catalogName>SpyCarBasic</catalogName><currencies>'),
      "cvc-complex-type.2.4.a: Invalid content was found starting with element 'recurringBillingMode'. One of '{catalogName}' is expected.",
    ],
    [
      'unknown element',
      (x) => x.replace('<category>BASE</category>', '<category>BASE</category><color>red</color>'),
      "cvc-complex-type.2.4.a: Invalid content was found starting with element 'color'. One of '{included, available, limits}' is expected.",
    ],
    [
      'obsolete phase shape (billingPeriod directly under phase)',
      (x) =>
        x.replace(
          '<recurring>\n                    <billingPeriod>MONTHLY</billingPeriod>',
          '<billingPeriod>MONTHLY</billingPeriod><recurring>\n                    <billingPeriod>MONTHLY</billingPeriod>',
        ),
      "cvc-complex-type.2.4.a: Invalid content was found starting with element 'billingPeriod'. One of '{fixed, recurring, usages}' is expected.",
    ],
    [
      'missing required element',
      (x) => x.replace(/<duration>\s*<unit>DAYS<\/unit>/, '<duration>'),
      "cvc-complex-type.2.4.a: Invalid content was found starting with element 'number'. One of '{unit}' is expected.",
    ],
    [
      'incomplete content',
      (x) => x.replace('<category>BASE</category>', ''),
      "cvc-complex-type.2.4.b: The content of element 'product' is not complete. One of '{category}' is expected.",
    ],
    [
      'bad enum value',
      (x) => x.replace('<category>BASE</category>', '<category>MAIN</category>'),
      "cvc-enumeration-valid: Value 'MAIN' is not facet-valid with respect to enumeration '[BASE, ADD_ON, STANDALONE]'. It must be a value from the enumeration.",
    ],
    [
      'name that is not an NCName',
      (x) => x.replace('<product name="Standard">', '<product name="Standard Car">'),
      "cvc-datatype-valid.1.2.1: 'Standard Car' is not a valid value for 'NCName'.",
    ],
    [
      'duplicate ID across kinds (product and plan share a name space)',
      (x) => x.replace('<plan name="standard-monthly">', '<plan name="Standard">'),
      "cvc-id.2: There are multiple occurrences of ID value 'Standard'.",
    ],
    [
      'dangling reference',
      (x) => x.replace('<plan>sports-monthly</plan>', '<plan>sport-monthly</plan>'),
      "cvc-id.1: There is no ID/IDREF binding for IDREF 'sport-monthly'.",
    ],
    ['missing required attribute', (x) => x.replace('<phase type="TRIAL">', '<phase>'), "cvc-complex-type.4: Attribute 'type' must appear on element 'phase'."],
    [
      'unknown attribute',
      (x) => x.replace('<product name="Standard">', '<product name="Standard" color="red">'),
      "cvc-complex-type.3.2.2: Attribute 'color' is not allowed to appear in element 'product'.",
    ],
    [
      'bad integer',
      (x) => x.replace('<number>30</number>', '<number>thirty</number>'),
      "cvc-datatype-valid.1.2.1: 'thirty' is not a valid value for 'integer'.",
    ],
    ['bad decimal', (x) => x.replace('<value>500.00</value>', '<value>5OO</value>'), "cvc-datatype-valid.1.2.1: '5OO' is not a valid value for 'decimal'."],
    ['bad date', (x) => x.replace('2013-02-08T00:00:00+00:00', '08/02/2013'), "cvc-datatype-valid.1.2.1: '08/02/2013' is not a valid value for 'dateTime'."],
    ['wrong root', () => '<catalogs/>', "cvc-elt.1.a: Cannot find the declaration of element 'catalogs'."],
  ];
  it.each(cases)('%s', (_label, mutate, message) => {
    const xml = mutate(base);
    expect(xml).not.toBe(base);
    const res = parseCatalogXml(xml);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.errors).toEqual([{ message, objectType: 'DefaultVersionedCatalog', objectName: '' }]);
  });

  it('reports malformed XML', () => {
    const res = parseCatalogXml('<catalog><effectiveDate>');
    expect(res.ok).toBe(false);
  });
});
