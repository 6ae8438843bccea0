/**
 * Billing-period arithmetic. Expected values come from the spec (section 1.6 unit facts) and from
 * Kill Bill's TestInAdvanceBillingIntervalDetail / TestInArrearBillingIntervalDetail, never from this code.
 */
import { LocalDate } from '@js-joda/core';
import type { BillingMode, BillingPeriod } from '@kb/catalog/engine';
import { BillingInterval, monthsBetween, prorationAfterLastBillingCycle, prorationBeforeFirstBillingCycle, recurringPeriods } from '@kb/invoice/engine';

const d = (s: string) => LocalDate.parse(s);
const interval = (start: string, end: string | null, target: string, bcd: number, period: BillingPeriod, mode: BillingMode = 'IN_ADVANCE') =>
  new BillingInterval(d(start), end === null ? null : d(end), d(target), bcd, period, mode, false);

describe('proration fractions (spec 1.6 unit facts)', () => {
  it.each([
    ['trailing 2024-02-23 → 2024-03-15 (leap February)', () => prorationAfterLastBillingCycle(d('2024-03-15'), d('2024-02-23'), 'MONTHLY', 0), '0.724137931'],
    ['trailing 2023-02-23 → 2023-03-15', () => prorationAfterLastBillingCycle(d('2023-03-15'), d('2023-02-23'), 'MONTHLY', 0), '0.714285714'],
    ['leading 2023-05-23 → 2023-06-15', () => prorationBeforeFirstBillingCycle(d('2023-05-23'), d('2023-06-15'), 'MONTHLY', 0), '0.741935484'],
    ['leading 2012-03-02 → 2012-03-31 over 2012-02-29 → 03-31 (E1)', () => prorationBeforeFirstBillingCycle(d('2012-03-02'), d('2012-03-31'), 'MONTHLY', 0), '0.935483871'],
  ])('%s', (_name, compute, expected) => {
    expect(compute().toFixed(9)).toBe(expected);
  });
});

describe('first billing cycle date (TestInAdvanceBillingIntervalDetail)', () => {
  it.each([
    ['2012-02-16', 30, 'ANNUAL', '2012-02-29'],
    ['2012-02-16', 30, 'MONTHLY', '2012-02-29'],
    ['2012-02-16', 30, 'THIRTY_DAYS', '2012-02-16'],
    ['2012-01-31', 30, 'ANNUAL', '2013-01-30'],
    ['2012-01-31', 30, 'MONTHLY', '2012-02-29'],
    ['2012-01-31', 30, 'THIRTY_DAYS', '2012-01-31'],
    ['2012-02-16', 14, 'ANNUAL', '2013-02-14'],
    ['2012-02-16', 14, 'MONTHLY', '2012-03-14'],
    ['2012-02-16', 14, 'THIRTY_DAYS', '2012-02-16'],
    ['2012-07-16', 15, 'MONTHLY', '2012-08-15'],
    ['2012-03-02', 3, 'MONTHLY', '2012-03-03'],
    ['2012-03-03', 3, 'MONTHLY', '2012-03-03'],
    ['2012-03-04', 3, 'MONTHLY', '2012-04-03'],
  ] as const)('start %s BCD %d %s → %s', (start, bcd, period, expected) => {
    expect(interval(start, null, start, bcd, period).firstBillingCycleDate.toString()).toBe(expected);
  });
});

describe('in advance effective end and last cycle date (TestInAdvanceBillingIntervalDetail)', () => {
  it('testEffectiveEndDate: 2012-07-16 BCD 16 target 2012-08-16 → 2012-09-16', () => {
    expect(interval('2012-07-16', null, '2012-08-16', 16, 'MONTHLY').effectiveEndDate?.toString()).toBe('2012-09-16');
  });
  it('testLastBCD: 2012-07-16 → 2012-09-15, target 2012-08-16 → last BCD 2012-08-16', () => {
    expect(interval('2012-07-16', '2012-09-15', '2012-08-16', 16, 'MONTHLY').lastBillingCycleDate?.toString()).toBe('2012-08-16');
  });
  it('testLastBCDShouldNotBeBeforePreviousBCD: 2012-07-16 BCD 15 → 2012-08-15', () => {
    expect(interval('2012-07-16', null, '2012-07-16', 15, 'MONTHLY').lastBillingCycleDate?.toString()).toBe('2012-08-15');
  });
  it('testBCD31StartingWith30DayMonth: 2012-04-30 BCD 31 → 2012-05-31', () => {
    expect(interval('2012-04-30', null, '2012-04-30', 31, 'MONTHLY').effectiveEndDate?.toString()).toBe('2012-05-31');
  });
  it('testWithBCDLargerThanEndMonth: 2017-01-31 BCD 31 target 2017-03-31 → 3 whole months', () => {
    const periods = recurringPeriods(interval('2017-01-31', null, '2017-03-31', 31, 'MONTHLY'), 0);
    expect(periods.map((p) => `${p.start.toString()}/${p.end.toString()}/${p.fraction.toFixed()}`)).toEqual([
      '2017-01-31/2017-02-28/1',
      '2017-02-28/2017-03-31/1',
      '2017-03-31/2017-04-30/1',
    ]);
  });
  it('Joda month counting: an end on its month end counts the month', () => {
    expect(monthsBetween(d('2012-03-31'), d('2012-04-30'))).toBe(1);
    expect(monthsBetween(d('2012-03-30'), d('2012-04-29'))).toBe(0);
  });
});

describe('in arrear (TestInArrearBillingIntervalDetail)', () => {
  it.each([
    ['testScenarioBCDBeforeStart1', '2012-01-16', null, '2012-01-16', 13, false, '2012-02-13', null, '2012-02-13'],
    ['testScenarioBCDBeforeStart2', '2012-01-16', null, '2012-02-13', 13, true, '2012-02-13', '2012-02-13', '2012-03-13'],
    ['testScenarioBCDAEqualsStart1', '2012-01-16', null, '2012-01-19', 16, true, '2012-01-16', '2012-01-16', '2012-02-16'],
    ['testScenarioBCDAfterStart1', '2012-01-16', null, '2012-01-19', 25, false, '2012-01-25', null, '2012-01-25'],
    ['testScenarioBCDAfterStart2', '2012-01-16', '2012-01-19', '2012-01-25', 25, true, '2012-01-25', '2012-01-19', '2012-01-25'],
    ['testScenarioBCDAfterStart3', '2012-01-16', null, '2012-01-25', 25, true, '2012-01-25', '2012-01-25', '2012-02-25'],
    ['testScenarioEndDateBetweenPeriod1', '2012-01-16', '2012-01-20', '2012-01-25', 18, true, '2012-01-18', '2012-01-20', '2012-02-18'],
    ['testScenarioEndDateBetweenPeriod2', '2012-01-16', null, '2012-01-25', 18, true, '2012-01-18', '2012-01-18', '2012-02-18'],
    ['testScenarioEndDateBetweenPeriod3', '2012-01-16', '2012-01-28', '2012-01-25', 18, true, '2012-01-18', '2012-01-18', '2012-02-18'],
    ['testScenarioTargetDateOnNextBCD1', '2012-01-16', null, '2012-02-18', 18, true, '2012-01-18', '2012-02-18', '2012-03-18'],
    ['testScenarioTargetDateOnNextBCD2', '2012-01-16', '2012-02-16', '2012-02-18', 18, true, '2012-01-18', '2012-02-16', '2012-02-18'],
  ] as const)('%s', (_name, start, end, target, bcd, something, first, effectiveEnd, next) => {
    const i = interval(start, end, target, bcd, 'MONTHLY', 'IN_ARREAR');
    expect(i.hasSomethingToBill()).toBe(something);
    expect(i.firstBillingCycleDate.toString()).toBe(first);
    expect(i.effectiveEndDate?.toString() ?? null).toBe(effectiveEnd);
    expect(i.nextBillingCycleDate().toString()).toBe(next);
  });
});

describe('in arrear GREEDY (TestInArrearGreedyBillingIntervalDetail)', () => {
  it.each([
    ['testScenarioBillRun_A', '2022-11-07', null, '2022-12-01', 7, '2022-11-07', '2022-12-07', '2023-01-07'],
    ['testScenarioBillRun_B', '2022-09-07', null, '2022-12-01', 7, '2022-09-07', '2022-12-07', '2023-01-07'],
    ['testScenarioBillRun_C', '2022-11-01', null, '2022-11-01', 1, '2022-11-01', '2022-11-01', '2022-12-01'],
    ['testScenarioBillRun_D', '2022-09-01', null, '2022-11-01', 1, '2022-09-01', '2022-11-01', '2022-12-01'],
    ['testScenarioBillRun_E', '2022-11-07', '2022-11-15', '2022-12-01', 7, '2022-11-07', '2022-11-15', '2022-12-07'],
    ['testScenarioBillRun_F', '2022-11-07', '2022-12-02', '2022-12-01', 7, '2022-11-07', '2022-12-02', '2022-12-07'],
    ['testScenarioBillRun_G', '2022-11-07', '2022-12-08', '2022-12-01', 7, '2022-11-07', '2022-12-07', '2023-01-07'],
  ] as const)('%s', (_name, start, end, target, bcd, first, effectiveEnd, next) => {
    const i = new BillingInterval(d(start), end === null ? null : d(end), d(target), bcd, 'MONTHLY', 'IN_ARREAR', true);
    expect(i.hasSomethingToBill()).toBe(true);
    expect(i.firstBillingCycleDate.toString()).toBe(first);
    expect(i.effectiveEndDate?.toString() ?? null).toBe(effectiveEnd);
    expect(i.nextBillingCycleDate().toString()).toBe(next);
  });
});
