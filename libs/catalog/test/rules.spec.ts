import { KillBillError } from '@kb/kernel';
import {
  PlanPhaseSpecifier,
  PlanSpecifier,
  StandaloneCatalog,
  parseCatalogXml,
  resolveBillingAlignment,
  resolveCancelPolicy,
  resolveChangeAlignment,
  resolveChangePolicy,
  resolveCreateAlignment,
  resolvePlanChange,
  resolveTargetPriceList,
} from '@kb/catalog';
import { loadCatalog, readCatalogXml } from './helpers';

const plan = (planName: string, phaseType?: PlanPhaseSpecifier['phaseType']): PlanPhaseSpecifier => ({ planName, phaseType });

describe('rules: SpyCarAdvanced.xml', () => {
  const c = loadCatalog('SpyCarAdvanced.xml');

  it('puts a plan in the first price list holding it', () => {
    expect(c.priceListNameOf('discount-sports-monthly')).toBe('SpecialDiscount');
    expect(c.priceListNameOf('remotecontrol-monthly')).toBe('DEFAULT');
  });

  const changePolicy: [string, PlanPhaseSpecifier, PlanSpecifier, string][] = [
    ['TRIAL phase wins first', plan('sports-monthly', 'TRIAL'), { planName: 'super-monthly' }, 'IMMEDIATE'],
    ['TRIAL even towards a cheaper plan', plan('super-monthly', 'TRIAL'), { planName: 'standard-monthly' }, 'IMMEDIATE'],
    ['Standard -> Sports', plan('standard-monthly', 'EVERGREEN'), { planName: 'sports-annual' }, 'IMMEDIATE'],
    ['any -> Super', plan('sports-monthly', 'EVERGREEN'), { planName: 'super-monthly' }, 'IMMEDIATE'],
    ['any -> Super in another price list', plan('discount-standard-monthly', 'DISCOUNT'), { planName: 'discount-super-monthly' }, 'IMMEDIATE'],
    ['Sports -> Standard falls to the catch-all', plan('sports-monthly', 'EVERGREEN'), { planName: 'standard-monthly' }, 'END_OF_TERM'],
    ['Super -> Sports falls to the catch-all', plan('super-monthly', 'EVERGREEN'), { planName: 'sports-annual' }, 'END_OF_TERM'],
    ['no phase given: phase cases do not match', plan('sports-monthly'), { planName: 'standard-monthly' }, 'END_OF_TERM'],
    [
      'triple specifiers',
      { productName: 'Standard', billingPeriod: 'MONTHLY', priceListName: 'DEFAULT', phaseType: 'EVERGREEN' },
      { productName: 'Sports', billingPeriod: 'ANNUAL' },
      'IMMEDIATE',
    ],
  ];
  it.each(changePolicy)('changePolicy: %s', (_l, from, to, expected) => {
    expect(resolveChangePolicy(c, from, to)).toBe(expected);
  });

  const changeAlignment: [string, PlanPhaseSpecifier, PlanSpecifier, string][] = [
    ['to an ADD_ON', plan('remotecontrol-monthly', 'EVERGREEN'), { planName: 'oilslick-monthly' }, 'START_OF_BUNDLE'],
    ['within SpecialDiscount', plan('discount-sports-monthly', 'DISCOUNT'), { planName: 'discount-super-monthly' }, 'CHANGE_OF_PRICELIST'],
    ['SpecialDiscount -> DEFAULT', plan('discount-sports-monthly', 'EVERGREEN'), { planName: 'super-monthly' }, 'START_OF_SUBSCRIPTION'],
    ['base to base', plan('sports-monthly', 'EVERGREEN'), { planName: 'super-monthly' }, 'START_OF_SUBSCRIPTION'],
    [
      'triple target in CIA',
      plan('sports-monthly', 'EVERGREEN'),
      { productName: 'Super', billingPeriod: 'MONTHLY', priceListName: 'CIA' },
      'START_OF_SUBSCRIPTION',
    ],
  ];
  it.each(changeAlignment)('changeAlignment: %s', (_l, from, to, expected) => {
    expect(resolveChangeAlignment(c, from, to)).toBe(expected);
  });

  const cancel: [string, PlanPhaseSpecifier, string][] = [
    ['BASE in trial', plan('sports-monthly', 'TRIAL'), 'END_OF_TERM'],
    ['BASE evergreen', plan('standard-annual', 'EVERGREEN'), 'END_OF_TERM'],
    ['ADD_ON', plan('oilslick-monthly', 'DISCOUNT'), 'IMMEDIATE'],
    ['ADD_ON by triple', { productName: 'RemoteControl', billingPeriod: 'MONTHLY', phaseType: 'EVERGREEN' }, 'IMMEDIATE'],
  ];
  it.each(cancel)('cancelPolicy: %s', (_l, spec, expected) => {
    expect(resolveCancelPolicy(c, spec)).toBe(expected);
  });

  const create: [string, PlanSpecifier, string][] = [
    ['OilSlick', { planName: 'oilslick-monthly' }, 'START_OF_BUNDLE'],
    ['RemoteControl', { planName: 'remotecontrol-monthly' }, 'START_OF_SUBSCRIPTION'],
    ['RemoteControl by triple', { productName: 'RemoteControl', billingPeriod: 'MONTHLY' }, 'START_OF_SUBSCRIPTION'],
    ['base plan: catch-all', { planName: 'sports-monthly' }, 'START_OF_BUNDLE'],
  ];
  it.each(create)('createAlignment: %s', (_l, spec, expected) => {
    expect(resolveCreateAlignment(c, spec)).toBe(expected);
  });

  const billing: [string, PlanPhaseSpecifier, string][] = [
    ['ADD_ON', plan('oilslick-monthly', 'EVERGREEN'), 'BUNDLE'],
    ['usage-only ADD_ON', plan('gas-monthly', 'EVERGREEN'), 'BUNDLE'],
    ['ANNUAL base', plan('sports-annual', 'EVERGREEN'), 'SUBSCRIPTION'],
    ['ANNUAL base in trial (plan billing period is the final phase one)', plan('standard-annual', 'TRIAL'), 'SUBSCRIPTION'],
    ['MONTHLY base', plan('sports-monthly', 'EVERGREEN'), 'ACCOUNT'],
  ];
  it.each(billing)('billingAlignment: %s', (_l, spec, expected) => {
    expect(resolveBillingAlignment(c, spec)).toBe(expected);
  });

  const target: [string, PlanSpecifier, string][] = [
    ['from SpecialDiscount', { planName: 'discount-sports-monthly' }, 'DEFAULT'],
    ['from CIA (triple)', { productName: 'Standard', billingPeriod: 'MONTHLY', priceListName: 'CIA' }, 'CIA'],
    ['from DEFAULT', { planName: 'sports-monthly' }, 'DEFAULT'],
  ];
  it.each(target)('priceList rules: %s', (_l, from, expected) => {
    expect(resolveTargetPriceList(c, from)).toBe(expected);
  });

  it('resolves a full plan change: target price list, policy and alignment', () => {
    expect(resolvePlanChange(c, plan('discount-sports-monthly', 'EVERGREEN'), { productName: 'Super', billingPeriod: 'MONTHLY' })).toEqual({
      newPriceList: 'DEFAULT',
      policy: 'IMMEDIATE',
      alignment: 'START_OF_SUBSCRIPTION',
    });
    expect(
      resolvePlanChange(
        c,
        { productName: 'Standard', billingPeriod: 'MONTHLY', priceListName: 'CIA', phaseType: 'EVERGREEN' },
        { productName: 'Sports', billingPeriod: 'MONTHLY' },
      ),
    ).toEqual({ newPriceList: 'CIA', policy: 'IMMEDIATE', alignment: 'START_OF_SUBSCRIPTION' });
    expect(resolvePlanChange(c, plan('sports-monthly', 'EVERGREEN'), { planName: 'standard-monthly' })).toEqual({
      newPriceList: 'DEFAULT',
      policy: 'END_OF_TERM',
      alignment: 'START_OF_SUBSCRIPTION',
    });
  });

  it('raises on unknown plans and price lists', () => {
    expect(() => resolveCancelPolicy(c, plan('nope'))).toThrow("Could not find any plans named 'nope'");
    expect(() => resolvePlanChange(c, plan('sports-monthly'), { planName: 'super-monthly', priceListName: 'Nope' })).toThrow(
      expect.objectContaining({ code: 2013, codeName: 'CAT_PRICE_LIST_NOT_FOUND' }),
    );
  });
});

describe('rules: WeaponsHire.xml (first match wins, catch-all first)', () => {
  const c = loadCatalog('WeaponsHire.xml');
  const changePolicy: [string, PlanPhaseSpecifier, string, string][] = [
    ['TRIAL', plan('pistol-monthly', 'TRIAL'), 'shotgun-annual', 'IMMEDIATE'],
    ['to Assault-Rifle', plan('pistol-monthly', 'EVERGREEN'), 'assault-rifle-monthly', 'IMMEDIATE'],
    ['Pistol -> Shotgun', plan('pistol-annual', 'EVERGREEN'), 'shotgun-annual', 'IMMEDIATE'],
    ['to rescue is shadowed by toProduct Assault-Rifle', plan('shotgun-monthly', 'EVERGREEN'), 'assault-rifle-annual-rescue', 'IMMEDIATE'],
    ['MONTHLY -> ANNUAL', plan('shotgun-monthly', 'EVERGREEN'), 'pistol-annual', 'IMMEDIATE'],
    ['ANNUAL -> MONTHLY', plan('shotgun-annual', 'EVERGREEN'), 'pistol-monthly', 'END_OF_TERM'],
    ['catch-all', plan('shotgun-monthly', 'EVERGREEN'), 'pistol-monthly', 'END_OF_TERM'],
  ];
  it.each(changePolicy)('changePolicy: %s', (_l, from, to, expected) => {
    expect(resolveChangePolicy(c, from, { planName: to })).toBe(expected);
  });

  it('changeAlignment, cancel, create and billing alignment', () => {
    expect(resolveChangeAlignment(c, plan('shotgun-monthly', 'EVERGREEN'), { planName: 'assault-rifle-annual-rescue' })).toBe('CHANGE_OF_PLAN');
    expect(resolveChangeAlignment(c, plan('shotgun-monthly', 'EVERGREEN'), { planName: 'pistol-annual' })).toBe('START_OF_SUBSCRIPTION');
    expect(resolveCancelPolicy(c, plan('pistol-monthly', 'TRIAL'))).toBe('IMMEDIATE');
    expect(resolveCancelPolicy(c, plan('pistol-monthly', 'EVERGREEN'))).toBe('END_OF_TERM');
    expect(resolveCreateAlignment(c, { planName: 'laser-scope-monthly' })).toBe('START_OF_SUBSCRIPTION');
    expect(resolveCreateAlignment(c, { planName: 'holster-monthly-regular' })).toBe('START_OF_BUNDLE');
    // the first billingAlignment case is the catch-all: later cases are dead
    expect(resolveBillingAlignment(c, plan('shotgun-annual', 'EVERGREEN'))).toBe('ACCOUNT');
    expect(resolveBillingAlignment(c, plan('laser-scope-monthly', 'EVERGREEN'))).toBe('ACCOUNT');
    expect(resolveTargetPriceList(c, { planName: 'assault-rifle-annual-rescue' })).toBe('DEFAULT');
    expect(resolveTargetPriceList(c, { planName: 'pistol-annual-gunclub-discount' })).toBe('gunclubDiscount');
  });
});

describe('rules: defaults, START_OF_TERM and ILLEGAL', () => {
  it('applies the defaults when no case matches', () => {
    const c = loadCatalog('UsageExperimental.xml');
    expect(resolveChangeAlignment(c, plan('chocolate-monthly', 'EVERGREEN'), { planName: 'capacity-in-arrear' })).toBe('START_OF_BUNDLE');
    expect(resolveCreateAlignment(c, { planName: 'chocolate-monthly' })).toBe('START_OF_BUNDLE');
    expect(resolveBillingAlignment(c, plan('chocolate-monthly', 'EVERGREEN'))).toBe('ACCOUNT');
    expect(resolveTargetPriceList(c, { planName: 'chocolate-monthly' })).toBe('DEFAULT');
    const empty = new StandaloneCatalog({ ...c.definition, rules: { ...c.definition.rules, changePolicy: [], cancelPolicy: [] } });
    expect(resolveChangePolicy(empty, plan('chocolate-monthly', 'EVERGREEN'), { planName: 'capacity-in-arrear' })).toBe('END_OF_TERM');
    expect(resolveCancelPolicy(empty, plan('chocolate-monthly', 'EVERGREEN'))).toBe('END_OF_TERM');
  });

  const mutated = (from: string, to: string) => {
    const xml = readCatalogXml('SpyCarAdvanced.xml').replace(from, to);
    const res = parseCatalogXml(xml);
    if (!res.ok) throw new Error(res.errors[0].message);
    return new StandaloneCatalog(res.catalog);
  };
  const superCase = '<toProduct>Super</toProduct>\n                <policy>IMMEDIATE</policy>';

  it('returns START_OF_TERM when a case says so', () => {
    const c = mutated(superCase, '<toProduct>Super</toProduct>\n                <policy>START_OF_TERM</policy>');
    expect(resolveChangePolicy(c, plan('sports-monthly', 'EVERGREEN'), { planName: 'super-monthly' })).toBe('START_OF_TERM');
  });

  it('refuses an ILLEGAL change with CAT_ILLEGAL_CHANGE_REQUEST (2001)', () => {
    const c = mutated(superCase, '<toProduct>Super</toProduct>\n                <policy>ILLEGAL</policy>');
    expect(resolveChangePolicy(c, plan('sports-monthly', 'EVERGREEN'), { planName: 'super-monthly' })).toBe('ILLEGAL');
    let thrown: unknown;
    try {
      resolvePlanChange(c, plan('sports-monthly', 'EVERGREEN'), { planName: 'super-monthly' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(KillBillError);
    expect((thrown as KillBillError).code).toBe(2001);
    expect((thrown as KillBillError).message).toBe(
      "Attempting to change plan from (product: 'Sports', billing period: 'MONTHLY', pricelist 'DEFAULT') to (product: 'Super', billing period: 'MONTHLY', pricelist 'DEFAULT'). This transition is not allowed by catalog rules",
    );
  });
});
