import Big from 'big.js';
import {
  SimplePlanInput,
  StandaloneCatalog,
  addSimplePlan,
  addSimplePlanToXml,
  firstVersionEffectiveDate,
  parseCatalogXmlOrThrow,
  templateCatalogXml,
  validateCatalog,
} from '@kb/catalog';
import { loadCatalog, readCatalogXml } from './helpers';

const NOW = new Date('2020-06-15T10:00:00Z');
const foo: SimplePlanInput = {
  planId: 'foo-monthly',
  productName: 'Foo',
  productCategory: 'BASE',
  currency: 'USD',
  amount: new Big('10'),
  billingPeriod: 'MONTHLY',
  trialLength: 0,
  trialTimeUnit: 'UNLIMITED',
  availableBaseProducts: [],
};
const load = (xml: string) => new StandaloneCatalog(parseCatalogXmlOrThrow(xml));

describe('simple plan: first version', () => {
  const xml = addSimplePlanToXml(undefined, foo, NOW);
  const c = load(xml);

  it('builds a DEFAULT catalog effective one day before now', () => {
    expect(c.catalogName).toBe('DEFAULT');
    expect(c.effectiveDate.toISOString()).toBe('2020-06-14T10:00:00.000Z');
    expect(c.definition.recurringBillingMode).toBe('IN_ADVANCE');
    expect(c.definition.currencies).toEqual(['USD']);
    expect(c.definition.priceLists.defaultPriceList).toMatchObject({ name: 'DEFAULT', plans: ['foo-monthly'] });
    expect(c.definition.rules).toEqual({
      changePolicy: [{ policy: 'IMMEDIATE' }],
      changeAlignment: [{ alignment: 'START_OF_BUNDLE' }],
      cancelPolicy: [{ policy: 'IMMEDIATE' }],
      createAlignment: [{ alignment: 'START_OF_BUNDLE' }],
      billingAlignment: [{ alignment: 'ACCOUNT' }],
      priceList: [{ toPriceList: 'DEFAULT' }],
    });
    expect(validateCatalog(c)).toEqual([]);
  });

  it('creates the product and an evergreen plan without trial', () => {
    expect(c.getProduct('Foo')).toMatchObject({ category: 'BASE' });
    const plan = c.findPlan('foo-monthly');
    expect(plan.initialPhases).toEqual([]);
    expect(plan.finalPhase.type).toBe('EVERGREEN');
    expect(plan.finalPhase.duration.unit).toBe('UNLIMITED');
    expect(plan.finalPhase.recurring!.billingPeriod).toBe('MONTHLY');
    expect(plan.finalPhase.recurring!.recurringPrice!.prices.map((p) => `${p.currency} ${p.value!.toFixed(2)}`)).toEqual(['USD 10.00']);
  });

  it('keeps an earlier requested effective date', () => {
    expect(firstVersionEffectiveDate(NOW, new Date('2020-01-01T00:00:00Z')).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(firstVersionEffectiveDate(NOW, new Date('2020-07-01T00:00:00Z')).toISOString()).toBe('2020-06-14T10:00:00.000Z');
  });
});

describe('simple plan: additions', () => {
  const withTrial: SimplePlanInput = {
    ...foo,
    planId: 'bar-annual',
    productName: 'Bar',
    billingPeriod: 'ANNUAL',
    amount: new Big('100'),
    trialLength: 14,
    trialTimeUnit: 'DAYS',
  };
  const first = addSimplePlanToXml(undefined, foo, NOW);
  const second = addSimplePlanToXml(first, withTrial, NOW);

  it('adds a plan with a $0 trial to the same version', () => {
    const c = load(second);
    expect(c.effectiveDate.toISOString()).toBe('2020-06-14T10:00:00.000Z');
    const plan = c.findPlan('bar-annual');
    expect(plan.initialPhases[0]).toMatchObject({ type: 'TRIAL', duration: { unit: 'DAYS', number: 14 } });
    expect(plan.initialPhases[0].fixed!.fixedPrice!.prices.map((p) => `${p.currency} ${p.value}`)).toEqual(['USD 0']);
    expect(c.definition.priceLists.defaultPriceList.plans).toEqual(['foo-monthly', 'bar-annual']);
  });

  it('adds a currency to an existing plan (trial price becomes zero everywhere)', () => {
    const c = load(addSimplePlanToXml(second, { ...withTrial, currency: 'EUR', amount: new Big('90') }, NOW));
    expect(c.definition.currencies).toEqual(['USD', 'EUR']);
    const plan = c.findPlan('bar-annual');
    expect(plan.finalPhase.recurring!.recurringPrice!.prices.map((p) => p.currency)).toEqual(['USD', 'EUR']);
    expect(plan.initialPhases[0].fixed!.fixedPrice!.prices).toEqual([]);
  });

  it('accepts re-posting the same plan unchanged', () => {
    expect(load(addSimplePlanToXml(second, withTrial, NOW)).definition.plans).toHaveLength(2);
  });

  it('adds an ADD_ON available to the listed base products', () => {
    const xml = addSimplePlanToXml(
      second,
      { ...foo, planId: 'extra-monthly', productName: 'Extra', productCategory: 'ADD_ON', availableBaseProducts: ['Foo', 'Bar'] },
      NOW,
    );
    const c = load(xml);
    expect(c.getProduct('Extra')!.category).toBe('ADD_ON');
    expect(c.getProduct('Foo')!.available).toEqual(['Extra']);
    expect(c.availableAddOnListings('Bar').map((l) => l.plan.name)).toEqual(['extra-monthly']);
  });

  it('edits an uploaded catalog in place (name and date kept, billing mode forced IN_ADVANCE)', () => {
    const c = load(
      addSimplePlanToXml(readCatalogXml('SpyCarBasic.xml'), { ...foo, planId: 'sports-annual', productName: 'Sports', billingPeriod: 'ANNUAL' }, NOW),
    );
    expect(c.catalogName).toBe('SpyCarBasic');
    expect(c.effectiveDate.toISOString()).toBe('2013-02-08T00:00:00.000Z');
    expect(c.createOrFindPlan({ productName: 'Sports', billingPeriod: 'ANNUAL' }).name).toBe('sports-annual');
    expect(c.definition.plans).toHaveLength(4);
    expect(validateCatalog(c)).toEqual([]);
    // the input definition is not mutated
    const original = loadCatalog('SpyCarBasic.xml').definition;
    addSimplePlan(original, { ...foo, planId: 'x-monthly', productName: 'X' }, NOW);
    expect(original.plans).toHaveLength(3);
  });
});

describe('simple plan: refusals', () => {
  const first = addSimplePlanToXml(undefined, foo, NOW);
  const cases: [string, string | undefined, SimplePlanInput, number, string][] = [
    ['no planId', undefined, { ...foo, planId: null }, 2060, "Invalid simple plan descriptor 'Plan is invalid. Please check.'"],
    ['new plan without product', undefined, { ...foo, productName: undefined }, 2060, "Invalid simple plan descriptor 'Please provide valid product name.'"],
    [
      'negative amount',
      undefined,
      { ...foo, amount: new Big(-1) },
      2060,
      "Invalid simple plan descriptor 'Please check amount and currency. Amount should be greater than 0 and currency should be valid.'",
    ],
    [
      'no currency',
      undefined,
      { ...foo, currency: null },
      2060,
      "Invalid simple plan descriptor 'Please check amount and currency. Amount should be greater than 0 and currency should be valid.'",
    ],
    [
      'ADD_ON without base products',
      first,
      { ...foo, planId: 'a-monthly', productName: 'A', productCategory: 'ADD_ON' },
      2060,
      "Invalid simple plan descriptor 'List of available base products should not be empty for add-ons.'",
    ],
    [
      'ADD_ON with an unknown base product',
      first,
      { ...foo, planId: 'a-monthly', productName: 'A', productCategory: 'ADD_ON', availableBaseProducts: ['Nope'] },
      2060,
      "Invalid simple plan descriptor 'Available base products contain invalid product.Please check.'",
    ],
    ['existing plan, other amount', first, { ...foo, amount: new Big('11') }, 2060, ''],
    ['existing plan, other billing period', first, { ...foo, billingPeriod: 'ANNUAL' }, 2060, ''],
    ['existing plan, trial added', first, { ...foo, trialLength: 7, trialTimeUnit: 'DAYS' }, 2060, ''],
    ['name that is not an NCName', undefined, { ...foo, planId: '1b2c-monthly' }, 2080, 'Invalid catalog for tenant : 9'],
  ];
  it.each(cases)('%s', (_l, current, desc, code, message) => {
    let thrown: { code?: number; message?: string } | undefined;
    try {
      addSimplePlanToXml(current, desc, NOW, 9);
    } catch (e) {
      thrown = e as { code?: number; message?: string };
    }
    expect(thrown?.code).toBe(code);
    if (message) expect(thrown?.message).toBe(message);
    else expect(thrown?.message).toMatch(/^Failed to validate simple Plan 'foo-monthly' against descriptor/);
  });
});

describe('template catalog', () => {
  it('is a DEFAULT version with no products, plans nor currencies, hidden from reads', () => {
    const c = load(templateCatalogXml(new Date('2020-01-01T00:00:00Z')));
    expect(c.isTemplate).toBe(true);
    expect(c.catalogName).toBe('DEFAULT');
    expect(validateCatalog(c)).toEqual([]);
    expect(load(readCatalogXml('SpyCarBasic.xml')).isTemplate).toBe(false);
  });
});
