import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import {
  addToInstant,
  type BillingState,
  blockingFlagsOf,
  CLEAR_STATE,
  CLEAR_STATE_NAME,
  conditionMatches,
  daysComponent,
  evaluatesAccounts,
  findOverdueState,
  type OverdueCondition,
  type OverdueConfig,
  overdueStateFor,
  parseOverdueXml,
  reevaluationPlan,
  transitionOf,
} from '@kb/overdue/engine';

const FIXTURES = join(__dirname, '../../../test/fixtures/overdue');
const config = (name: string): OverdueConfig => parseOverdueXml(readFileSync(join(FIXTURES, name), 'utf8'));

const TODAY = LocalDate.parse('2012-06-30');

function billing(overrides: Partial<BillingState> = {}): BillingState {
  return {
    numberOfUnpaidInvoices: 0,
    balanceOfUnpaidInvoices: new Big(0),
    dateOfEarliestUnpaidInvoice: null,
    responseForLastFailedPayment: 'INSUFFICIENT_FUNDS',
    accountControlTags: [],
    ...overrides,
  };
}

describe('conditionMatches (Kill Bill TestCondition)', () => {
  const unpaid = (count: number, balance: string, daysAgo: number | null, extra: Partial<BillingState> = {}) =>
    billing({ numberOfUnpaidInvoices: count, balanceOfUnpaidInvoices: new Big(balance), dateOfEarliestUnpaidInvoice: daysAgo === null ? null : TODAY.minusDays(daysAgo), ...extra });

  const cases: [string, OverdueCondition, BillingState, boolean][] = [
    ['count ≥ 1, none unpaid', { numberOfUnpaidInvoicesEqualsOrExceeds: 1 }, unpaid(0, '0', 0), false],
    ['count ≥ 1, one unpaid', { numberOfUnpaidInvoicesEqualsOrExceeds: 1 }, unpaid(1, '0', 0), true],
    ['count ≥ 1, two unpaid', { numberOfUnpaidInvoicesEqualsOrExceeds: 1 }, unpaid(2, '0', 0), true],
    ['balance ≥ 100, owes 0', { totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big('100.00') }, unpaid(0, '0', 0), false],
    ['balance ≥ 100, owes 100.00', { totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big('100.00') }, unpaid(1, '100.00', 0), true],
    ['balance ≥ 100, owes 200.00', { totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big('100.00') }, unpaid(1, '200.00', 0), true],
    ['balance ≥ 100, owes 99.99', { totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big('100.00') }, unpaid(1, '99.99', 0), false],
    ['10 days, nothing unpaid', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 10 } }, unpaid(0, '0', null), false],
    ['10 days, unpaid for 10 days', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 10 } }, unpaid(1, '100.00', 10), true],
    ['10 days, unpaid for 20 days', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 10 } }, unpaid(1, '200.00', 20), true],
    ['10 days, unpaid for 9 days', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 10 } }, unpaid(1, '200.00', 9), false],
    ['2 weeks, unpaid for 14 days', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'WEEKS', number: 2 } }, unpaid(1, '1', 14), true],
    ['2 weeks, unpaid for 13 days', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'WEEKS', number: 2 } }, unpaid(1, '1', 13), false],
    // 2012-05-31 + 1 month = 2012-06-30
    ['1 month, invoice of 05-31', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'MONTHS', number: 1 } }, unpaid(1, '1', 30), true],
    ['1 month, invoice of 06-01', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'MONTHS', number: 1 } }, unpaid(1, '1', 29), false],
    ['1 year, invoice of 2011-06-30', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'YEARS', number: 1 } }, unpaid(1, '1', 366), true],
    ['1 year, invoice of 2011-07-01', { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'YEARS', number: 1 } }, unpaid(1, '1', 365), false],
    ['response in list, LOST_OR_STOLEN_CARD', { responseForLastFailedPaymentIn: ['INSUFFICIENT_FUNDS', 'DO_NOT_HONOR'] }, unpaid(0, '0', null, { responseForLastFailedPayment: 'LOST_OR_STOLEN_CARD' }), false],
    ['response in list, INSUFFICIENT_FUNDS', { responseForLastFailedPaymentIn: ['INSUFFICIENT_FUNDS', 'DO_NOT_HONOR'] }, unpaid(1, '100.00', 10), true],
    ['response in list, DO_NOT_HONOR', { responseForLastFailedPaymentIn: ['INSUFFICIENT_FUNDS', 'DO_NOT_HONOR'] }, unpaid(1, '200.00', 20, { responseForLastFailedPayment: 'DO_NOT_HONOR' }), true],
    ['tag included, only AUTO_INVOICING_OFF', { controlTagInclusion: 'OVERDUE_ENFORCEMENT_OFF' }, unpaid(0, '0', null, { accountControlTags: ['AUTO_INVOICING_OFF', 'SOMETHING'] }), false],
    ['tag included, present', { controlTagInclusion: 'OVERDUE_ENFORCEMENT_OFF' }, unpaid(1, '100', 10, { accountControlTags: ['OVERDUE_ENFORCEMENT_OFF'] }), true],
    ['tag included, among others', { controlTagInclusion: 'OVERDUE_ENFORCEMENT_OFF' }, unpaid(1, '200', 20, { accountControlTags: ['OVERDUE_ENFORCEMENT_OFF', 'AUTO_INVOICING_OFF', 'SOMETHING'] }), true],
    ['tag excluded, absent', { controlTagExclusion: 'TEST' }, unpaid(1, '1', 1, { accountControlTags: ['AUTO_PAY_OFF'] }), true],
    ['tag excluded, present', { controlTagExclusion: 'TEST' }, unpaid(1, '1', 1, { accountControlTags: ['TEST'] }), false],
    ['empty condition', {}, unpaid(0, '0', null), true],
    ['AND: count met, balance not', { numberOfUnpaidInvoicesEqualsOrExceeds: 1, totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big(50) }, unpaid(1, '49.99', 1), false],
    ['AND: all met', { numberOfUnpaidInvoicesEqualsOrExceeds: 1, totalUnpaidInvoiceBalanceEqualsOrExceeds: new Big(50), controlTagInclusion: 'TEST' }, unpaid(1, '50', 1, { accountControlTags: ['TEST'] }), true],
  ];

  it.each(cases)('%s', (_name, condition, state, expected) => {
    expect(conditionMatches(condition, state, TODAY)).toBe(expected);
  });
});

describe('overdueStateFor: document order, first match wins', () => {
  const ladder = config('overdue.xml'); // OD3 50 days, OD2 40, OD1 30
  const since = (days: number) => billing({ numberOfUnpaidInvoices: 1, balanceOfUnpaidInvoices: new Big('249.95'), dateOfEarliestUnpaidInvoice: TODAY.minusDays(days) });

  it.each([
    [0, CLEAR_STATE_NAME],
    [29, CLEAR_STATE_NAME],
    [30, 'OD1'],
    [39, 'OD1'],
    [40, 'OD2'],
    [50, 'OD3'],
    [400, 'OD3'],
  ])('unpaid for %i days: %s', (days, expected) => {
    expect(overdueStateFor(ladder, since(days), TODAY).name).toBe(expected);
  });

  it('nothing unpaid: clear', () => {
    expect(overdueStateFor(ladder, billing(), TODAY)).toBe(CLEAR_STATE);
  });

  it('a state without condition is never entered; a later one still is', () => {
    const [od3, od2] = ladder.states;
    const withoutCondition: OverdueConfig = { states: [{ ...od3, condition: undefined }, od2] };
    expect(overdueStateFor(withoutCondition, since(60), TODAY).name).toBe('OD2');
  });

  it('an earlier state wins over a later one that matches too (mildest written first)', () => {
    const [od3, , od1] = ladder.states;
    expect(overdueStateFor({ states: [od1, od3] }, since(60), TODAY).name).toBe('OD1');
  });

  it('control tags decide (overdueWithControlTag.xml: only TEST accounts)', () => {
    const tagged = config('overdueWithControlTag.xml');
    expect(overdueStateFor(tagged, since(31), TODAY).name).toBe(CLEAR_STATE_NAME);
    expect(overdueStateFor(tagged, { ...since(31), accountControlTags: ['TEST'] }, TODAY).name).toBe('OD1');
  });

  it('NoOverdueConfig never evaluates; findOverdueState knows the clear name and refuses an unknown one', () => {
    const none = config('NoOverdueConfig.xml');
    expect(evaluatesAccounts(none)).toBe(false);
    expect(evaluatesAccounts(ladder)).toBe(true);
    expect(findOverdueState(ladder, CLEAR_STATE_NAME)).toBe(CLEAR_STATE);
    expect(findOverdueState(ladder, 'OD2').name).toBe('OD2');
    expect(() => findOverdueState(ladder, 'OD9')).toThrow(expect.objectContaining({ codeName: 'CAT_NO_SUCH_OVERDUE_STATE', code: 2070 }));
  });
});

describe('reevaluationPlan (Kill Bill OverdueStateApplicator scheduling)', () => {
  const e10 = config('OverdueIntegration.xml'); // initial 30 days; OD3 none, OD2 10 days, OD1 10 days
  const now = new Date('2012-06-30T00:03:42.000Z');
  const owing = billing({ numberOfUnpaidInvoices: 1, balanceOfUnpaidInvoices: new Big(1), dateOfEarliestUnpaidInvoice: TODAY });
  const state = (name: string) => findOverdueState(e10, name);

  it.each([
    ['OD1: its own interval', 'OD1', owing, { kind: 'schedule', at: new Date('2012-07-10T00:03:42.000Z') }],
    ['OD3: no interval, nothing scheduled', 'OD3', owing, { kind: 'none' }],
    ['clear with something unpaid: the initial interval', CLEAR_STATE_NAME, owing, { kind: 'schedule', at: new Date('2012-07-30T00:03:42.000Z') }],
    ['clear with nothing unpaid: pending checks go', CLEAR_STATE_NAME, billing(), { kind: 'clear' }],
  ])('%s', (_name, stateName, billingState, expected) => {
    expect(reevaluationPlan(e10, state(stateName), billingState, now)).toEqual(expected);
  });

  it('a 0 or UNLIMITED interval schedules nothing', () => {
    const od1 = state('OD1');
    expect(reevaluationPlan(e10, { ...od1, autoReevaluationInterval: { unit: 'DAYS', number: 0 } }, owing, now)).toEqual({ kind: 'none' });
    expect(reevaluationPlan(e10, { ...od1, autoReevaluationInterval: { unit: 'UNLIMITED', number: -1 } }, owing, now)).toEqual({ kind: 'none' });
    expect(reevaluationPlan({ states: e10.states }, CLEAR_STATE, owing, now)).toEqual({ kind: 'none' });
  });

  it('months are added on the calendar (UTC)', () => {
    expect(addToInstant(new Date('2012-01-31T10:00:00Z'), { unit: 'MONTHS', number: 1 })).toEqual(new Date('2012-02-29T10:00:00Z'));
    expect(addToInstant(new Date('2012-01-31T10:00:00Z'), { unit: 'WEEKS', number: 1 })).toEqual(new Date('2012-02-07T10:00:00Z'));
  });

  it('JSON shows the days component of an interval (Joda Period#getDays)', () => {
    expect(daysComponent({ unit: 'DAYS', number: 5 })).toBe(5);
    expect(daysComponent({ unit: 'WEEKS', number: 2 })).toBe(0);
    expect(daysComponent({ unit: 'UNLIMITED', number: -1 })).toBeNull();
    expect(daysComponent(undefined)).toBeNull();
  });
});

describe('transitions and blocking flags (Kill Bill OverdueStateApplicator)', () => {
  const e10 = config('OverdueIntegration.xml');
  const od1 = findOverdueState(e10, 'OD1');
  const od2 = findOverdueState(e10, 'OD2');
  const od3 = findOverdueState(e10, 'OD3');

  it.each([
    ['clear → OD1', CLEAR_STATE, od1, { changed: true, isBlockedBilling: false, isUnblockedBilling: false }],
    ['OD1 → OD2 starts blocking billing', od1, od2, { changed: true, isBlockedBilling: true, isUnblockedBilling: false }],
    ['OD2 → OD3 keeps blocking', od2, od3, { changed: true, isBlockedBilling: false, isUnblockedBilling: false }],
    ['OD3 → clear ends blocking', od3, CLEAR_STATE, { changed: true, isBlockedBilling: false, isUnblockedBilling: true }],
    ['OD1 → OD1 is no change', od1, od1, { changed: false, isBlockedBilling: false, isUnblockedBilling: false }],
  ])('%s', (_name, previous, next, expected) => {
    expect(transitionOf(previous, next)).toEqual(expected);
  });

  it('blockChange = blockChanges || disable; entitlement and billing = disable', () => {
    expect(blockingFlagsOf(od1)).toEqual({ isBlockChange: true, isBlockEntitlement: false, isBlockBilling: false });
    expect(blockingFlagsOf(od2)).toEqual({ isBlockChange: true, isBlockEntitlement: true, isBlockBilling: true });
    expect(blockingFlagsOf({ ...od2, blockChanges: false })).toEqual({ isBlockChange: true, isBlockEntitlement: true, isBlockBilling: true });
    expect(blockingFlagsOf(CLEAR_STATE)).toEqual({ isBlockChange: false, isBlockEntitlement: false, isBlockBilling: false });
  });
});
