import { toCatalogJson, toPlanDetailJson, toPhaseJson, toPlanJson } from '@kb/catalog';
import { loadCatalog } from './helpers';

describe('Catalog JSON', () => {
  it('maps SpyCarBasic.xml like the Kill Bill documentation example', () => {
    const json = toCatalogJson(loadCatalog('SpyCarBasic.xml'));
    expect(json.name).toBe('SpyCarBasic');
    expect(json.effectiveDate).toBe('2013-02-08T00:00:00.000Z');
    expect(json.currencies).toEqual(['USD', 'GBP']);
    expect(json.units).toEqual([]);
    expect(json.priceLists).toEqual([{ name: 'DEFAULT', plans: ['sports-monthly', 'standard-monthly', 'super-monthly'] }]);
    const standard = json.products.find((p) => p.name === 'Standard')!;
    expect(standard).toEqual({
      type: 'BASE',
      name: 'Standard',
      prettyName: 'Standard',
      plans: [
        {
          name: 'standard-monthly',
          prettyName: 'standard-monthly',
          recurringBillingMode: 'IN_ADVANCE',
          billingPeriod: 'MONTHLY',
          phases: [
            { type: 'TRIAL', prices: [], fixedPrices: [], duration: { unit: 'DAYS', number: 30 }, usages: [] },
            {
              type: 'EVERGREEN',
              prices: [
                { currency: 'GBP', value: 75 },
                { currency: 'USD', value: 100 },
              ],
              fixedPrices: [],
              duration: { unit: 'UNLIMITED', number: -1 },
              usages: [],
            },
          ],
        },
      ],
      included: [],
      available: [],
    });
    // the whole document is plain JSON
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('lists every product once, also those without plans, with add-ons', () => {
    const json = toCatalogJson(loadCatalog('SpyCarAdvanced.xml'));
    expect(json.products.map((p) => p.name).sort()).toEqual(['Gas', 'OilSlick', 'RemoteControl', 'Sports', 'Standard', 'Super']);
    const sup = json.products.find((p) => p.name === 'Super')!;
    expect(sup.included).toEqual(['OilSlick']);
    expect(sup.available).toEqual(['Gas', 'RemoteControl']);
    expect(sup.plans.map((p) => p.name)).toEqual(['discount-super-monthly', 'super-monthly']);
    expect(json.units).toEqual([{ name: 'gallons', prettyName: 'gallons' }]);
    const usage = loadCatalog('UsageExperimental.xml');
    expect(toCatalogJson(usage).products.find((p) => p.name === 'Dummy')!.plans).toEqual([]);
  });

  it('maps usages, tiers, tiered blocks and limits (quantities as strings)', () => {
    const c = loadCatalog('UsageExperimental.xml');
    const capacity = toPhaseJson(c.findPlan('capacity-in-arrear').finalPhase);
    expect(capacity.usages[0].billingPeriod).toBe('MONTHLY');
    expect(capacity.usages[0].tiers[0]).toEqual({
      limits: [
        { unit: 'bandwith-meg-sec', max: '100', min: '-1' },
        { unit: 'members', max: '500', min: '-1' },
      ],
      fixedPrice: [{ currency: 'BTC', value: 0.007 }],
      recurringPrice: [{ currency: 'BTC', value: 0.8 }],
      blocks: [],
    });
    const consumable = toPhaseJson(c.findPlan('consumable-in-arrear').finalPhase);
    expect(consumable.usages[0].tiers[0].blocks[0]).toEqual({
      unit: 'cell-phone-minutes',
      size: '1000',
      max: '10000',
      prices: [{ currency: 'BTC', value: 0.5 }],
    });
    expect(toPlanJson(c, c.findPlan('consumable-in-arrear')).billingPeriod).toBe('NO_BILLING_PERIOD');
  });

  it('maps prettyNames and plan-level billing modes', () => {
    const w = loadCatalog('WeaponsHire.xml');
    expect(toPlanJson(w, w.findPlan('pistol-monthly')).prettyName).toBe('Pistol Monthly Plan');
    const v3 = loadCatalog('SpyCarBasic.v3.xml');
    expect(
      toCatalogJson(v3)
        .products.flatMap((p) => p.plans.map((pl) => `${pl.name}:${pl.recurringBillingMode}`))
        .sort(),
    ).toEqual(['sports-monthly:IN_ARREAR', 'standard-monthly:IN_ADVANCE', 'super-monthly:IN_ADVANCE']);
  });

  it('maps listings to PlanDetail', () => {
    const c = loadCatalog('SpyCarAdvanced.xml');
    const details = c.availableAddOnListings('Sports', 'DEFAULT').map(toPlanDetailJson);
    expect(details[1]).toEqual({
      product: 'OilSlick',
      plan: 'oilslick-monthly',
      priceList: 'DEFAULT',
      finalPhaseBillingPeriod: 'MONTHLY',
      finalPhaseRecurringPrice: [
        { currency: 'GBP', value: 5.95 },
        { currency: 'EUR', value: 6.95 },
        { currency: 'USD', value: 7.95 },
        { currency: 'JPY', value: 0.8 },
        { currency: 'BTC', value: 0.01 },
      ],
    });
    expect(details[0]).toMatchObject({ plan: 'gas-monthly', finalPhaseBillingPeriod: 'NO_BILLING_PERIOD', finalPhaseRecurringPrice: [] });
  });
});
