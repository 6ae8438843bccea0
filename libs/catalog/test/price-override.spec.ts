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
      { phaseNumber: 0, parentPhaseName: 'sports-monthly-trial', currency: 'USD', fixedPrice: new Big('1.5'), recurringPrice: null },
      { phaseNumber: 1, parentPhaseName: 'sports-monthly-evergreen', currency: 'USD', fixedPrice: null, recurringPrice: new Big('100') },
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
});
