/**
 * The invoice generator, run the way the dispatcher runs it: billing events in, the new items out,
 * each run's items becoming an existing invoice of the next run. Expected dates and amounts come
 * from the spec's worked examples (section 5: E1, E2, E3, E8, E9, E10) and Kill Bill's tests,
 * never from this code.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import type { BillingMode, BillingPeriod, Duration, Plan, PlanPhase, PhaseType } from '@kb/catalog/engine';
import type { BillingEvent, BillingTransitionType } from '@kb/entitlement/engine';
import {
  DEFAULT_INVOICE_GENERATOR_CONFIG,
  InvoiceGeneratorConfig,
  InvoiceGeneratorResult,
  InvoiceItemRecord,
  InvoiceRecord,
  generateInvoiceItems,
} from '@kb/invoice/engine';

const ACCOUNT = 'account-1';
const d = (s: string) => LocalDate.parse(s);

interface PhaseSpec {
  readonly plan: string;
  readonly type: PhaseType;
  readonly fixed?: string;
  readonly recurring?: string;
  readonly period?: BillingPeriod;
  readonly duration?: Duration;
  readonly mode?: BillingMode;
}

function phaseOf(spec: PhaseSpec): { plan: Plan; phase: PlanPhase } {
  const phase: PlanPhase = { type: spec.type, duration: spec.duration ?? { unit: 'UNLIMITED', number: -1 }, usages: [] };
  const plan: Plan = { name: spec.plan, product: spec.plan.split('-')[0], initialPhases: [], finalPhase: phase, plansAllowedInBundle: -1, recurringBillingMode: spec.mode };
  return { plan, phase };
}

let ordering = 0;
function event(subscriptionId: string, date: string, type: BillingTransitionType, bcd: number, spec: PhaseSpec | null, quantity = 1): BillingEvent {
  const local = d(date);
  const resolved = spec === null ? null : phaseOf(spec);
  const phaseName = spec === null ? null : `${spec.plan}-${spec.type.toLowerCase()}`;
  return {
    subscriptionId,
    bundleId: `bundle-of-${subscriptionId}`,
    effectiveDate: new Date(`${date}T08:00:00.000Z`),
    effectiveLocalDate: local,
    transitionType: type,
    plan: resolved?.plan ?? null,
    phase: resolved?.phase ?? null,
    planName: spec?.plan ?? null,
    phaseName,
    priceListName: spec === null ? null : 'DEFAULT',
    productName: resolved?.plan.product ?? null,
    productCategory: spec === null ? null : 'BASE',
    fixedPrice: spec?.fixed !== undefined ? new Big(spec.fixed) : null,
    recurringPrice: spec?.recurring !== undefined ? new Big(spec.recurring) : null,
    billingPeriod: spec?.recurring !== undefined ? (spec.period ?? 'MONTHLY') : 'NO_BILLING_PERIOD',
    billingMode: spec === null ? null : (spec.mode ?? 'IN_ADVANCE'),
    billCycleDayLocal: bcd,
    billingAlignment: 'ACCOUNT',
    usages: [],
    quantity,
    catalogEffectiveDate: new Date('2011-01-01T00:00:00.000Z'),
    totalOrdering: ++ordering,
  };
}

/** An account's invoicing history: each run's items land on a new COMMITTED invoice. */
class Account {
  readonly invoices: InvoiceRecord[] = [];
  private ids = 0;

  constructor(private readonly config: InvoiceGeneratorConfig = DEFAULT_INVOICE_GENERATOR_CONFIG) {}

  run(events: BillingEvent[], target: string, now = new Date(`${target}T08:00:00.000Z`)): InvoiceGeneratorResult {
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
      now,
      config: this.config,
    });
    if (result.items.length > 0) this.addInvoice(invoiceId, result.targetDate, result.items);
    return result;
  }

  addInvoice(id: string, targetDate: LocalDate, items: readonly InvoiceItemRecord[], status: InvoiceRecord['status'] = 'COMMITTED'): void {
    this.invoices.push({
      id,
      accountId: ACCOUNT,
      invoiceNumber: this.invoices.length + 1,
      invoiceDate: targetDate,
      targetDate,
      currency: 'USD',
      status,
      migrated: false,
      parentInvoice: false,
      groupId: null,
      writtenOff: false,
      createdDate: new Date(),
      items,
      payments: [],
    });
  }

  itemAdjustment(item: InvoiceItemRecord, amount: string): InvoiceItemRecord {
    return { ...item, id: `adj-of-${item.id}`, type: 'ITEM_ADJ', amount: new Big(amount), linkedItemId: item.id, rate: null, startDate: item.startDate, endDate: item.startDate };
  }
}

/** type start→end amount (REPAIR_ADJ: the repaired item's start too). */
function summary(items: readonly InvoiceItemRecord[]): string[] {
  return items.map((i) => `${i.type} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'} ${i.amount.toFixed(2)}`);
}

describe('E1: leading proration, BCD 31, leap year (TestIntegration#testBasePlanCompleteWithBillingDayInPast)', () => {
  const trial: PhaseSpec = { plan: 'assault-rifle-monthly', type: 'TRIAL', fixed: '0', duration: { unit: 'DAYS', number: 30 } };
  const rifle: PhaseSpec = { plan: 'assault-rifle-monthly', type: 'EVERGREEN', recurring: '599.95' };
  const pistol: PhaseSpec = { plan: 'pistol-monthly', type: 'EVERGREEN', recurring: '29.95' };
  const events = [event('s1', '2012-02-01', 'CREATE', 31, trial), event('s1', '2012-03-02', 'PHASE', 31, rifle), event('s1', '2012-03-31', 'CHANGE', 31, pistol)];

  it('bills the trial, the 561.24 leading proration, then 29.95 periods clamped on month ends', () => {
    const account = new Account();
    expect(summary(account.run(events, '2012-02-01').items)).toEqual(['FIXED 2012-02-01→2012-03-02 0.00']);
    const evergreen = account.run(events, '2012-03-02');
    expect(summary(evergreen.items)).toEqual(['RECURRING 2012-03-02→2012-03-31 561.24']);
    expect(evergreen.items[0]).toMatchObject({ rate: new Big('599.95'), planName: 'assault-rifle-monthly', phaseName: 'assault-rifle-monthly-evergreen', subscriptionId: 's1', invoiceId: 'invoice-2' });
    expect(evergreen.chargedThroughDates.get('s1')?.toString()).toBe('2012-03-31');
    expect(evergreen.nextBillingDates).toEqual([{ subscriptionId: 's1', date: d('2012-03-31'), kind: 'RECURRING' }]);

    const rest = ['2012-03-31', '2012-04-30', '2012-05-31', '2012-06-30'].map((target) => account.run(events, target));
    expect(rest.flatMap((r) => summary(r.items))).toEqual([
      'RECURRING 2012-03-31→2012-04-30 29.95',
      'RECURRING 2012-04-30→2012-05-31 29.95',
      'RECURRING 2012-05-31→2012-06-30 29.95',
      'RECURRING 2012-06-30→2012-07-31 29.95',
    ]);
    expect(rest.map((r) => r.chargedThroughDates.get('s1')?.toString())).toEqual(['2012-04-30', '2012-05-31', '2012-06-30', '2012-07-31']);
  });

  it('in one run from the beginning of time gives the same items', () => {
    expect(summary(new Account().run(events, '2012-06-30').items)).toEqual([
      'FIXED 2012-02-01→2012-03-02 0.00',
      'RECURRING 2012-03-02→2012-03-31 561.24',
      'RECURRING 2012-03-31→2012-04-30 29.95',
      'RECURRING 2012-04-30→2012-05-31 29.95',
      'RECURRING 2012-05-31→2012-06-30 29.95',
      'RECURRING 2012-06-30→2012-07-31 29.95',
    ]);
  });

  it('a fixed item is described by its phase; the recurring one by the phase name', () => {
    const items = new Account().run(events, '2012-03-02').items;
    expect(items.map((i) => i.description)).toEqual(['assault-rifle-monthly-trial', 'assault-rifle-monthly-evergreen']);
  });
});

describe('E2: change after an item adjustment, repair capped (invoice_subsystem tutorial)', () => {
  it('bills 9.63 for blowdart and repairs −239.95 (241.89 capped by the 10.00 adjustment)', () => {
    const trial: PhaseSpec = { plan: 'shotgun-monthly', type: 'TRIAL', fixed: '0', duration: { unit: 'DAYS', number: 30 } };
    const shotgun: PhaseSpec = { plan: 'shotgun-monthly', type: 'EVERGREEN', recurring: '249.95' };
    const blowdart: PhaseSpec = { plan: 'blowdart-monthly', type: 'DISCOUNT', recurring: '9.95', duration: { unit: 'MONTHS', number: 6 } };
    const before = [event('s1', '2012-04-01', 'CREATE', 1, trial), event('s1', '2012-05-01', 'PHASE', 1, shotgun)];
    const account = new Account();
    account.run(before, '2012-04-01');
    const second = account.run(before, '2012-05-01');
    expect(summary(second.items)).toEqual(['RECURRING 2012-05-01→2012-06-01 249.95']);
    const invoice2 = account.invoices[1];
    account.invoices[1] = { ...invoice2, items: [...invoice2.items, account.itemAdjustment(second.items[0], '-10.00')] };

    const change = account.run([...before, event('s1', '2012-05-02', 'CHANGE', 1, blowdart)], '2012-05-02');
    expect(summary(change.items)).toEqual(['RECURRING 2012-05-02→2012-06-01 9.63', 'REPAIR_ADJ 2012-05-02→2012-06-01 -239.95']);
    const repair = change.items[1];
    expect(repair).toMatchObject({ linkedItemId: second.items[0].id, subscriptionId: null, bundleId: null, invoiceId: 'invoice-3', description: 'Adjustment (subscription change)' });
  });
});

describe('E3: two immediate changes in a row (TestIntegrationInvoiceWithRepairLogic#testMultiplePartialRepairs)', () => {
  it('repairs the first change item over its own 25-day span', () => {
    const rifle: PhaseSpec = { plan: 'assault-rifle-monthly', type: 'EVERGREEN', recurring: '599.95' };
    const blowdart: PhaseSpec = { plan: 'blowdart-monthly', type: 'EVERGREEN', recurring: '9.95' };
    const pistol: PhaseSpec = { plan: 'pistol-monthly', type: 'EVERGREEN', recurring: '29.95' };
    const account = new Account();
    const created = [event('s1', '2012-05-01', 'CREATE', 1, rifle)];
    const first = account.run(created, '2012-05-01');
    expect(summary(first.items)).toEqual(['RECURRING 2012-05-01→2012-06-01 599.95']);

    const changed = [...created, event('s1', '2012-05-07', 'CHANGE', 1, blowdart)];
    const second = account.run(changed, '2012-05-07');
    expect(summary(second.items)).toEqual(['RECURRING 2012-05-07→2012-06-01 8.02', 'REPAIR_ADJ 2012-05-07→2012-06-01 -483.83']);
    expect(second.items[1].linkedItemId).toBe(first.items[0].id);

    const third = account.run([...changed, event('s1', '2012-05-08', 'CHANGE', 1, pistol)], '2012-05-08');
    expect(summary(third.items)).toEqual(['RECURRING 2012-05-08→2012-06-01 23.19', 'REPAIR_ADJ 2012-05-08→2012-06-01 -7.70']);
    expect(third.items[1].linkedItemId).toBe(second.items[0].id);
  });
});

describe('E8: annual to monthly immediate change (invoicing dry-run doc)', () => {
  it('repairs 184/365 of the annual item and bills 1/31 of the monthly price', () => {
    const annual: PhaseSpec = { plan: 'basic-annual', type: 'EVERGREEN', recurring: '10000', period: 'ANNUAL' };
    const monthly: PhaseSpec = { plan: 'basic-monthly', type: 'EVERGREEN', recurring: '1000' };
    const account = new Account();
    const created = [event('s1', '2017-07-27', 'CREATE', 27, annual)];
    expect(summary(account.run(created, '2017-07-27').items)).toEqual(['RECURRING 2017-07-27→2018-07-27 10000.00']);
    const change = account.run([...created, event('s1', '2018-01-24', 'CHANGE', 25, monthly)], '2018-01-24');
    expect(summary(change.items)).toEqual(['RECURRING 2018-01-24→2018-01-25 32.26', 'REPAIR_ADJ 2018-01-24→2018-07-27 -5041.10']);
  });
});

describe('E9: a voided invoice is billed again', () => {
  it('re-bills the voided period with the next one', () => {
    const trial: PhaseSpec = { plan: 'shotgun-monthly', type: 'TRIAL', fixed: '0', duration: { unit: 'DAYS', number: 30 } };
    const shotgun: PhaseSpec = { plan: 'shotgun-monthly', type: 'EVERGREEN', recurring: '249.95' };
    const events = [event('s1', '2015-05-15', 'CREATE', 14, trial), event('s1', '2015-06-14', 'PHASE', 14, shotgun)];
    const account = new Account();
    account.run(events, '2015-05-15');
    expect(summary(account.run(events, '2015-06-14').items)).toEqual(['RECURRING 2015-06-14→2015-07-14 249.95']);
    account.invoices[1] = { ...account.invoices[1], status: 'VOID' };
    expect(summary(account.run(events, '2015-07-14').items)).toEqual(['RECURRING 2015-06-14→2015-07-14 249.95', 'RECURRING 2015-07-14→2015-08-14 249.95']);
  });

  it('a DRAFT invoice counts as billed', () => {
    const shotgun: PhaseSpec = { plan: 'shotgun-monthly', type: 'EVERGREEN', recurring: '249.95' };
    const events = [event('s1', '2015-06-14', 'CREATE', 14, shotgun)];
    const account = new Account();
    account.run(events, '2015-06-14');
    account.invoices[0] = { ...account.invoices[0], status: 'DRAFT' };
    expect(account.run(events, '2015-06-20').items).toEqual([]);
  });
});

describe('E10: in arrear with an immediate cancel (test_recurring_in_arrear.rb)', () => {
  const weekDays: PhaseSpec = { plan: 'weekdays-monthly', type: 'EVERGREEN', recurring: '10.00', mode: 'IN_ARREAR' };

  it('bills each period once it is over, then 5.00 for 11-01 → 11-16', () => {
    const account = new Account();
    const created = [event('s1', '2013-08-01', 'CREATE', 1, weekDays)];
    const start = account.run(created, '2013-08-01');
    expect(start.items).toEqual([]);
    expect(start.nextBillingDates).toEqual([{ subscriptionId: 's1', date: d('2013-09-01'), kind: 'RECURRING' }]);
    const periods = ['2013-09-01', '2013-10-01', '2013-11-01'].map((t) => account.run(created, t));
    expect(periods.flatMap((r) => summary(r.items))).toEqual([
      'RECURRING 2013-08-01→2013-09-01 10.00',
      'RECURRING 2013-09-01→2013-10-01 10.00',
      'RECURRING 2013-10-01→2013-11-01 10.00',
    ]);
    expect(periods[2].nextBillingDates).toEqual([{ subscriptionId: 's1', date: d('2013-12-01'), kind: 'RECURRING' }]);
    const cancel = account.run([...created, event('s1', '2013-11-16', 'CANCEL', 1, null)], '2013-11-16');
    expect(summary(cancel.items)).toEqual(['RECURRING 2013-11-01→2013-11-16 5.00']);
    expect(cancel.nextBillingDates).toEqual([]);
  });
});

describe('target date ratchet (spec 1.3, Kill Bill #1241)', () => {
  it('never bills behind an existing recurring invoice target date', () => {
    const shotgun: PhaseSpec = { plan: 'shotgun-monthly', type: 'EVERGREEN', recurring: '249.95' };
    const events = [event('s1', '2012-05-01', 'CREATE', 1, shotgun)];
    const account = new Account();
    account.run(events, '2012-07-01');
    const earlier = account.run(events, '2012-05-15');
    expect(earlier.targetDate.toString()).toBe('2012-07-01');
    expect(earlier.items).toEqual([]);
  });
});

describe('annual periods of 365 and 366 days', () => {
  it('a cancellation prorates over the leap-year period (366 days)', () => {
    const annual: PhaseSpec = { plan: 'shotgun-annual', type: 'EVERGREEN', recurring: '2399.95', period: 'ANNUAL' };
    // 2012-01-01 → 2012-03-01 is 60 days of a 366-day year: 60/366 = 0.163934426 × 2399.95 = 393.43
    const events = [event('s1', '2012-01-01', 'CREATE', 1, annual), event('s1', '2012-03-01', 'CANCEL', 1, null)];
    expect(summary(new Account().run(events, '2012-03-01').items)).toEqual(['RECURRING 2012-01-01→2012-03-01 393.43']);
  });
});

describe('safety bounds (spec 1.3)', () => {
  it('more items than maxDailyNumberOfItemsSafetyBound for one subscription on one day is UNEXPECTED_ERROR', () => {
    const shotgun: PhaseSpec = { plan: 'shotgun-monthly', type: 'EVERGREEN', recurring: '249.95' };
    const account = new Account({ ...DEFAULT_INVOICE_GENERATOR_CONFIG, maxDailyNumberOfItemsSafetyBound: 2 });
    const events = [event('s1', '2012-01-01', 'CREATE', 1, shotgun)];
    let error: unknown;
    try {
      account.run(events, '2012-03-01');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KillBillError);
    expect((error as KillBillError).codeName).toBe('UNEXPECTED_ERROR');
    expect(new Account({ ...DEFAULT_INVOICE_GENERATOR_CONFIG, maxDailyNumberOfItemsSafetyBound: 3 }).run(events, '2012-03-01').items).toHaveLength(3);
  });
});
