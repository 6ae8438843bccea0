/**
 * Kill Bill's TestDefaultInvoiceGenerator, ported: the generator run on mock billing events (every
 * event a CREATE, as the Java helper createBillingEvent makes them), each run's invoice becoming an
 * existing invoice of the next. Every expected date, count and amount is the Java test's own.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import type { BillingPeriod, Plan, PlanPhase, PhaseType } from '@kb/catalog/engine';
import type { BillingEvent, BillingTransitionType } from '@kb/entitlement/engine';
import { DEFAULT_INVOICE_GENERATOR_CONFIG, InvoiceItemRecord, InvoiceRecord, generateInvoiceItems } from '@kb/invoice/engine';

const ACCOUNT = 'account-1';
const d = (s: string) => LocalDate.parse(s);

interface PhaseSpec {
  readonly recurring?: string;
  readonly fixed?: string;
  readonly period?: BillingPeriod;
  readonly type?: PhaseType;
}

let ordering = 0;
/** TestDefaultInvoiceGenerator#createBillingEvent (a CREATE) or TestInvoiceHelper#createMockBillingEvent. */
function event(subscriptionId: string, date: string, planName: string, spec: PhaseSpec, bcd: number, type: BillingTransitionType = 'CREATE', bundleId = `bundle-of-${subscriptionId}`): BillingEvent {
  const phase: PlanPhase = { type: spec.type ?? 'EVERGREEN', duration: { unit: 'UNLIMITED', number: -1 }, usages: [] };
  const plan: Plan = { name: planName, product: 'product', initialPhases: [], finalPhase: phase, plansAllowedInBundle: -1, recurringBillingMode: 'IN_ADVANCE' };
  const cancel = type === 'CANCEL';
  return {
    subscriptionId,
    bundleId,
    effectiveDate: new Date(`${date}T00:00:00.000Z`),
    effectiveLocalDate: d(date),
    transitionType: type,
    plan: cancel ? null : plan,
    phase: cancel ? null : phase,
    planName: cancel ? null : planName,
    phaseName: cancel ? null : `${planName}-${(spec.type ?? 'EVERGREEN').toLowerCase()}`,
    priceListName: 'DEFAULT',
    productName: 'product',
    productCategory: 'BASE',
    fixedPrice: spec.fixed === undefined ? null : new Big(spec.fixed),
    recurringPrice: spec.recurring === undefined ? null : new Big(spec.recurring),
    billingPeriod: cancel ? 'NO_BILLING_PERIOD' : (spec.period ?? 'MONTHLY'),
    billingMode: 'IN_ADVANCE',
    billCycleDayLocal: bcd,
    billingAlignment: 'ACCOUNT',
    usages: [],
    quantity: 1,
    catalogEffectiveDate: new Date('2011-01-01T00:00:00.000Z'),
    totalOrdering: ++ordering,
  };
}

class Account {
  readonly invoices: InvoiceRecord[] = [];
  private ids = 0;

  /** DefaultInvoiceGenerator#generateInvoice: the new invoice's items (none: Kill Bill returns no invoice). */
  run(events: BillingEvent[], target: string, autoInvoicingOff: string[] = []): InvoiceItemRecord[] {
    const invoiceId = `invoice-${this.invoices.length + 1}`;
    const result = generateInvoiceItems({
      accountId: ACCOUNT,
      currency: 'USD',
      billingEvents: events,
      existingInvoices: this.invoices,
      usage: [],
      targetDate: d(target),
      invoiceId,
      newItemId: () => `item-${++this.ids}`,
      now: new Date(`${target}T00:00:00.000Z`),
      config: DEFAULT_INVOICE_GENERATOR_CONFIG,
      autoInvoicingOffSubscriptionIds: autoInvoicingOff,
    });
    if (result.items.length > 0) {
      this.invoices.push({
        id: invoiceId,
        accountId: ACCOUNT,
        invoiceNumber: this.invoices.length + 1,
        invoiceDate: d(target),
        targetDate: result.targetDate,
        currency: 'USD',
        status: 'COMMITTED',
        migrated: false,
        parentInvoice: false,
        groupId: null,
        writtenOff: false,
        createdDate: new Date(`${target}T00:00:00.000Z`),
        items: result.items,
        payments: [],
      });
    }
    return [...result.items];
  }

  addItems(index: number, items: InvoiceItemRecord[]): void {
    this.invoices[index] = { ...this.invoices[index], items: [...this.invoices[index].items, ...items] };
  }
}

const balance = (items: readonly InvoiceItemRecord[]) => items.reduce((a, i) => a.plus(i.amount), new Big(0)).toFixed(2);
const periods = (items: readonly InvoiceItemRecord[]) => items.map((i) => `${i.type} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'}`);

describe('TestDefaultInvoiceGenerator', () => {
  it('testWithEmptyEventSet: no invoice', () => {
    expect(new Account().run([], '2011-10-03')).toEqual([]);
  });

  it('testWithSingleMonthlyEvent: two months, 20', () => {
    const items = new Account().run([event('s1', '2011-09-01', 'plan', { recurring: '10' }, 1)], '2011-10-03');
    expect(periods(items)).toEqual(['RECURRING 2011-09-01→2011-10-01', 'RECURRING 2011-10-01→2011-11-01']);
    expect(items[0].subscriptionId).toBe('s1');
    expect(balance(items)).toBe('20.00');
  });

  it('testWithSingleThirtyDaysEvent: two 30-day periods, 20', () => {
    const items = new Account().run([event('s1', '2011-09-01', 'plan', { recurring: '10', period: 'THIRTY_DAYS' }, 1)], '2011-10-03');
    expect(periods(items)).toEqual(['RECURRING 2011-09-01→2011-10-01', 'RECURRING 2011-10-01→2011-10-31']);
    expect(balance(items)).toBe('20.00');
  });

  it('testSimpleWithTimeZone: BCD 16 local, target the next BCD', () => {
    const items = new Account().run([event('s1', '2012-07-16', 'plan', { recurring: '10' }, 16)], '2012-08-16');
    expect(periods(items)).toEqual(['RECURRING 2012-07-16→2012-08-16', 'RECURRING 2012-08-16→2012-09-16']);
  });

  it('testSimpleWithSingleDiscountEvent: one month', () => {
    const items = new Account().run([event('s1', '2012-07-16', 'Plan with a single discount phase', { recurring: '8', type: 'DISCOUNT' }, 16)], '2012-07-16');
    expect(periods(items)).toEqual(['RECURRING 2012-07-16→2012-08-16']);
  });

  it('testWithSingleMonthlyEventWithLeadingProRation: (1 + 14/31) × 10', () => {
    const items = new Account().run([event('s1', '2011-09-01', 'plan', { recurring: '10' }, 15)], '2011-10-03');
    expect(items).toHaveLength(2);
    // ONE + FOURTEEN / THIRTY_ONE (scale 9 half-up) × 10, rounded to the cent
    expect(balance(items)).toBe(new Big(1).plus(new Big(14).div(31).round(9, Big.roundHalfUp)).times(10).round(2, Big.roundHalfUp).toFixed(2));
    expect(balance(items)).toBe('14.52');
  });

  it('testTwoMonthlySubscriptionsWithAlignedBillingDates: 5 + 10', () => {
    const events = [event('s1', '2011-09-01', 'plan', { recurring: '5' }, 1), event('s1', '2011-10-01', 'plan', { recurring: '10' }, 1)];
    const items = new Account().run(events, '2011-10-03');
    expect(items).toHaveLength(2);
    expect(balance(items)).toBe('15.00');
  });

  it('testOnePlan_TwoMonthlyPhases_ChangeImmediate: (1 + 14/31) × 5 + 2 × 10', () => {
    const events = [event('s1', '2011-09-01', 'plan', { recurring: '5' }, 1), event('s1', '2011-10-15', 'plan', { recurring: '10' }, 15)];
    const items = new Account().run(events, '2011-12-03');
    expect(items).toHaveLength(4);
    expect(balance(items)).toBe('27.26');
  });

  it('testOnePlan_ThreeMonthlyPhases_ChangeEOT: 5 + 10 + 2 × 30', () => {
    const events = [
      event('s1', '2011-09-01', 'plan', { recurring: '5' }, 1),
      event('s1', '2011-10-01', 'plan', { recurring: '10' }, 1),
      event('s1', '2011-11-01', 'plan', { recurring: '30' }, 1),
    ];
    const items = new Account().run(events, '2011-12-03');
    expect(items).toHaveLength(4);
    expect(balance(items)).toBe('75.00');
  });

  it('testSingleEventWithExistingInvoice: nothing more two days later', () => {
    const account = new Account();
    const events = [event('s1', '2011-09-01', 'plan', { recurring: '5' }, 1)];
    expect(account.run(events, '2011-12-01').length).toBeGreaterThan(0);
    expect(account.run(events, '2011-12-03')).toEqual([]);
  });

  it('testZeroDollarEvents: one item of 0', () => {
    const items = new Account().run([event('s1', '2011-01-01', 'plan', { recurring: '0' }, 1)], '2011-01-01');
    expect(items.map((i) => i.amount.toFixed(2))).toEqual(['0.00']);
  });

  it('testEndDateIsCorrect: the item ends exactly one month later', () => {
    const items = new Account().run([event('s1', '2016-03-14', 'plan', { recurring: '1' }, 14)], '2016-03-15');
    expect(items[0].endDate?.toString()).toBe('2016-04-14');
  });

  it('testFixedPriceLifeCycle: the $0 trial, then the fixed item of the phase change', () => {
    const account = new Account();
    const events = [event('s1', '2012-04-01', 'plan 1', { fixed: '0', type: 'DISCOUNT' }, 1, 'PHASE'), event('s1', '2012-01-01', 'plan 1', { fixed: '0', type: 'TRIAL' }, 1)];
    // MockBillingEventSet is a sorted set: the events are ordered by date
    events.sort((a, b) => a.effectiveLocalDate.compareTo(b.effectiveLocalDate));
    expect(account.run(events, '2012-02-01')).toHaveLength(1);
    const second = account.run(events, '2012-04-05');
    expect(second.map((i) => `${i.type} ${i.startDate.toString()}`)).toEqual(['FIXED 2012-04-01']);
  });

  it('testMixedModeLifeCycle: fixed 10 + recurring 5, then only 5', () => {
    const account = new Account();
    const events = [event('s1', '2011-01-01', 'plan', { recurring: '5', fixed: '10', type: 'TRIAL' }, 1)];
    const first = account.run(events, '2011-01-01');
    expect(first).toHaveLength(2);
    expect(balance(first)).toBe('15.00');
    const second = account.run(events, '2011-02-01');
    expect(second).toHaveLength(1);
    expect(balance(second)).toBe('5.00');
  });

  it('testFixedModePlanChange: fixed 10, then fixed 20 at the phase change', () => {
    const account = new Account();
    const events = [event('s1', '2011-01-01', 'plan', { fixed: '10', type: 'TRIAL' }, 1)];
    const first = account.run(events, '2011-01-01');
    expect(first).toHaveLength(1);
    expect(balance(first)).toBe('10.00');
    const second = account.run([...events, event('s1', '2011-02-01', 'plan', { fixed: '20', type: 'EVERGREEN' }, 1)], '2011-02-01');
    expect(second).toHaveLength(1);
    expect(balance(second)).toBe('20.00');
  });

  it('testInvoiceGenerationFailureScenario: $0 trial, 3.21 to the BCD 15, 9.95, then 7 items', () => {
    const account = new Account();
    const events = [
      event('s1', '2012-03-06', 'plan', { fixed: '0', type: 'TRIAL' }, 15),
      event('s1', '2012-04-05', 'plan', { recurring: '9.95', type: 'DISCOUNT' }, 15),
      event('s1', '2012-10-05', 'plan', { recurring: '19.95', type: 'EVERGREEN' }, 15),
    ];
    const first = account.run(events, '2012-03-06');
    expect(first).toHaveLength(1);
    expect(balance(first)).toBe('0.00');
    const second = account.run(events, '2012-04-05');
    expect(periods(second)).toEqual(['RECURRING 2012-04-05→2012-04-15']);
    expect(balance(second)).toBe('3.21');
    const third = account.run(events, '2012-04-15');
    expect(third.map((i) => i.startDate.toString())).toEqual(['2012-04-15']);
    expect(balance(third)).toBe('9.95');
    expect(account.run(events, '2012-10-15')).toHaveLength(7);
  });

  it('testWithFullRepairInvoiceGeneration: base plan replaced and an add-on gone: 3 items, −15', () => {
    const account = new Account();
    const base = event('base', '2012-04-25', 'base Plan', { recurring: '10' }, 25, 'CREATE', 'bundle');
    const first = account.run([base], '2012-04-25');
    expect(first).toHaveLength(1);
    expect(balance(first)).toBe('10.00');
    const addOn1 = event('addon1', '2012-04-28', 'add on 1', { recurring: '5' }, 25, 'CREATE', 'bundle');
    const addOn2 = event('addon2', '2012-04-28', 'add on 2', { recurring: '20' }, 25, 'CREATE', 'bundle');
    const second = account.run([base, addOn1, addOn2], '2012-04-28');
    expect(second).toHaveLength(2);
    expect(balance(second)).toBe('22.50'); // 25 × 0.9
    const base2 = event('base', '2012-04-25', 'base plan 2', { recurring: '13' }, 25, 'CREATE', 'bundle');
    const third = account.run([base2, addOn1], '2012-05-01');
    expect(third).toHaveLength(3);
    expect(balance(third)).toBe('-15.00');
  });

  it('testRepairForPaidInvoice: the subscription replaced on the same day: 2 items, −5', () => {
    const account = new Account();
    expect(account.run([event('original', '2012-04-25', 'original plan', { recurring: '10' }, 25, 'CREATE', 'bundle')], '2012-04-25')).toHaveLength(1);
    const second = account.run([event('new', '2012-04-25', 'new plan', { recurring: '5' }, 25, 'CREATE', 'bundle')], '2012-04-25');
    expect(second).toHaveLength(2);
    expect(balance(second)).toBe('-5.00');
  });

  it('testRegressionFor170: the repaired hole is billed again with the missing months, then nothing', () => {
    const account = new Account();
    const events = [event('s1', '2013-06-15', 'plan', { recurring: '2.9500' }, 15)];
    account.invoices.push({
      id: 'existing',
      accountId: ACCOUNT,
      invoiceNumber: 1,
      invoiceDate: d('2013-06-15'),
      targetDate: d('2013-10-30'),
      currency: 'USD',
      status: 'COMMITTED',
      migrated: false,
      parentInvoice: false,
      groupId: null,
      writtenOff: false,
      createdDate: new Date('2013-06-15T00:00:00Z'),
      payments: [],
      items: [],
    });
    const recurring: InvoiceItemRecord = {
      id: 'recurring',
      invoiceId: 'existing',
      accountId: ACCOUNT,
      childAccountId: null,
      type: 'RECURRING',
      bundleId: 'bundle-of-s1',
      subscriptionId: 's1',
      description: null,
      productName: 'product',
      planName: 'plan',
      phaseName: 'plan-evergreen',
      usageName: null,
      catalogEffectiveDate: null,
      startDate: d('2013-06-15'),
      endDate: d('2013-07-15'),
      amount: new Big('2.9500'),
      rate: new Big('2.9500'),
      currency: 'USD',
      linkedItemId: null,
      quantity: null,
      itemDetails: null,
      createdDate: new Date('2013-06-15T00:00:00Z'),
    };
    const repair: InvoiceItemRecord = { ...recurring, id: 'repair', type: 'REPAIR_ADJ', bundleId: null, subscriptionId: null, startDate: d('2013-06-21'), endDate: d('2013-06-26'), amount: new Big('-0.4900'), rate: null, linkedItemId: 'recurring' };
    account.addItems(0, [recurring, repair]);
    const items = account.run(events, '2013-10-30');
    expect(items.map((i) => `${i.type} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'}`)).toEqual([
      'RECURRING 2013-06-21→2013-06-26',
      'RECURRING 2013-07-15→2013-08-15',
      'RECURRING 2013-08-15→2013-09-15',
      'RECURRING 2013-09-15→2013-10-15',
      'RECURRING 2013-10-15→2013-11-15',
    ]);
    expect(items[0].amount.toFixed(2)).toBe('0.49');
    expect(account.run(events, '2013-10-30')).toEqual([]);
  });

  it('testAutoInvoiceOffWithCredits: 15 + 12, then 12 while AUTO_INVOICING_OFF, then 2 × 15 + 12', () => {
    const account = new Account();
    const s1 = event('s1', '2012-01-01', 'plan', { recurring: '15', type: 'DISCOUNT' }, 1, 'CREATE', 'bundle');
    const s2 = event('s2', '2012-01-01', 'plan', { recurring: '12' }, 1, 'CREATE', 'bundle');
    expect(balance(account.run([s1, s2], '2012-01-01'))).toBe('27.00');
    expect(balance(account.run([s2], '2012-02-01', ['s1']))).toBe('12.00');
    expect(balance(account.run([s1, s2], '2012-03-01'))).toBe('42.00');
  });

  it('testCancelEOTWithFullItemAdjustment (Kill Bill #654): a fully adjusted period cancelled at its end: nothing', () => {
    const account = new Account();
    const created = event('s1', '2016-10-09', 'plan', { recurring: '39.95' }, 9);
    const first = account.run([created], '2016-10-09');
    expect(periods(first)).toEqual(['RECURRING 2016-10-09→2016-11-09']);
    expect(balance(first)).toBe('39.95');
    const adjustment: InvoiceItemRecord = { ...first[0], id: 'item-adj', type: 'ITEM_ADJ', startDate: d('2016-10-12'), endDate: d('2016-10-12'), amount: new Big('-39.95'), rate: null, linkedItemId: first[0].id };
    account.addItems(0, [adjustment]);
    expect(account.run([created, event('s1', '2016-11-09', 'plan', { fixed: '0' }, 9, 'CANCEL')], '2016-10-09')).toEqual([]);
  });

  it('testBuggyBillingEventsDoNotImpactInvoicing: ten copies of each event: one fixed 8, then one recurring 12', () => {
    const account = new Account();
    const events: BillingEvent[] = [];
    for (let i = 0; i < 10; i++) {
      events.push(event('s1', '2011-01-05', 'plan1', { fixed: '8', type: 'TRIAL' }, 5), event('s1', '2011-02-05', 'plan1', { recurring: '12' }, 5));
    }
    events.sort((a, b) => a.effectiveLocalDate.compareTo(b.effectiveLocalDate) || a.totalOrdering - b.totalOrdering);
    const first = account.run(events, '2011-01-05');
    expect(first.map((i) => `${i.type} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'} ${i.amount.toFixed(2)}`)).toEqual(['FIXED 2011-01-05→- 8.00']);
    const second = account.run(events, '2011-02-05');
    expect(second.map((i) => `${i.type} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'} ${i.amount.toFixed(2)}`)).toEqual(['RECURRING 2011-02-05→2011-03-05 12.00']);
  });
});
