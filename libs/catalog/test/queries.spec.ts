import { LocalDate } from '@js-joda/core';
import {
  PlanSpecifier,
  StandaloneCatalog,
  addBillingPeriods,
  addDuration,
  addDurationToInstant,
  fixedPriceOf,
  minTopUpCreditOf,
  generateLargeCatalogXml,
  parseCatalogXml,
  phaseAfter,
  phaseAt,
  phaseTimeline,
  priceIn,
  recurringPriceOf,
  resolveChangePolicy,
  validateCatalog,
} from '@kb/catalog';
import { loadCatalog } from './helpers';

const d = (s: string) => LocalDate.parse(s);

describe('plan lookup', () => {
  const c = loadCatalog('SpyCarAdvanced.xml');
  const w = loadCatalog('WeaponsHire.xml');

  const found: [string, StandaloneCatalog, PlanSpecifier, string][] = [
    ['by name', c, { planName: 'sports-annual' }, 'sports-annual'],
    ['triple, DEFAULT implied', c, { productName: 'Sports', billingPeriod: 'MONTHLY' }, 'sports-monthly'],
    ['triple in a child list', c, { productName: 'Sports', billingPeriod: 'MONTHLY', priceListName: 'SpecialDiscount' }, 'discount-sports-monthly'],
    ['triple falls back to DEFAULT', c, { productName: 'Sports', billingPeriod: 'ANNUAL', priceListName: 'CIA' }, 'sports-annual'],
    ['add-on in a child list', c, { productName: 'OilSlick', billingPeriod: 'MONTHLY', priceListName: 'CIA' }, 'oilslick-monthly'],
    ['usage plan has NO_BILLING_PERIOD', c, { productName: 'Gas', billingPeriod: 'NO_BILLING_PERIOD' }, 'gas-monthly'],
    ['gunclub list', w, { productName: 'Pistol', billingPeriod: 'ANNUAL', priceListName: 'gunclubDiscount' }, 'pistol-annual-gunclub-discount'],
  ];
  it.each(found)('%s', (_l, catalog, spec, expected) => {
    expect(catalog.createOrFindPlan(spec).name).toBe(expected);
  });

  const errors: [string, PlanSpecifier, number, string][] = [
    ['unknown plan', { planName: 'nope' }, 2021, "Could not find any plans named 'nope'"],
    ['unknown product', { productName: 'Nope', billingPeriod: 'MONTHLY' }, 2030, "Could not find any product named 'Nope'"],
    ['unknown price list', { productName: 'Sports', billingPeriod: 'MONTHLY', priceListName: 'Nope' }, 2013, "Could not find a pricelist with name 'Nope'"],
    [
      'no plan for the triple',
      { productName: 'Super', billingPeriod: 'ANNUAL' },
      2020,
      "Could not find a plan matching spec: (plan: 'undefined', product: 'Super', billing period: 'ANNUAL', pricelist 'undefined')",
    ],
    ['missing product name', { billingPeriod: 'MONTHLY' }, 2031, 'Product name was null'],
    ['missing billing period', { productName: 'Sports' }, 2015, 'Billing period name was null'],
  ];
  it.each(errors)('error: %s', (_l, spec, code, message) => {
    expect(() => c.createOrFindPlan(spec)).toThrow(expect.objectContaining({ code, message }));
  });

  it('refuses an ambiguous triple with CAT_MULTIPLE_MATCHING_PLANS_FOR_PRICELIST (2002)', () => {
    // two MONTHLY plans of Product0 in the DEFAULT list
    const res = parseCatalogXml(generateLargeCatalogXml(4));
    if (!res.ok) throw new Error('schema');
    const def = res.catalog;
    def.plans[1].finalPhase.recurring!.billingPeriod = 'MONTHLY';
    const cat = new StandaloneCatalog(def);
    expect(() => cat.createOrFindPlan({ productName: 'Product0', billingPeriod: 'MONTHLY' })).toThrow(expect.objectContaining({ code: 2002 }));
  });

  it('finds phases by derived name', () => {
    expect(c.findPhase('discount-sports-monthly-discount').phase.type).toBe('DISCOUNT');
    expect(() => c.findPhase('sports-monthly-discount')).toThrow(expect.objectContaining({ code: 2040 }));
    expect(() => c.findPhase('sports-monthly-foo')).toThrow(expect.objectContaining({ code: 2041 }));
  });

  it('lists add-ons available for a base product', () => {
    const names = (base: string, pl?: string) => c.availableAddOnListings(base, pl).map((l) => `${l.plan.name}@${l.priceList.name}`);
    expect(names('Sports')).toEqual([
      'gas-monthly@DEFAULT',
      'oilslick-monthly@DEFAULT',
      'oilslick-monthly@SpecialDiscount',
      'oilslick-monthly@CIA',
      'remotecontrol-monthly@DEFAULT',
      'remotecontrol-monthly@SpecialDiscount',
      'remotecontrol-monthly@CIA',
    ]);
    // OilSlick is included in Super, so not available separately
    expect(names('Super', 'DEFAULT')).toEqual(['gas-monthly@DEFAULT', 'remotecontrol-monthly@DEFAULT']);
    expect(names('Standard')).toEqual([]);
    expect(names('Nope')).toEqual([]);
  });

  it('lists base plans with their price lists', () => {
    const names = c.availableBasePlanListings().map((l) => `${l.plan.name}@${l.priceList.name}`);
    expect(names).toContain('discount-sports-monthly@SpecialDiscount');
    expect(names).toContain('discount-sports-monthly@CIA');
    expect(names).toContain('sports-monthly@DEFAULT');
    expect(names.some((n) => n.startsWith('oilslick'))).toBe(false);
  });
});

describe('prices', () => {
  const c = loadCatalog('SpyCarAdvanced.xml');
  const w = loadCatalog('WeaponsHire.xml');

  it('reads fixed and recurring prices per currency', () => {
    const sports = c.findPlan('sports-monthly');
    expect(recurringPriceOf(sports.finalPhase, 'USD')!.toFixed(2)).toBe('500.00');
    expect(recurringPriceOf(sports.finalPhase, 'BTC')!.toString()).toBe('0.5');
    // empty <fixedPrice/>: zero in every currency, even one the catalog does not list
    expect(fixedPriceOf(sports.initialPhases[0], 'USD')!.eq(0)).toBe(true);
    expect(fixedPriceOf(sports.initialPhases[0], 'CHF')!.eq(0)).toBe(true);
    expect(recurringPriceOf(sports.initialPhases[0], 'USD')).toBeUndefined();
    expect(fixedPriceOf(sports.finalPhase, 'USD')).toBeUndefined();
    const refurbish = w.findPlan('refurbish-maintenance').finalPhase;
    expect(fixedPriceOf(refurbish, 'EUR')!.toFixed(2)).toBe('599.95');
    expect(recurringPriceOf(refurbish, 'GBP')!.toFixed(2)).toBe('199.95');
  });

  it('raises CAT_NO_PRICE_FOR_CURRENCY (2010) for a currency without price', () => {
    const sports = c.findPlan('sports-monthly');
    expect(() => recurringPriceOf(sports.finalPhase, 'CHF')).toThrow(
      expect.objectContaining({ code: 2010, codeName: 'CAT_NO_PRICE_FOR_CURRENCY', message: "This price does not have a value for the currency 'CHF'." }),
    );
  });

  it('reads minTopUpCredit, refusing it on a non TOP_UP block (CAT_NOT_TOP_UP_BLOCK 2075)', () => {
    const u = loadCatalog('UsageExperimental.xml');
    const topUp = u.findPlan('consumable-in-advance-topup').finalPhase.usages[0].blocks[0];
    expect(minTopUpCreditOf(topUp, 'consumable-in-advance-topup-evergreen')!.eq(5)).toBe(true);
    expect(() => minTopUpCreditOf({ ...topUp, type: 'VANILLA' }, 'p-evergreen')).toThrow(
      expect.objectContaining({ code: 2075, message: 'Block for phase p-evergreen defines a TOP_UP property for a non TOP_UP block' }),
    );
  });

  it('raises CAT_PRICE_VALUE_NULL_FOR_CURRENCY (2011) for a nil value', () => {
    expect(() => priceIn({ prices: [{ currency: 'USD', value: null }] }, 'USD')).toThrow(expect.objectContaining({ code: 2011 }));
  });
});

describe('phases and durations (LocalDate calendar arithmetic)', () => {
  const c = loadCatalog('SpyCarAdvanced.xml');
  const w = loadCatalog('WeaponsHire.xml');

  const durations: [string, string, number, string][] = [
    ['2013-08-01', 'DAYS', 30, '2013-08-31'],
    ['2013-01-31', 'MONTHS', 1, '2013-02-28'],
    ['2012-01-31', 'MONTHS', 1, '2012-02-29'],
    ['2012-02-29', 'YEARS', 1, '2013-02-28'],
    ['2013-08-01', 'WEEKS', 2, '2013-08-15'],
  ];
  it.each(durations)('%s + %s %i = %s', (start, unit, n, expected) => {
    expect(addDuration(d(start), { unit: unit as 'DAYS', number: n }).toString()).toBe(expected);
  });

  it('adds durations to instants in UTC and refuses UNLIMITED', () => {
    expect(addDurationToInstant(new Date('2013-01-31T10:00:00Z'), { unit: 'MONTHS', number: 1 }).toISOString()).toBe('2013-02-28T10:00:00.000Z');
    expect(() => addDuration(d('2013-01-01'), { unit: 'UNLIMITED', number: -1 })).toThrow(expect.objectContaining({ code: 2014 }));
  });

  it('adds billing periods', () => {
    expect(addBillingPeriods(d('2013-08-31'), 'MONTHLY').toString()).toBe('2013-09-30');
    expect(addBillingPeriods(d('2013-08-31'), 'QUARTERLY', 2).toString()).toBe('2014-02-28');
    expect(addBillingPeriods(d('2013-08-01'), 'THIRTY_DAYS').toString()).toBe('2013-08-31');
    expect(addBillingPeriods(d('2013-08-01'), 'NO_BILLING_PERIOD').toString()).toBe('2013-08-01');
  });

  it('lays out trial then evergreen (spec E1: trial ends 2013-08-31)', () => {
    const t = phaseTimeline(c.findPlan('sports-monthly'), d('2013-08-01'));
    expect(t.map((i) => [i.name, i.start.toString(), i.end?.toString()])).toEqual([
      ['sports-monthly-trial', '2013-08-01', '2013-08-31'],
      ['sports-monthly-evergreen', '2013-08-31', undefined],
    ]);
  });

  it('chains durations (trial 30 days, then discount 3 months, from the previous phase end)', () => {
    const t = phaseTimeline(c.findPlan('discount-sports-monthly'), d('2013-01-01'));
    expect(t.map((i) => i.start.toString())).toEqual(['2013-01-01', '2013-01-31', '2013-04-30']);
  });

  const at: [string, string, string | undefined, string | undefined][] = [
    ['before start', '2013-07-31', undefined, undefined],
    ['start day', '2013-08-01', undefined, 'discount-sports-monthly-trial'],
    ['last trial day', '2013-08-30', undefined, 'discount-sports-monthly-trial'],
    ['discount starts', '2013-08-31', undefined, 'discount-sports-monthly-discount'],
    ['evergreen starts (08-31 + 3 months)', '2013-11-30', undefined, 'discount-sports-monthly-evergreen'],
    ['years later', '2020-01-01', undefined, 'discount-sports-monthly-evergreen'],
    ['skip trial: start in DISCOUNT', '2013-08-01', 'DISCOUNT', 'discount-sports-monthly-discount'],
    ['skip trial: evergreen after 3 months', '2013-11-01', 'DISCOUNT', 'discount-sports-monthly-evergreen'],
  ];
  it.each(at)('phaseAt: %s', (_l, date, initial, expected) => {
    const r = phaseAt(c.findPlan('discount-sports-monthly'), d('2013-08-01'), d(date), initial as 'DISCOUNT' | undefined);
    expect(r?.name).toBe(expected);
  });

  it('phaseAfter N units, and FIXEDTERM expiry', () => {
    const plan = c.findPlan('sports-monthly');
    expect(phaseAfter(plan, d('2013-08-01'), { unit: 'DAYS', number: 29 })!.phase.type).toBe('TRIAL');
    expect(phaseAfter(plan, d('2013-08-01'), { unit: 'DAYS', number: 30 })!.phase.type).toBe('EVERGREEN');
    const refurbish = w.findPlan('refurbish-maintenance');
    expect(phaseAfter(refurbish, d('2013-01-15'), { unit: 'MONTHS', number: 11 })!.phase.type).toBe('FIXEDTERM');
    expect(phaseAfter(refurbish, d('2013-01-15'), { unit: 'MONTHS', number: 12 })).toBeUndefined();
  });
});

describe('large catalog generator', () => {
  it('produces a valid catalog whose lookups are map reads', () => {
    const res = parseCatalogXml(generateLargeCatalogXml(400));
    if (!res.ok) throw new Error(res.errors[0].message);
    expect(res.catalog.plans).toHaveLength(400);
    expect(validateCatalog(res.catalog)).toEqual([]);
    const c = new StandaloneCatalog(res.catalog);
    expect(c.createOrFindPlan({ productName: 'Product42', billingPeriod: 'ANNUAL' }).name).toBe('plan-42-annual');
    expect(resolveChangePolicy(c, { planName: 'plan-1-monthly', phaseType: 'EVERGREEN' }, { planName: 'plan-2-annual' })).toBe('IMMEDIATE');
    expect(resolveChangePolicy(c, { planName: 'plan-1-annual', phaseType: 'EVERGREEN' }, { planName: 'plan-2-monthly' })).toBe('END_OF_TERM');
  });
});
