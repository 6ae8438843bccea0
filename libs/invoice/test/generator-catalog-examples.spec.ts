/**
 * Worked examples through the whole engine chain: catalog XML (test/fixtures/catalogs) →
 * computeBillingEvents → generateInvoiceItems → computeCredit, one run per invoicing day, each
 * run's items and credit becoming an existing invoice of the next. Expected items, periods and
 * amounts are the specs' worked examples (catalog spec section 5, invoicing spec section 5).
 */
import * as fs from 'fs';
import * as path from 'path';
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { StandaloneCatalog, VersionedCatalog, parseCatalogXml } from '@kb/catalog/engine';
import {
  BillingAccount,
  BlockingStateRecord,
  BundleRecord,
  ENTITLEMENT_SERVICE,
  ProductCategory,
  SubscriptionEvent,
  SubscriptionEventType,
  SubscriptionRecord,
  computeBillingEvents,
} from '@kb/entitlement/engine';
import { DEFAULT_INVOICE_GENERATOR_CONFIG, InvoiceItemRecord, InvoiceRecord, accountCredit, computeCredit, generateInvoiceItems } from '@kb/invoice/engine';

const CATALOG_DIR = path.resolve(__dirname, '../../../test/fixtures/catalogs');
function versionOf(file: string): StandaloneCatalog {
  const res = parseCatalogXml(fs.readFileSync(path.join(CATALOG_DIR, file), 'utf8'));
  if (!res.ok) throw new Error(`${file}: ${res.errors[0].message}`);
  return new StandaloneCatalog(res.catalog);
}
const catalogOf = (file: string) => new VersionedCatalog([versionOf(file)]);

const ACCOUNT_ID = '11111111-1111-4111-8111-111111111111';
const BUNDLE = 'b0000000-0000-4000-8000-000000000001';
const BASE = '00000000-0000-4000-8000-00000000000a';
const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T06:00:00.000Z` : iso);

let recordIds = 0;
function ev(type: SubscriptionEventType, date: string, plan: string | null, phase: string | null, bcd: number | null = null): SubscriptionEvent {
  const recordId = ++recordIds;
  const when = at(date);
  return {
    id: `event-${recordId}`,
    recordId,
    subscriptionId: '',
    type,
    effectiveDate: when,
    createdDate: when,
    planName: plan,
    phaseName: phase,
    priceListName: null,
    catalogEffectiveDate: null,
    billCycleDayLocal: bcd,
    quantity: null,
    isActive: true,
  };
}

function bundleOf(id: string, subscriptions: { id: string; category: ProductCategory; events: SubscriptionEvent[] }[]): BundleRecord {
  const records: SubscriptionRecord[] = subscriptions.map((s) => ({
    id: s.id,
    recordId: ++recordIds,
    bundleId: id,
    externalKey: s.id,
    category: s.category,
    startDate: s.events[0].effectiveDate,
    bundleStartDate: subscriptions[0].events[0].effectiveDate,
    chargedThroughDate: null,
    migrated: false,
    events: s.events.map((e) => ({ ...e, subscriptionId: s.id })),
  }));
  return { id, recordId: ++recordIds, accountId: ACCOUNT_ID, externalKey: id, originalCreatedDate: records[0].startDate, subscriptions: records };
}

function blocking(blockedId: string, type: BlockingStateRecord['type'], stateName: string, blocked: boolean, date: string): BlockingStateRecord {
  const recordId = ++recordIds;
  return { id: `bs-${recordId}`, recordId, blockedId, type, stateName, service: ENTITLEMENT_SERVICE, blockChange: blocked, blockEntitlement: blocked, blockBilling: blocked, effectiveDate: at(date) };
}

/** An account invoiced day after day: billing events recomputed from what is known on that day. */
class Account {
  readonly invoices: InvoiceRecord[] = [];
  private ids = 0;
  bcd: number;

  constructor(
    private readonly catalog: VersionedCatalog,
    bcd: number,
    private readonly timeZone = 'UTC',
    private readonly referenceTime = at('2010-01-01'),
  ) {
    this.bcd = bcd;
  }

  private billingAccount(): BillingAccount {
    return { id: ACCOUNT_ID, currency: 'USD', timeZone: this.timeZone, referenceTime: this.referenceTime, billCycleDayLocal: this.bcd };
  }

  /** Invoices the account on `target`: the new items, then the CBA items of the credit engine. */
  run(bundles: BundleRecord[], target: string, blockingStates: BlockingStateRecord[] = []): string[] {
    const billing = computeBillingEvents({ account: this.billingAccount(), bundles, blockingStates, catalog: this.catalog });
    if (billing.accountBcdToSet !== null) this.bcd = billing.accountBcdToSet;
    const invoiceId = `invoice-${this.invoices.length + 1}`;
    const now = at(target);
    const result = generateInvoiceItems({
      accountId: ACCOUNT_ID,
      currency: 'USD',
      billingEvents: billing.events,
      existingInvoices: this.invoices,
      usage: [],
      targetDate: LocalDate.parse(target),
      invoiceId,
      newItemId: () => `item-${++this.ids}`,
      now,
      config: DEFAULT_INVOICE_GENERATOR_CONFIG,
    });
    if (result.items.length === 0) return [];
    const invoice: InvoiceRecord = {
      id: invoiceId,
      accountId: ACCOUNT_ID,
      invoiceNumber: this.invoices.length + 1,
      invoiceDate: LocalDate.parse(target),
      targetDate: result.targetDate,
      currency: 'USD',
      status: 'COMMITTED',
      migrated: false,
      parentInvoice: false,
      groupId: null,
      writtenOff: false,
      createdDate: now,
      items: result.items,
      payments: [],
    };
    this.invoices.push(invoice);
    const credit = computeCredit({ invoices: this.invoices, changedInvoiceIds: [invoiceId], newInvoiceIds: [invoiceId], today: LocalDate.parse(target), newItemId: () => `cba-${++this.ids}`, now });
    for (const cba of credit.items) {
      const index = this.invoices.findIndex((i) => i.id === cba.invoiceId);
      this.invoices[index] = { ...this.invoices[index], items: [...this.invoices[index].items, cba] };
    }
    return summary([...result.items, ...credit.items]);
  }

  /** Pays every invoice in full as soon as it is billed (what the examples' accounts with a payment method do). */
  payAll(): void {
    for (let i = 0; i < this.invoices.length; i++) {
      const invoice = this.invoices[i];
      const owed = invoice.items.reduce((a, it) => a.plus(it.amount), new Big(0));
      const paid = invoice.payments.reduce((a, p) => a.plus(p.amount), new Big(0));
      if (owed.minus(paid).lte(0)) continue;
      this.invoices[i] = {
        ...invoice,
        payments: [
          ...invoice.payments,
          { id: `payment-${invoice.id}`, invoiceId: invoice.id, paymentId: `payment-${invoice.id}`, type: 'ATTEMPT', status: 'SUCCESS', amount: owed.minus(paid), currency: 'USD', paymentDate: invoice.createdDate, linkedInvoicePaymentId: null },
        ],
      };
    }
  }

  credit(): string {
    return accountCredit(this.invoices).toFixed(2);
  }
}

function summary(items: readonly InvoiceItemRecord[]): string[] {
  return items.map((i) => `${i.type} ${i.planName ?? i.linkedItemId ?? ''} ${i.startDate.toString()}→${i.endDate?.toString() ?? '-'} ${i.amount.toFixed(2)}`.replace(/ +/g, ' '));
}

describe('catalog spec E1: trial → evergreen, automatic BCD 31, month-end clamping (SpyCarAdvanced sports-monthly)', () => {
  const bundles = [
    bundleOf(BUNDLE, [
      { id: BASE, category: 'BASE', events: [ev('CREATE', '2013-08-01', 'sports-monthly', 'sports-monthly-trial'), ev('PHASE', '2013-08-31', 'sports-monthly', 'sports-monthly-evergreen')] },
    ]),
  ];

  it('bills the $0 trial, then $500 for 08-31 → 09-30 and 09-30 → 10-31', () => {
    const account = new Account(catalogOf('SpyCarAdvanced.xml'), 0);
    expect(account.run(bundles, '2013-08-01')).toEqual(['FIXED sports-monthly 2013-08-01→2013-08-31 0.00']);
    expect(account.bcd).toBe(31);
    expect(account.run(bundles, '2013-08-31')).toEqual(['RECURRING sports-monthly 2013-08-31→2013-09-30 500.00']);
    expect(account.run(bundles, '2013-09-30')).toEqual(['RECURRING sports-monthly 2013-09-30→2013-10-31 500.00']);
  });
});

describe('catalog spec E7: pause 2013-09-05, resume 2013-09-10 (SpyCarAdvanced, test_pause_resume.rb)', () => {
  const bundles = [
    bundleOf(BUNDLE, [
      { id: BASE, category: 'BASE', events: [ev('CREATE', '2013-08-01', 'sports-monthly', 'sports-monthly-trial'), ev('PHASE', '2013-08-31', 'sports-monthly', 'sports-monthly-evergreen')] },
    ]),
  ];
  const started = blocking(BASE, 'SUBSCRIPTION', 'ENT_STARTED', false, '2013-08-01');
  const paused = blocking(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_BLOCKED', true, '2013-09-05');
  const resumed = blocking(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_CLEAR', false, '2013-09-10');

  it('repairs −416.67 into credit, then bills 322.58 paid from that credit', () => {
    const account = new Account(catalogOf('SpyCarAdvanced.xml'), 0);
    account.run(bundles, '2013-08-01', [started]);
    account.run(bundles, '2013-08-31', [started]);
    account.payAll();
    const pause = account.run(bundles, '2013-09-05', [started, paused]);
    expect(pause.map((s) => s.replace(/item-\d+/, 'the 500.00 item'))).toEqual(['REPAIR_ADJ the 500.00 item 2013-09-05→2013-09-30 -416.67', 'CBA_ADJ 2013-09-05→2013-09-05 416.67']);
    expect(account.credit()).toBe('416.67');
    const resume = account.run(bundles, '2013-09-10', [started, paused, resumed]);
    expect(resume).toEqual(['RECURRING sports-monthly 2013-09-10→2013-09-30 322.58', 'CBA_ADJ 2013-09-10→2013-09-10 -322.58']);
    expect(account.credit()).toBe('94.09');
  });
});

describe('catalog spec E4: monthly → annual with account BCD 25 (Firearms catalogTest.xml, TestBillingAlignment)', () => {
  const create = [ev('CREATE', '2012-04-01', 'shotgun-monthly', 'shotgun-monthly-trial'), ev('PHASE', '2012-05-01', 'shotgun-monthly', 'shotgun-monthly-evergreen')];

  it('$0 trial, 199.96 to the BCD, then 2,380.22 for the annual year and −174.97 repaired', () => {
    const account = new Account(catalogOf('catalogTest.xml'), 25);
    expect(account.run([bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: create }])], '2012-04-01')).toEqual(['FIXED shotgun-monthly 2012-04-01→2012-05-01 0.00']);
    expect(account.run([bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: create }])], '2012-05-01')).toEqual(['RECURRING shotgun-monthly 2012-05-01→2012-05-25 199.96']);
    const changed = [bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: [...create, ev('CHANGE', '2012-05-04', 'shotgun-annual', 'shotgun-annual-evergreen')] }])];
    const change = account.run(changed, '2012-05-04');
    expect(change.map((s) => s.replace(/item-\d+/, 'the 199.96 item'))).toEqual([
      'RECURRING shotgun-annual 2012-05-04→2013-05-01 2380.22',
      'REPAIR_ADJ the 199.96 item 2012-05-04→2012-05-25 -174.97',
    ]);
  });
});

describe('invoicing spec E8: ANNUAL → MONTHLY immediate change (invoicing-dry-run.adoc, AnnualToMonthly.xml)', () => {
  const create = ev('CREATE', '2017-07-27', 'basic-annual', 'basic-annual-evergreen');

  it('bills 32.26 to the BCD 25, repairs −5041.10 (184/365 of 10000) and turns 5008.84 into credit', () => {
    const account = new Account(catalogOf('AnnualToMonthly.xml'), 25);
    expect(account.run([bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: [create] }])], '2017-07-27')).toEqual(['RECURRING basic-annual 2017-07-27→2018-07-27 10000.00']);
    account.payAll();
    const changed = [bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: [create, ev('CHANGE', '2018-01-24', 'basic-monthly', 'basic-monthly-evergreen')] }])];
    expect(account.run(changed, '2018-01-24').map((s) => s.replace(/item-\d+/, 'the annual item'))).toEqual([
      'RECURRING basic-monthly 2018-01-24→2018-01-25 32.26',
      'REPAIR_ADJ the annual item 2018-01-24→2018-07-27 -5041.10',
      'CBA_ADJ 2018-01-24→2018-01-24 5008.84',
    ]);
    expect(account.credit()).toBe('5008.84');
  });
});

describe('invoicing spec E12: time zones (test_with_dates_timezones.rb, SpyCarAdvanced sports-monthly)', () => {
  const trialOf = (instant: string) => {
    const create = { ...ev('CREATE', '2013-08-01', 'sports-monthly', 'sports-monthly-trial'), effectiveDate: new Date(instant), createdDate: new Date(instant) };
    return [bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: [create] }])];
  };

  it('Pacific/Samoa: created at 2013-08-02T06:00Z, the trial item is dated 2013-08-01 → 2013-08-31', () => {
    const account = new Account(catalogOf('SpyCarAdvanced.xml'), 0, 'Pacific/Samoa', new Date('2013-08-02T06:00:00Z'));
    expect(account.run(trialOf('2013-08-02T06:00:00Z'), '2013-08-01')).toEqual(['FIXED sports-monthly 2013-08-01→2013-08-31 0.00']);
  });

  it('Asia/Tokyo: today is 2013-08-03 (18:00Z), a subscription requested for 2013-08-02 starts its item on 2013-08-02', () => {
    const account = new Account(catalogOf('SpyCarAdvanced.xml'), 0, 'Asia/Tokyo', new Date('2013-08-02T18:00:00Z'));
    // 2013-08-02 at the reference local time of day (03:00 in Tokyo) is 2013-08-01T18:00Z
    expect(account.run(trialOf('2013-08-01T18:00:00Z'), '2013-08-03')).toEqual(['FIXED sports-monthly 2013-08-02→2013-09-01 0.00']);
  });
});

describe('catalog spec E12: account alignment (catalog-examples.adoc, AccountAlignment.xml standard-monthly 24.95)', () => {
  const base = (date: string) => [bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: [ev('CREATE', date, 'standard-monthly', 'standard-monthly-evergreen')] }])];

  it('account BCD 25, subscribed 2021-09-16: 7.24 for 09-16 → 09-25, then 24.95 from 09-25', () => {
    const account = new Account(catalogOf('AccountAlignment.xml'), 25);
    expect(account.run(base('2021-09-16'), '2021-09-16')).toEqual(['RECURRING standard-monthly 2021-09-16→2021-09-25 7.24']);
    expect(account.run(base('2021-09-16'), '2021-09-25')).toEqual(['RECURRING standard-monthly 2021-09-25→2021-10-25 24.95']);
  });

  it('account BCD unset, subscribed 2021-09-16: 24.95 for 09-16 → 10-16 and the account BCD becomes 16', () => {
    const account = new Account(catalogOf('AccountAlignment.xml'), 0);
    expect(account.run(base('2021-09-16'), '2021-09-16')).toEqual(['RECURRING standard-monthly 2021-09-16→2021-10-16 24.95']);
    expect(account.bcd).toBe(16);
  });

  it('a BUNDLE-aligned add-on (17.95) added 2021-09-30 to a base of 2021-09-20: 11.97 for 09-30 → 10-20', () => {
    const ADD_ON = '00000000-0000-4000-8000-00000000000b';
    const bundles = [
      bundleOf(BUNDLE, [
        { id: BASE, category: 'BASE', events: [ev('CREATE', '2021-09-20', 'standard-monthly', 'standard-monthly-evergreen')] },
        { id: ADD_ON, category: 'ADD_ON', events: [ev('CREATE', '2021-09-30', 'extra-monthly', 'extra-monthly-evergreen')] },
      ]),
    ];
    // the account's own BCD (1) is not the bundle's day: the add-on follows its base subscription's 20th
    const account = new Account(catalogOf('AccountAlignment.xml'), 1);
    expect(account.run(bundles, '2021-09-30').filter((s) => s.includes('extra-monthly'))).toEqual(['RECURRING extra-monthly 2021-09-30→2021-10-20 11.97']);
  });
});

describe('catalog spec E9: price update vs grandfathering (WaterUtility v1..v3, TestCatalogWithEffectiveDateForExistingSubscriptions)', () => {
  const waterUtility = () => new VersionedCatalog(['WaterUtility-v1.xml', 'WaterUtility-v2.xml', 'WaterUtility-v3.xml'].map((f) => versionOf(`versioned/${f}`)));
  const subscribed = (date: string) => [bundleOf(BUNDLE, [{ id: BASE, category: 'BASE', events: [ev('CREATE', date, 'plumber-insurance-monthly', 'plumber-insurance-monthly-evergreen')] }])];

  it('BCD 1 from 2018-01-01: 49.95 through the 2018-04-01 period, 59.95 from the v2 EDFES 05-01, 69.95 from the v3 EDFES 08-01', () => {
    const account = new Account(waterUtility(), 1);
    const bundles = subscribed('2018-01-01');
    const runs = ['2018-01-01', '2018-02-01', '2018-03-01', '2018-04-01', '2018-05-01', '2018-06-01', '2018-07-01', '2018-08-01'].map((day) => {
      const items = account.run(bundles, day);
      account.payAll();
      return items;
    });
    expect(runs).toEqual([
      ['RECURRING plumber-insurance-monthly 2018-01-01→2018-02-01 49.95'],
      ['RECURRING plumber-insurance-monthly 2018-02-01→2018-03-01 49.95'],
      ['RECURRING plumber-insurance-monthly 2018-03-01→2018-04-01 49.95'],
      ['RECURRING plumber-insurance-monthly 2018-04-01→2018-05-01 49.95'], // v2 is out, existing subscriptions wait for 05-01
      ['RECURRING plumber-insurance-monthly 2018-05-01→2018-06-01 59.95'],
      ['RECURRING plumber-insurance-monthly 2018-06-01→2018-07-01 59.95'],
      ['RECURRING plumber-insurance-monthly 2018-07-01→2018-08-01 59.95'], // v3 is out, existing subscriptions wait for 08-01
      ['RECURRING plumber-insurance-monthly 2018-08-01→2018-09-01 69.95'],
    ]);
    // each item names the catalog version its price came from
    expect(account.invoices.map((i) => i.items[0].catalogEffectiveDate?.toISOString().slice(0, 10))).toEqual([
      '2018-01-01',
      '2018-01-01',
      '2018-01-01',
      '2018-01-01',
      '2018-04-01',
      '2018-04-01',
      '2018-04-01',
      '2018-07-01',
    ]);
  });

  it('BCD 15 from 2018-03-15: 49.95, then 26.64 at the old price cut at the EDFES, 27.98 at the new one to the BCD, then 59.95', () => {
    const account = new Account(waterUtility(), 15);
    const bundles = subscribed('2018-03-15');
    const runs = ['2018-03-15', '2018-04-15', '2018-05-01', '2018-05-15'].map((day) => {
      const items = account.run(bundles, day);
      account.payAll();
      return items;
    });
    expect(runs).toEqual([
      ['RECURRING plumber-insurance-monthly 2018-03-15→2018-04-15 49.95'],
      ['RECURRING plumber-insurance-monthly 2018-04-15→2018-05-01 26.64'],
      ['RECURRING plumber-insurance-monthly 2018-05-01→2018-05-15 27.98'],
      ['RECURRING plumber-insurance-monthly 2018-05-15→2018-06-15 59.95'],
    ]);
    expect(account.invoices.map((i) => i.items[0].catalogEffectiveDate?.toISOString().slice(0, 10))).toEqual(['2018-01-01', '2018-01-01', '2018-04-01', '2018-04-01']);
  });
});
