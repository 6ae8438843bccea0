/**
 * Kill Bill's TestFixedAndRecurringInvoiceItemGenerator, ported: fixed-price events of one day,
 * the safety bounds, existing items in a bad state (Kill Bill #664) and processRecurringEvent in
 * advance and in arrear. Every expected date, amount and error is the Java test's own. The Java
 * account has BCD 1 on the billing events, UTC, USD.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import type { BillingMode, BillingPeriod, Plan, PlanPhase, PhaseType } from '@kb/catalog/engine';
import type { BillingEvent, BillingTransitionType } from '@kb/entitlement/engine';
import { DEFAULT_INVOICE_GENERATOR_CONFIG, InvoiceItemRecord, InvoiceRecord, generateInvoiceItems } from '@kb/invoice/engine';
import { checkSafetyBounds } from '../src/engine/generator';
import { proposeFixedItems } from '../src/engine/fixed';
import { ProposalContext, RecurringNotification, proposeRecurringItems } from '../src/engine/recurring';

const ACCOUNT = 'account-1';
const SUB = 'sub-1';
const d = (s: string) => LocalDate.parse(s);
const NOW = new Date('2016-01-01T00:00:00.000Z');

interface EventSpec {
  readonly date: string;
  readonly type: BillingTransitionType;
  readonly plan?: string;
  readonly phaseType?: PhaseType;
  readonly fixed?: string | null;
  readonly recurring?: string | null;
  readonly period?: BillingPeriod;
  readonly mode?: BillingMode;
  readonly bcd?: number;
  readonly ordering: number;
  readonly subscriptionId?: string;
}

function event(spec: EventSpec): BillingEvent {
  const planName = spec.plan ?? 'my-plan';
  const phase: PlanPhase = { type: spec.phaseType ?? 'EVERGREEN', duration: { unit: 'UNLIMITED', number: -1 }, usages: [] };
  const plan: Plan = { name: planName, product: 'my-product', initialPhases: [], finalPhase: phase, plansAllowedInBundle: -1, recurringBillingMode: spec.mode ?? 'IN_ADVANCE' };
  const cancel = spec.type === 'CANCEL';
  const subscriptionId = spec.subscriptionId ?? SUB;
  return {
    subscriptionId,
    bundleId: `bundle-of-${subscriptionId}`,
    effectiveDate: new Date(`${spec.date}T00:00:00.000Z`),
    effectiveLocalDate: d(spec.date),
    transitionType: spec.type,
    plan: cancel ? null : plan,
    phase: cancel ? null : phase,
    planName: cancel ? null : planName,
    phaseName: cancel ? null : `${planName}-${(spec.phaseType ?? 'EVERGREEN').toLowerCase()}`,
    priceListName: cancel ? null : 'DEFAULT',
    productName: cancel ? null : 'my-product',
    productCategory: cancel ? null : 'BASE',
    fixedPrice: spec.fixed == null ? null : new Big(spec.fixed),
    recurringPrice: spec.recurring == null ? null : new Big(spec.recurring),
    billingPeriod: cancel || spec.recurring == null ? (spec.period ?? 'NO_BILLING_PERIOD') : (spec.period ?? 'MONTHLY'),
    billingMode: spec.mode ?? 'IN_ADVANCE',
    billCycleDayLocal: spec.bcd ?? 1,
    billingAlignment: 'ACCOUNT',
    usages: [],
    quantity: 1,
    catalogEffectiveDate: new Date('2011-01-01T00:00:00.000Z'),
    totalOrdering: spec.ordering,
  };
}

let ids = 0;
function item(type: InvoiceItemRecord['type'], start: string, end: string | null, amount: string, extra: Partial<InvoiceItemRecord> = {}): InvoiceItemRecord {
  return {
    id: `existing-${++ids}`,
    invoiceId: 'invoice-0',
    accountId: ACCOUNT,
    childAccountId: null,
    type,
    bundleId: type === 'REPAIR_ADJ' ? null : `bundle-of-${SUB}`,
    subscriptionId: type === 'REPAIR_ADJ' ? null : SUB,
    description: null,
    productName: 'my-product',
    planName: 'my-plan',
    phaseName: 'my-plan-evergreen',
    usageName: null,
    catalogEffectiveDate: null,
    startDate: d(start),
    endDate: end === null ? null : d(end),
    amount: new Big(amount),
    rate: type === 'RECURRING' ? new Big(amount) : null,
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: NOW,
    ...extra,
  };
}
const recurringItem = (start: string, end: string, amount: string, createdDate = NOW) => item('RECURRING', start, end, amount, { createdDate });
const repairOf = (of: InvoiceItemRecord, start: string, end: string, amount: string) => item('REPAIR_ADJ', start, end, amount, { linkedItemId: of.id });
const itemAdjOf = (of: InvoiceItemRecord, date: string, amount: string) =>
  item('ITEM_ADJ', date, date, amount, { linkedItemId: of.id, subscriptionId: of.subscriptionId, bundleId: of.bundleId });

function invoiceOf(items: InvoiceItemRecord[], targetDate: string | null = null): InvoiceRecord {
  return {
    id: `invoice-${++ids}`,
    accountId: ACCOUNT,
    invoiceNumber: ids,
    invoiceDate: d('2016-01-01'),
    targetDate: targetDate === null ? null : d(targetDate),
    currency: 'USD',
    status: 'COMMITTED',
    migrated: false,
    parentInvoice: false,
    groupId: null,
    writtenOff: false,
    createdDate: NOW,
    items: items.map((i) => ({ ...i })),
    payments: [],
  };
}

/** FixedAndRecurringInvoiceItemGenerator#generateItems (no usage). */
function generate(events: BillingEvent[], invoices: InvoiceRecord[], target: string, now = NOW): InvoiceItemRecord[] {
  let n = 0;
  return [
    ...generateInvoiceItems({
      accountId: ACCOUNT,
      currency: 'USD',
      billingEvents: events,
      existingInvoices: invoices,
      usage: [],
      targetDate: d(target),
      invoiceId: 'new-invoice',
      newItemId: () => `new-${++n}`,
      now,
      config: DEFAULT_INVOICE_GENERATOR_CONFIG,
    }).items,
  ];
}

function context(target: string): ProposalContext {
  let n = 0;
  return {
    accountId: ACCOUNT,
    invoiceId: 'new-invoice',
    currency: 'USD',
    targetDate: d(target),
    now: NOW,
    prorationFixedDays: 0,
    inArrearGreedy: false,
    proposedId: () => `proposed-${++n}`,
  };
}

function failure(work: () => unknown): KillBillError {
  try {
    work();
  } catch (e) {
    expect(e).toBeInstanceOf(KillBillError);
    return e as KillBillError;
  }
  throw new Error('expected a KillBillError');
}

const summary = (items: readonly InvoiceItemRecord[]) =>
  items.map((i) => `${i.type} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'} ${i.amount.toFixed(2)}`);

describe('processFixedBillingEvents', () => {
  const trial = (date: string, ordering: number, type: BillingTransitionType, fixed: string | null, plan = 'my-plan') =>
    event({ date, type, plan, phaseType: 'TRIAL', fixed, ordering });

  it('testProcessFixedBillingEventsWithCancellationOnSameDay: nothing', () => {
    const events = [trial('2016-01-08', 1, 'CREATE', '10'), event({ date: '2016-01-08', type: 'CANCEL', ordering: 2 })];
    expect(proposeFixedItems(events, context('2016-01-08'))).toEqual([]);
  });

  it('testProcessFixedBillingEventsWithCancellationOnNextDay: one FIXED item of 10', () => {
    const events = [trial('2016-01-08', 1, 'CREATE', '10'), event({ date: '2016-01-09', type: 'CANCEL', ordering: 2 })];
    const items = proposeFixedItems(events, context('2016-01-08'));
    expect(items.map((i) => [i.type, i.amount.toFixed()])).toEqual([['FIXED', '10']]);
  });

  it('testProcessFixedBillingEventsWithMultipleChangeOnSameDay: only the last event (fixed 1) counts', () => {
    const events = [trial('2016-01-08', 1, 'CREATE', '10', 'my-plan1'), trial('2016-01-08', 2, 'CHANGE', null, 'my-plan2'), trial('2016-01-08', 3, 'CHANGE', '1', 'my-plan3')];
    const items = proposeFixedItems(events, context('2016-01-08'));
    expect(items.map((i) => [i.type, i.amount.toFixed()])).toEqual([['FIXED', '1']]);
  });
});

describe('generateItems: safety bounds and bad states (Kill Bill #664)', () => {
  const monthly = () => [event({ date: '2016-01-01', type: 'CREATE', recurring: '10', ordering: 1 })];

  it('testSafetyBoundsTooManyInvoiceItemsForGivenSubscriptionAndInvoiceDate', () => {
    const start = d('2016-01-01');
    const invoices: InvoiceRecord[] = [];
    // 15 months billed on 15 different days: the 16th is fine
    for (let i = 0; i < 15; i++) {
      const created = new Date(`${start.plusMonths(i).toString()}T00:00:00.000Z`);
      invoices.push(invoiceOf([recurringItem(start.plusMonths(i).toString(), start.plusMonths(i + 1).toString(), '10', created)], start.plusMonths(i).toString()));
    }
    const today = new Date('2017-06-01T00:00:00.000Z');
    expect(generate(monthly(), invoices, start.plusMonths(15).toString(), today)).toHaveLength(1);
    // 15 more created today: a 31st period billed today is one too many
    for (let i = 15; i < 30; i++) {
      invoices.push(invoiceOf([recurringItem(start.plusMonths(i).toString(), start.plusMonths(i + 1).toString(), '10', today)], start.plusMonths(i).toString()));
    }
    expect(failure(() => generate(monthly(), invoices, start.plusMonths(30).toString(), today)).codeName).toBe('UNEXPECTED_ERROR');
  });

  it('testTooManyFixedInvoiceItemsForGivenSubscriptionAndStartDate: the proposed fixed item matches an existing one, nothing new', () => {
    const events = [event({ date: '2016-01-01', type: 'CREATE', phaseType: 'TRIAL', fixed: '10', ordering: 1 })];
    const invoices = Array.from({ length: 20 }, () => invoiceOf([item('FIXED', '2016-01-01', null, '10', { description: 'Buggy fixed item', phaseName: 'my-plan-trial' })]));
    expect(generate(events, invoices, '2016-01-01')).toEqual([]);
  });

  it('testSubscriptionAlreadyDoubleBilledForServicePeriod: Double billing detected', () => {
    const invoices = Array.from({ length: 20 }, () => invoiceOf([recurringItem('2016-01-01', '2016-02-01', '10')]));
    const error = failure(() => generate(monthly(), invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Double billing detected');
  });

  it('testOverlappingItems: an existing 2016-01-01 → 01-30 item leaves 01-30 → 02-01 to bill, 0.65', () => {
    const invoices = [invoiceOf([recurringItem('2016-01-01', '2016-01-30', '10')])];
    expect(summary(generate(monthly(), invoices, '2016-01-01'))).toEqual(['RECURRING 2016-01-30→2016-02-01 0.65']);
  });

  it('testOverlappingExistingItems: Double billing detected', () => {
    const invoices = [invoiceOf([recurringItem('2016-01-01', '2016-01-30', '10'), recurringItem('2016-01-01', '2016-02-01', '10')])];
    const error = failure(() => generate(monthly(), invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Double billing detected');
  });

  it('testOverlappingItemsWithRepair: the fully repaired item is ignored, the full month is billed', () => {
    const wrong = recurringItem('2016-01-01', '2016-01-30', '10');
    const invoices = [invoiceOf([wrong, repairOf(wrong, '2016-01-01', '2016-01-30', '-10')])];
    expect(summary(generate(monthly(), invoices, '2016-01-01'))).toEqual(['RECURRING 2016-01-01→2016-02-01 10.00']);
  });

  it('testOverlappingItemsWithTooManyRepairs: Too many repairs', () => {
    const wrong = recurringItem('2016-01-01', '2016-01-30', '10');
    const invoices = [invoiceOf([wrong, repairOf(wrong, '2016-01-01', '2016-01-30', '-10'), repairOf(wrong, '2016-01-01', '2016-01-30', '-1')])];
    const error = failure(() => generate(monthly(), invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Too many repairs');
  });

  it('testOverlappingItemsWithInvalidRepair: a repair longer than its item is an Invalid cancelledItem', () => {
    const wrong = recurringItem('2016-01-01', '2016-01-30', '10');
    const invoices = [invoiceOf([wrong, repairOf(wrong, '2016-01-01', '2016-01-31', '-1')])];
    const error = failure(() => generate(monthly(), invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Invalid cancelledItem');
  });

  it('testInvalidRepair: a dangling repair is a Missing cancelledItem (no billing event at all)', () => {
    const invoices = [invoiceOf([item('REPAIR_ADJ', '2016-01-01', '2016-02-01', '-1', { linkedItemId: 'unknown-item' })])];
    const error = failure(() => generate([], invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Missing cancelledItem');
  });

  it('testInvalidAdjustment: a dangling item adjustment is a Missing subscription id', () => {
    const invoices = [invoiceOf([item('ITEM_ADJ', '2016-01-01', '2016-01-01', '-1', { description: 'Dangling adjustment', linkedItemId: null, subscriptionId: null, bundleId: null })])];
    const error = failure(() => generate([], invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Missing subscription id');
  });

  it('testItemFullyRepairedAndFullyAdjusted: Too many repairs', () => {
    const wrong = recurringItem('2016-01-01', '2016-02-01', '10');
    const invoices = [invoiceOf([wrong, repairOf(wrong, '2016-01-01', '2016-02-01', '-10'), itemAdjOf(wrong, '2016-01-01', '-1')])];
    const error = failure(() => generate([], invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Too many repairs');
  });

  const cancelledNextDay = () => [
    event({ date: '2016-01-01', type: 'CREATE', recurring: '10', ordering: 1 }),
    event({ date: '2016-01-02', type: 'CANCEL', ordering: 2 }),
  ];

  it('testItemPartiallyRepairedAndPartiallyAdjusted: −9.68 repaired, −0.32 adjusted, nothing new', () => {
    const wrong = recurringItem('2016-01-01', '2016-02-01', '10');
    const invoices = [invoiceOf([wrong, repairOf(wrong, '2016-01-02', '2016-02-01', '-9.68'), itemAdjOf(wrong, '2016-01-01', '-0.32')])];
    expect(generate(cancelledNextDay(), invoices, '2016-01-01')).toEqual([]);
  });

  it('testItemPartiallyRepairedAndPartiallyAdjustedV2: −1 adjusted, −9 repaired, nothing new', () => {
    const wrong = recurringItem('2016-01-01', '2016-02-01', '10');
    const invoices = [invoiceOf([wrong, itemAdjOf(wrong, '2016-01-01', '-1'), repairOf(wrong, '2016-01-02', '2016-02-01', '-9')])];
    expect(generate(cancelledNextDay(), invoices, '2016-01-01')).toEqual([]);
  });

  it('testItemPartiallyRepairedAndInvalidAdjustment: −9.68 repaired and −9.68 adjusted is Too many repairs', () => {
    const wrong = recurringItem('2016-01-01', '2016-02-01', '10');
    const invoices = [invoiceOf([wrong, repairOf(wrong, '2016-01-02', '2016-02-01', '-9.68'), itemAdjOf(wrong, '2016-01-01', '-9.68')])];
    const error = failure(() => generate(cancelledNextDay(), invoices, '2016-01-01'));
    expect(error.codeName).toBe('UNEXPECTED_ERROR');
    expect(error.message).toContain('Too many repairs');
  });
});

describe('safetyBounds on the resulting items', () => {
  const bounds = (items: InvoiceItemRecord[]) => () => checkSafetyBounds(items, [], DEFAULT_INVOICE_GENERATOR_CONFIG, NOW, undefined);
  const fixedAt = (start: string, amount: string) => item('FIXED', start, null, amount, { id: `fixed-${++ids}` });
  const recurringOf = (start: string, end: string, amount: string) => item('RECURRING', start, end, amount, { id: `recurring-${++ids}`, rate: new Big(1) });

  it('testTooManyFixedInvoiceItemsForGivenSubscriptionAndStartDatePostMerge', () => {
    expect(bounds([fixedAt('2016-01-01', '1'), fixedAt('2016-01-02', '1'), fixedAt('2016-02-01', '1')])).not.toThrow();
    const same = fixedAt('2016-01-01', '1');
    expect(failure(bounds([same, same])).codeName).toBe('UNEXPECTED_ERROR');
    expect(failure(bounds([fixedAt('2016-01-01', '1'), fixedAt('2016-01-01', '2')])).codeName).toBe('UNEXPECTED_ERROR');
  });

  it('testTooManyRecurringInvoiceItemsForGivenSubscriptionAndServicePeriodPostMerge', () => {
    expect(
      bounds([recurringOf('2016-01-01', '2016-01-11', '1'), recurringOf('2016-01-01', '2016-01-15', '1'), recurringOf('2016-01-01', '2016-01-22', '1'), recurringOf('2016-01-01', '2016-02-01', '1')]),
    ).not.toThrow();
    const same = recurringOf('2016-01-01', '2016-02-01', '1');
    expect(failure(bounds([same, same])).codeName).toBe('UNEXPECTED_ERROR');
    expect(failure(bounds([recurringOf('2016-01-01', '2016-02-01', '1'), recurringOf('2016-01-01', '2016-02-01', '2')])).codeName).toBe('UNEXPECTED_ERROR');
  });
});

// The Java tests assert a partial period only as "less than 10": the amounts here are days/days-in-month × rate
// worked by hand (14/31 × 10 = 4.52, 14/29 × 10 = 4.83, 17/31 × 1 = 0.55).
describe('processRecurringEvent (createDefaultBillingEvent: my-plan MONTHLY, BCD 1)', () => {
  const E1 = '2020-01-01';
  const created = (mode: BillingMode) => event({ date: E1, type: 'CREATE', recurring: '10', mode, ordering: 1 });
  const changed = (date: string, mode: BillingMode) => event({ date, type: 'CHANGE', recurring: '1', mode, ordering: 2 });
  const cancelled = (date: string, mode: BillingMode) => event({ date, type: 'CANCEL', mode, ordering: 2 });

  function run(events: BillingEvent[], target: string, notifications = new Map<string, RecurringNotification>()) {
    const items = proposeRecurringItems(events, context(target), notifications);
    return { items: items.map((i) => `${i.startDate.toString()}→${i.endDate?.toString() ?? '-'} ${i.amount.toFixed(2)}`), next: notifications.get(SUB)?.date?.toString() ?? null, notifications };
  }

  describe('IN_ADVANCE', () => {
    const mode: BillingMode = 'IN_ADVANCE';
    it('testInAdvance1: target = CREATE date: one month, notified at its end', () => {
      expect(run([created(mode)], E1)).toMatchObject({ items: ['2020-01-01→2020-02-01 10.00'], next: '2020-02-01' });
    });
    it('testInAdvance2: target before CREATE: nothing, no notification', () => {
      const result = run([created(mode)], '2019-12-31');
      expect(result.items).toEqual([]);
      expect(result.notifications.has(SUB)).toBe(false);
    });
    it('testInAdvance3: target one month later: two months', () => {
      expect(run([created(mode)], '2020-02-01')).toMatchObject({ items: ['2020-01-01→2020-02-01 10.00', '2020-02-01→2020-03-01 10.00'], next: '2020-03-01' });
    });
    it('testInAdvance4a: a future CHANGE ends the period (less than 10)', () => {
      const result = run([created(mode), changed('2020-01-15', mode)], E1);
      expect(result.items).toEqual(['2020-01-01→2020-01-15 4.52']);
      expect(new Big(result.items[0].split(' ')[1]).lt(10)).toBe(true);
      expect(result.next).toBe('2020-01-15');
    });
    it('testInAdvance4b: CHANGE a month and a half later, target one month later: 10 then less than 10', () => {
      const result = run([created(mode), changed('2020-02-15', mode)], '2020-02-01');
      expect(result.items).toEqual(['2020-01-01→2020-02-01 10.00', '2020-02-01→2020-02-15 4.83']);
      expect(result.next).toBe('2020-02-15');
    });
    it('testInAdvance5: CREATE then CHANGE, target = CHANGE date: both pieces, notified at the month end', () => {
      const result = run([created(mode), changed('2020-01-15', mode)], '2020-01-15');
      expect(result.items).toEqual(['2020-01-01→2020-01-15 4.52', '2020-01-15→2020-02-01 0.55']);
      expect(result.next).toBe('2020-02-01');
    });
    it('testInAdvance6: a CANCEL clears the pending notification', () => {
      const notifications = new Map<string, RecurringNotification>([[SUB, { mode, date: d('2020-02-01') }]]);
      const result = run([cancelled('2020-01-15', mode)], '2020-01-15', notifications);
      expect(result.items).toEqual([]);
      expect(result.notifications.get(SUB)?.date).toBeNull();
    });
  });

  describe('IN_ARREAR', () => {
    const mode: BillingMode = 'IN_ARREAR';
    it('testInArrear1: target = CREATE date: nothing yet, notified at the period end', () => {
      expect(run([created(mode)], E1)).toMatchObject({ items: [], next: '2020-02-01' });
    });
    it('testInArrear2: target before CREATE: nothing, no notification', () => {
      const result = run([created(mode)], '2019-12-31');
      expect(result.items).toEqual([]);
      expect(result.notifications.has(SUB)).toBe(false);
    });
    it('testInArrear3: target one month later: the first month, notified a month after', () => {
      expect(run([created(mode)], '2020-02-01')).toMatchObject({ items: ['2020-01-01→2020-02-01 10.00'], next: '2020-03-01' });
    });
    it('testInArrear4a: a future CHANGE, target = CREATE date: nothing, notified at the period end', () => {
      expect(run([created(mode), changed('2020-01-15', mode)], E1)).toMatchObject({ items: [], next: '2020-02-01' });
    });
    it('testInArrear4b: CHANGE on 02-15: one month at 02-01, then the 02-01 → 02-15 piece at 02-15; nothing for the CHANGE itself', () => {
      expect(run([created(mode), changed('2020-02-15', mode)], '2020-02-01')).toMatchObject({ items: ['2020-01-01→2020-02-01 10.00'], next: '2020-03-01' });
      const later = run([created(mode), changed('2020-02-15', mode)], '2020-02-15');
      expect(later.items).toEqual(['2020-01-01→2020-02-01 10.00', '2020-02-01→2020-02-15 4.83']);
      expect(later.next).toBe('2020-03-01');
      expect(run([changed('2020-02-15', mode)], '2020-02-15').items).toEqual([]);
    });
    it('testInArrear5: CREATE then CHANGE, target = CHANGE date: the first piece only, notified at the month end', () => {
      const result = run([created(mode), changed('2020-01-15', mode)], '2020-01-15');
      expect(result.items).toEqual(['2020-01-01→2020-01-15 4.52']);
      expect(result.next).toBe('2020-02-01');
    });
    it('testInArrear6: a CANCEL clears the pending notification', () => {
      const notifications = new Map<string, RecurringNotification>([[SUB, { mode, date: d('2020-02-01') }]]);
      const result = run([cancelled('2020-01-15', mode)], '2020-01-15', notifications);
      expect(result.items).toEqual([]);
      expect(result.notifications.get(SUB)?.date).toBeNull();
    });
  });
});
