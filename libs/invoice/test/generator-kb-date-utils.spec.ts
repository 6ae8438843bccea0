/**
 * Kill Bill's TestInvoiceDateUtils, TestInvoiceDateUtilsWithoutFixedProration and
 * TestInvoiceDateUtilsWithFixedProration (30 fixed days), ported: expected values are the Java tests'.
 */
import { LocalDate } from '@js-joda/core';
import { BillingPeriod, addBillingPeriods } from '@kb/catalog/engine';
import { prorationAfterLastBillingCycle, prorationBeforeFirstBillingCycle } from '@kb/invoice/engine';
import { daysWithFixedDaysInMonth, wholeBillingPeriods } from '../src/engine/billing-period';

const d = (s: string) => LocalDate.parse(s);

describe('TestInvoiceDateUtils', () => {
  it('testProRationAfterLastBillingCycleDate: 2012-03-02 → 2012-06-02 is 2.967741935 months', () => {
    // three whole months and none: Kill Bill computes the trailing fraction over [last, end) against one period
    expect(prorationAfterLastBillingCycle(d('2012-06-02'), d('2012-03-02'), 'MONTHLY', 0).toFixed(9)).toBe('2.967741935');
  });

  it.each<[string, string, BillingPeriod, number]>([
    ['2012-07-16', '2012-09-15', 'MONTHLY', 1],
    ['2012-07-16', '2012-09-16', 'MONTHLY', 2],
    ['2012-07-16', '2012-09-17', 'MONTHLY', 2],
    ['2012-07-16', '2012-09-13', 'THIRTY_DAYS', 1],
    ['2012-07-16', '2012-09-14', 'THIRTY_DAYS', 2],
    ['2012-07-16', '2012-09-15', 'THIRTY_DAYS', 2],
    ['2012-07-16', '2012-07-29', 'WEEKLY', 1],
    ['2012-07-16', '2012-07-30', 'WEEKLY', 2],
    ['2012-07-16', '2012-07-31', 'WEEKLY', 2],
  ])('testCalculateNbOfBillingPeriods: %s → %s %s is %d', (start, end, period, expected) => {
    expect(wholeBillingPeriods(d(start), d(end), period)).toBe(expected);
  });

  const advanced: Record<string, string[]> = {
    MONTHLY: ['2016-04-08', '2016-05-08', '2016-06-08', '2016-07-08', '2016-08-08', '2016-09-08', '2016-10-08', '2016-11-08'],
    THIRTY_DAYS: ['2016-04-08', '2016-05-08', '2016-06-07', '2016-07-07', '2016-08-06', '2016-09-05', '2016-10-05', '2016-11-04'],
    WEEKLY: ['2016-04-08', '2016-04-15', '2016-04-22', '2016-04-29', '2016-05-06', '2016-05-13', '2016-05-20', '2016-05-27'],
  };

  it.each(Object.keys(advanced))('testAdvanceByNPeriods and testRecedeByNPeriods: %s', (period) => {
    const dates = advanced[period];
    dates.forEach((expected, n) => expect(addBillingPeriods(d(dates[0]), period as BillingPeriod, n).toString()).toBe(expected));
    dates.forEach((expected, n) => expect(addBillingPeriods(d(dates[7]), period as BillingPeriod, -(7 - n)).toString()).toBe(expected));
  });
});

describe('TestInvoiceDateUtilsWithoutFixedProration', () => {
  const cases: [string, string, string][] = [
    ['2023-05-23', '2023-06-15', '0.741935484'],
    ['2023-06-23', '2023-07-15', '0.733333333'],
    ['2023-02-23', '2023-03-15', '0.714285714'],
    ['2024-02-23', '2024-03-15', '0.724137931'],
  ];
  it.each(cases)('testProRationAfterLastBillingCycleDate: %s → %s is %s', (last, end, expected) => {
    expect(prorationAfterLastBillingCycle(d(end), d(last), 'MONTHLY', 0).toFixed(9)).toBe(expected);
  });
  it.each(cases)('testProRationBeforeFirstBillingPeriod: %s → %s is %s', (start, next, expected) => {
    expect(prorationBeforeFirstBillingCycle(d(start), d(next), 'MONTHLY', 0).toFixed(9)).toBe(expected);
  });
});

describe('TestInvoiceDateUtilsWithFixedProration (org.killbill.invoice.proration.fixed.days=30)', () => {
  const across: [string, string][] = [
    ['2023-05-23', '2023-06-15'],
    ['2023-06-23', '2023-07-15'],
    ['2023-02-23', '2023-03-15'],
    ['2024-02-23', '2024-03-15'],
  ];
  it.each(across)('testProRationAfterLastBillingCycleDate and testProRationBeforeFirstBillingPeriod1: %s → %s is 0.733333333', (start, end) => {
    expect(prorationAfterLastBillingCycle(d(end), d(start), 'MONTHLY', 30).toFixed(9)).toBe('0.733333333');
    expect(prorationBeforeFirstBillingCycle(d(start), d(end), 'MONTHLY', 30).toFixed(9)).toBe('0.733333333');
  });
  it.each([
    ['2023-05-15', '2023-05-23'],
    ['2023-06-15', '2023-06-23'],
  ])('testProRationBeforeFirstBillingPeriod2: %s → %s is 0.266666667', (start, next) => {
    expect(prorationBeforeFirstBillingCycle(d(start), d(next), 'MONTHLY', 30).toFixed(9)).toBe('0.266666667');
  });
  it('testDaysBetweenWithFixedDaysInMonthForSameMonth: 8 days', () => {
    for (const [s, e] of [['2023-05-15', '2023-05-23'], ['2023-06-15', '2023-06-23'], ['2023-02-15', '2023-02-23'], ['2024-02-15', '2024-02-23']]) {
      expect(daysWithFixedDaysInMonth(d(s), d(e), 30)).toBe(8);
    }
  });
  it('testDaysBetweenWithFixedDaysInMonthForDifferentMonths: 22 days (30 fixed), 20 days (28 fixed)', () => {
    for (const [s, e] of across) {
      expect(daysWithFixedDaysInMonth(d(s), d(e), 30)).toBe(22);
      expect(daysWithFixedDaysInMonth(d(s), d(e), 28)).toBe(20);
    }
  });
});
