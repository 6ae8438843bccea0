import Big from 'big.js';
import { KillBillError } from '@kb/kernel';
import {
  VersionedCatalog,
  fixedPriceOf,
  overriddenPlanName,
  parseOverriddenPlanName,
  recurringPriceOf,
  resolvePhaseOverrides,
  samePhaseOverrides,
  withOverriddenPlans,
} from '@kb/catalog';
import { loadCatalog } from './helpers';

describe('price overrides', () => {
  const version = loadCatalog('SpyCarBasic.xml');
  const sports = version.findPlan('sports-monthly');

  it('resolves each phase to the first entry naming it (phase name, else phase type)', () => {
    const resolved = resolvePhaseOverrides(
      sports,
      [
        { phaseType: 'EVERGREEN', recurringPrice: new Big('100') },
        { phaseName: 'sports-monthly-trial', fixedPrice: new Big('1.5') },
        { phaseType: 'EVERGREEN', recurringPrice: new Big('200') },
      ],
      'USD',
    );
    expect(resolved).toEqual([
      { phaseNumber: 0, parentPhaseName: 'sports-monthly-trial', currency: 'USD', fixedPrice: new Big('1.5'), recurringPrice: null, blockPrices: [] },
      { phaseNumber: 1, parentPhaseName: 'sports-monthly-evergreen', currency: 'USD', fixedPrice: null, recurringPrice: new Big('100'), blockPrices: [] },
    ]);
    // a phase name wins over the type: an entry with another phase's name does not match by type
    expect(resolvePhaseOverrides(sports, [{ phaseName: 'nope', phaseType: 'TRIAL', fixedPrice: new Big(1) }], 'USD')).toEqual([]);
  });

  it.each([
    [
      { phaseType: 'TRIAL' as const, recurringPrice: new Big(1) },
      'Cannot override price for plan sports-monthly : There is no existing recurring price for the phase sports-monthly-trial',
    ],
    [
      { phaseType: 'EVERGREEN' as const, fixedPrice: new Big(1) },
      'Cannot override price for plan sports-monthly : There is no existing fixed price for the phase sports-monthly-evergreen',
    ],
  ])('refuses a price the phase does not have (2081): %o', (override, message) => {
    let error: unknown;
    try {
      resolvePhaseOverrides(sports, [override], 'USD');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KillBillError);
    expect((error as KillBillError).errorCode.code).toBe(2081);
    expect((error as KillBillError).message).toBe(message);
  });

  it('names plans <parent>-<n> and reads those names back', () => {
    expect(overriddenPlanName('sports-monthly', 12)).toBe('sports-monthly-12');
    expect(parseOverriddenPlanName('sports-monthly-12')).toEqual({ parentPlanName: 'sports-monthly', recordId: 12 });
    expect(parseOverriddenPlanName('sports-monthly')).toBeUndefined();
  });

  it('compares overrides by phase and price, not by order or scale', () => {
    const a = resolvePhaseOverrides(sports, [{ phaseType: 'EVERGREEN', recurringPrice: new Big('100.00') }], 'USD');
    const b = resolvePhaseOverrides(sports, [{ phaseType: 'EVERGREEN', recurringPrice: new Big('100') }], 'USD');
    const c = resolvePhaseOverrides(sports, [{ phaseType: 'EVERGREEN', recurringPrice: new Big('101') }], 'USD');
    const d = resolvePhaseOverrides(sports, [{ phaseType: 'EVERGREEN', recurringPrice: new Big('100') }], 'GBP');
    expect(samePhaseOverrides(a, b)).toBe(true);
    expect(samePhaseOverrides(a, c)).toBe(false);
    expect(samePhaseOverrides(a, d)).toBe(false);
  });

  it('adds the overridden plan to the versions holding its parent: the currency overridden, the others kept, findable but not listed', () => {
    const phases = resolvePhaseOverrides(
      sports,
      [
        { phaseType: 'EVERGREEN', recurringPrice: new Big('99.95') },
        { phaseType: 'TRIAL', fixedPrice: new Big('5') },
      ],
      'USD',
    );
    const catalog = withOverriddenPlans(new VersionedCatalog([version]), [{ name: 'sports-monthly-7', parentPlanName: 'sports-monthly', phases }]);
    const { catalog: found, plan } = catalog.findPlanForSubscription('sports-monthly-7', new Date('2014-01-01'), new Date('2014-01-01'));
    expect(plan.product).toBe('Sports');
    expect(recurringPriceOf(plan.finalPhase, 'USD')?.toString()).toBe('99.95');
    expect(recurringPriceOf(plan.finalPhase, 'GBP')?.toString()).toBe('375');
    // the trial's empty fixed price (zero everywhere) becomes the one overridden price
    expect(fixedPriceOf(plan.initialPhases[0], 'USD')?.toString()).toBe('5');
    expect(found.priceListNameOf(plan)).toBe('DEFAULT');
    expect(found.findPhase('sports-monthly-7-evergreen').plan.name).toBe('sports-monthly-7');
    expect(found.sortedPlans.map((p) => p.name)).not.toContain('sports-monthly-7');
    expect(found.createOrFindPlan({ productName: 'Sports', billingPeriod: 'MONTHLY' }).name).toBe('sports-monthly');
    // the parent catalog is untouched
    expect(version.getPlan('sports-monthly-7')).toBeUndefined();
    expect(recurringPriceOf(sports.finalPhase, 'USD')?.toString()).toBe('500');
  });

  describe('usage prices (tiered blocks)', () => {
    const usageCatalog = loadCatalog('UsageExperimental.xml');
    const chocolate = usageCatalog.findPlan('chocolate-monthly');
    const videos = 'chocolate-monthly-videos';
    const block = (max: string, price: string, size = '1', unitName = 'chocolate-videos') => ({ unitName, size: new Big(size), max: new Big(max), price: new Big(price) });
    const usageOverride = (...tiers: ReturnType<typeof block>[][]) => [
      { phaseType: 'EVERGREEN' as const, usagePrices: [{ usageName: videos, tierPrices: tiers.map((blockPrices) => ({ blockPrices })) }] },
    ];
    const failure = (run: () => unknown): KillBillError => {
      try {
        run();
      } catch (e) {
        return e as KillBillError;
      }
      throw new Error('expected a failure');
    };

    it('finds each tier by its blocks (unit, size, max compared as numbers), whatever the order of the tier overrides', () => {
      const [phase] = resolvePhaseOverrides(chocolate, usageOverride([block('10000.0', '0.5')], [block('5', '1.25')]), 'USD');
      expect(phase.recurringPrice).toBeNull();
      expect(phase.blockPrices.map((b) => [b.usageName, b.tierNumber, b.blockNumber, b.price.toString()])).toEqual([
        [videos, 0, 0, '1.25'],
        [videos, 1, 0, '0.5'],
      ]);
    });

    it('replaces the overridden block prices in the currency only, keeps the other tiers, and compares plans by block prices', () => {
      const phases = resolvePhaseOverrides(chocolate, usageOverride([block('5', '1.25')]), 'USD');
      const plan = withOverriddenPlans(new VersionedCatalog([usageCatalog]), [{ name: 'chocolate-monthly-3', parentPlanName: 'chocolate-monthly', phases }]).findPlanForSubscription(
        'chocolate-monthly-3',
        new Date('2014-01-01'),
        new Date('2014-01-01'),
      ).plan;
      const tiers = plan.finalPhase.usages[0].tiers;
      expect(tiers[0].blocks[0].prices.prices).toEqual([{ currency: 'USD', value: new Big('1.25') }]);
      expect(tiers[1].blocks[0].prices.prices).toEqual([{ currency: 'USD', value: new Big(1) }]);
      expect(recurringPriceOf(plan.finalPhase, 'USD')?.toString()).toBe('30');
      // the parent is untouched
      expect(chocolate.finalPhase.usages[0].tiers[0].blocks[0].prices.prices).toEqual([{ currency: 'USD', value: new Big(2) }]);
      const other = resolvePhaseOverrides(chocolate, usageOverride([block('5', '1.3')]), 'USD');
      const same = resolvePhaseOverrides(chocolate, usageOverride([block('5.00', '1.250')]), 'USD');
      expect(samePhaseOverrides(phases, same)).toBe(true);
      expect(samePhaseOverrides(phases, other)).toBe(false);
      expect(samePhaseOverrides(phases, resolvePhaseOverrides(chocolate, [{ phaseType: 'EVERGREEN', recurringPrice: new Big(30) }], 'USD'))).toBe(false);
    });

    it.each([
      [
        'an unknown usage',
        [{ phaseType: 'EVERGREEN' as const, usagePrices: [{ usageName: 'nope', tierPrices: [] }] }],
        'Cannot override price for plan chocolate-monthly : There is no existing usage nope for the phase chocolate-monthly-evergreen',
      ],
      [
        'a tier none of whose blocks exists',
        usageOverride([block('6', '1')]),
        `Cannot override price for plan chocolate-monthly : There is no existing tiered block chocolate-videos (size 1, max 6) for the usage ${videos} of the phase chocolate-monthly-evergreen`,
      ],
      [
        'a block that is not in the tier its siblings designate',
        usageOverride([block('5', '1'), block('5', '1', '1', 'Mbytes')]),
        `Cannot override price for plan chocolate-monthly : There is no existing tiered block Mbytes (size 1, max 5) for the usage ${videos} of the phase chocolate-monthly-evergreen`,
      ],
    ])('refuses %s (2081)', (_, overrides, message) => {
      const error = failure(() => resolvePhaseOverrides(chocolate, overrides, 'USD'));
      expect(error).toBeInstanceOf(KillBillError);
      expect(error.errorCode.code).toBe(2081);
      expect(error.message).toBe(message);
    });

    it('refuses block prices on a usage without tiers (in advance blocks cannot be overridden, as in Kill Bill)', () => {
      const prepaid = usageCatalog.findPlan('consumable-in-advance-prepay-credit-monthly');
      const overrides = [
        {
          phaseType: 'EVERGREEN' as const,
          usagePrices: [{ usageName: 'consumable-in-advance-prepay-credit-monthly-usage1', tierPrices: [{ blockPrices: [block('1', '1', '1000', 'cell-phone-minutes')] }] }],
        },
      ];
      expect(failure(() => resolvePhaseOverrides(prepaid, overrides, 'BTC')).errorCode.code).toBe(2081);
    });
  });
});
