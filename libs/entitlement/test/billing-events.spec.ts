/**
 * Billing events (junction) tables. Event streams are written by hand as the entitlement layer
 * stores them; expected values come from the spec's worked examples (section 5) and from Kill
 * Bill's junction/util tests (TestBlockingCalculator, TestDefaultInternalBillingApi,
 * TestBillCycleDayCalculator), never from this code.
 */
import * as fs from 'fs';
import * as path from 'path';
import Big from 'big.js';
import { StandaloneCatalog, VersionedCatalog, addSimplePlan, parseCatalogXml } from '@kb/catalog/engine';
import type { CatalogDefinition } from '@kb/catalog/engine';
import {
  BillingAccount,
  BillingEvent,
  BlockingStateRecord,
  BundleRecord,
  ENTITLEMENT_SERVICE,
  ProductCategory,
  SubscriptionEvent,
  SubscriptionEventType,
  SubscriptionRecord,
  billingDisabledDurations,
  compareJavaUuids,
  computeBillingEvents,
  javaUuidOrderKey,
} from '@kb/entitlement';

const CATALOG_DIR = path.resolve(__dirname, '../../../test/fixtures/catalogs');

function catalogOf(...files: string[]): VersionedCatalog {
  return new VersionedCatalog(
    files.map((f) => {
      const res = parseCatalogXml(fs.readFileSync(path.join(CATALOG_DIR, f), 'utf8'));
      if (!res.ok) throw new Error(`${f}: ${res.errors[0].message}`);
      return new StandaloneCatalog(res.catalog);
    }),
  );
}

const SPY_CAR = catalogOf('SpyCarAdvanced.xml');
const FIREARMS = catalogOf('catalogTest.xml');

const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T06:00:00.000Z` : iso);
const DAY = 24 * 3600 * 1000;
const plusMs = (d: Date, ms: number) => new Date(d.getTime() + ms);

let recordIds = 0;
const nextRecordId = () => ++recordIds;

interface EventSpec {
  plan?: string;
  phase?: string;
  bcd?: number;
  quantity?: number;
}

function ev(type: SubscriptionEventType, date: Date | string, spec: EventSpec = {}): SubscriptionEvent {
  const effectiveDate = typeof date === 'string' ? at(date) : date;
  const recordId = nextRecordId();
  return {
    id: `event-${recordId}`,
    recordId,
    subscriptionId: '',
    type,
    effectiveDate,
    createdDate: effectiveDate,
    planName: spec.plan ?? null,
    phaseName: spec.phase ?? null,
    priceListName: null,
    catalogEffectiveDate: null,
    billCycleDayLocal: spec.bcd ?? null,
    quantity: spec.quantity ?? null,
    isActive: true,
  };
}

function sub(id: string, bundleId: string, category: ProductCategory, events: SubscriptionEvent[], bundleStartDate?: Date): SubscriptionRecord {
  const startDate = events[0].effectiveDate;
  return {
    id,
    recordId: nextRecordId(),
    bundleId,
    externalKey: id,
    category,
    startDate,
    bundleStartDate: bundleStartDate ?? startDate,
    chargedThroughDate: null,
    migrated: false,
    events: events.map((e) => ({ ...e, subscriptionId: id })),
  };
}

function bundle(id: string, ...subscriptions: SubscriptionRecord[]): BundleRecord {
  return { id, recordId: nextRecordId(), accountId: ACCOUNT_ID, externalKey: id, originalCreatedDate: subscriptions[0].startDate, subscriptions };
}

function state(
  blockedId: string,
  type: BlockingStateRecord['type'],
  stateName: string,
  service: string,
  flags: [boolean, boolean, boolean],
  effectiveDate: Date,
): BlockingStateRecord {
  const recordId = nextRecordId();
  return {
    id: `bs-${recordId}`,
    recordId,
    blockedId,
    type,
    stateName,
    service,
    blockChange: flags[0],
    blockEntitlement: flags[1],
    blockBilling: flags[2],
    effectiveDate,
  };
}

const ACCOUNT_ID = '11111111-1111-4111-8111-111111111111';
const BUNDLE = 'b0000000-0000-4000-8000-000000000001';
const BUNDLE2 = 'b0000000-0000-4000-8000-000000000002';
const BASE = '00000000-0000-4000-8000-00000000000a';
const ADD_ON = '00000000-0000-4000-8000-00000000000b';
const SUB3 = '00000000-0000-4000-8000-00000000000c';

function account(billCycleDayLocal: number, timeZone = 'UTC', referenceTime = at('2013-08-01')): BillingAccount {
  return { id: ACCOUNT_ID, currency: 'USD', timeZone, referenceTime, billCycleDayLocal };
}

/** [type, local date, phase, fixed, recurring, billing period, BCD]: what invoicing reads. */
type Row = [string, string, string | null, string | null, string | null, string, number];

const row = (e: BillingEvent): Row => [
  e.transitionType,
  e.effectiveLocalDate.toString(),
  e.phaseName,
  e.fixedPrice === null ? null : e.fixedPrice.toFixed(2),
  e.recurringPrice === null ? null : e.recurringPrice.toFixed(2),
  e.billingPeriod,
  e.billCycleDayLocal,
];

const rowsOf = (events: readonly BillingEvent[], subscriptionId: string) => events.filter((e) => e.subscriptionId === subscriptionId).map(row);

/** Sports monthly created on 2013-08-01: 30-day $0 trial, then $500 monthly from 2013-08-31. */
const sportsCreate = () => [
  ev('CREATE', '2013-08-01', { plan: 'sports-monthly', phase: 'sports-monthly-trial' }),
  ev('PHASE', '2013-08-31', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' }),
];

describe('computeBillingEvents — the spec worked examples', () => {
  it('E1: trial then evergreen, the account BCD becomes 31 (first non-zero recurring charge)', () => {
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', sportsCreate()))],
      blockingStates: [],
      catalog: SPY_CAR,
    });
    expect(result.accountBcdToSet).toBe(31);
    expect(result.events.map(row)).toEqual([
      ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
      ['PHASE', '2013-08-31', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
    ]);
    const [create, phase] = result.events;
    expect(create).toMatchObject({
      planName: 'sports-monthly',
      priceListName: 'DEFAULT',
      productName: 'Sports',
      productCategory: 'BASE',
      billingAlignment: 'ACCOUNT',
    });
    expect(phase).toMatchObject({ billingMode: 'IN_ADVANCE', quantity: 1, bundleId: BUNDLE, effectiveDate: at('2013-08-31') });
    expect(phase.catalogEffectiveDate).toEqual(new Date('2013-02-08T00:00:00Z'));
  });

  it('E2: skipping the trial bills the evergreen phase from the start, BCD 1', () => {
    const events = [ev('CREATE', '2013-08-01', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' })];
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: SPY_CAR,
    });
    expect(result.accountBcdToSet).toBe(1);
    expect(result.events.map(row)).toEqual([['CREATE', '2013-08-01', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 1]]);
  });

  it.each<[string, SubscriptionEvent[], Row[]]>([
    [
      'in trial: IMMEDIATE change on 08-02, the trial still ends 08-31 (START_OF_SUBSCRIPTION)',
      [
        ev('CREATE', '2013-08-01', { plan: 'sports-monthly', phase: 'sports-monthly-trial' }),
        ev('CHANGE', '2013-08-02', { plan: 'super-monthly', phase: 'super-monthly-trial' }),
        ev('PHASE', '2013-08-31', { plan: 'super-monthly', phase: 'super-monthly-evergreen' }),
      ],
      [
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['CHANGE', '2013-08-02', 'super-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['PHASE', '2013-08-31', 'super-monthly-evergreen', null, '1000.00', 'MONTHLY', 31],
      ],
    ],
    [
      'after trial: END_OF_TERM change takes effect at the CTD 09-30',
      [...sportsCreate(), ev('CHANGE', '2013-09-30', { plan: 'super-monthly', phase: 'super-monthly-evergreen' })],
      [
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
        ['CHANGE', '2013-09-30', 'super-monthly-evergreen', null, '1000.00', 'MONTHLY', 31],
      ],
    ],
  ])('E3: change plan %s', (_name, events, expected) => {
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: SPY_CAR,
    });
    expect(result.events.map(row)).toEqual(expected);
    expect(result.events.find((e) => e.transitionType === 'CHANGE')?.planName).toBe('super-monthly');
  });

  it('E4: monthly to annual with account BCD 25 — the SUBSCRIPTION-aligned annual plan bills on the 1st', () => {
    const events = [
      ev('CREATE', '2012-04-01', { plan: 'shotgun-monthly', phase: 'shotgun-monthly-trial' }),
      ev('PHASE', '2012-05-01', { plan: 'shotgun-monthly', phase: 'shotgun-monthly-evergreen' }),
      ev('CHANGE', '2012-05-04', { plan: 'shotgun-annual', phase: 'shotgun-annual-evergreen' }),
    ];
    const result = computeBillingEvents({
      account: account(25),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: FIREARMS,
    });
    expect(result.accountBcdToSet).toBeNull();
    expect(result.events.map(row)).toEqual([
      ['CREATE', '2012-04-01', 'shotgun-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 25],
      ['PHASE', '2012-05-01', 'shotgun-monthly-evergreen', null, '249.95', 'MONTHLY', 25],
      ['CHANGE', '2012-05-04', 'shotgun-annual-evergreen', null, '2399.95', 'ANNUAL', 1],
    ]);
    expect(result.events.map((e) => e.billingAlignment)).toEqual(['ACCOUNT', 'ACCOUNT', 'SUBSCRIPTION']);
  });

  // Sports from 2013-08-01, CTD after the first paid period 2013-09-30: the billing end is the CANCEL.
  it.each<[string, string, Row[]]>([
    [
      'default on day 0: billing ends at the trial CTD, the PHASE at that instant is dropped',
      '2013-08-31',
      [
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['CANCEL', '2013-08-31', null, null, null, 'NO_BILLING_PERIOD', 31],
      ],
    ],
    [
      'default on 2013-09-01: billing ends at the CTD 2013-09-30',
      '2013-09-30',
      [
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
        ['CANCEL', '2013-09-30', null, null, null, 'NO_BILLING_PERIOD', 31],
      ],
    ],
    [
      'requestedDate 2013-09-15 + useRequestedDateForBilling',
      '2013-09-15',
      [
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
        ['CANCEL', '2013-09-15', null, null, null, 'NO_BILLING_PERIOD', 31],
      ],
    ],
    [
      'billingPolicy IMMEDIATE on 2013-08-11, in trial',
      '2013-08-11',
      [
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['CANCEL', '2013-08-11', null, null, null, 'NO_BILLING_PERIOD', 31],
      ],
    ],
  ])('E5: cancellation, %s', (_name, billingEnd, expected) => {
    const events = [...sportsCreate(), ev('CANCEL', billingEnd)];
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: SPY_CAR,
    });
    expect(result.events.map(row)).toEqual(expected);
    const cancel = result.events[result.events.length - 1];
    expect(cancel).toMatchObject({ planName: null, usages: [], fixedPrice: null, recurringPrice: null });
  });

  describe('E6: a START_OF_BUNDLE add-on follows the base cancel and bills on the base BCD', () => {
    const addOnEvents = () => [
      ev('CREATE', '2013-08-16', { plan: 'oilslick-monthly', phase: 'oilslick-monthly-discount' }),
      ev('PHASE', '2013-09-01', { plan: 'oilslick-monthly', phase: 'oilslick-monthly-evergreen' }),
    ];
    const run = (billingEnd: string) =>
      computeBillingEvents({
        account: account(0),
        bundles: [
          bundle(
            BUNDLE,
            sub(BASE, BUNDLE, 'BASE', [...sportsCreate(), ev('CANCEL', billingEnd)]),
            sub(ADD_ON, BUNDLE, 'ADD_ON', [...addOnEvents(), ev('CANCEL', billingEnd)], at('2013-08-01')),
          ),
        ],
        blockingStates: [],
        catalog: SPY_CAR,
      });

    it('cancelled on 2013-08-21: both stop billing 2013-08-31', () => {
      const result = run('2013-08-31');
      expect(rowsOf(result.events, BASE)).toEqual([
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['CANCEL', '2013-08-31', null, null, null, 'NO_BILLING_PERIOD', 31],
      ]);
      expect(rowsOf(result.events, ADD_ON)).toEqual([
        ['CREATE', '2013-08-16', 'oilslick-monthly-discount', null, '4.00', 'MONTHLY', 31],
        ['CANCEL', '2013-08-31', null, null, null, 'NO_BILLING_PERIOD', 31],
      ]);
      expect(result.events.find((e) => e.subscriptionId === ADD_ON)?.billingAlignment).toBe('BUNDLE');
    });

    it('cancelled on 2013-09-01: both stop billing 2013-09-30, the add-on PHASE is at 09-01', () => {
      const result = run('2013-09-30');
      expect(result.accountBcdToSet).toBe(31);
      expect(rowsOf(result.events, BASE)).toEqual([
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
        ['CANCEL', '2013-09-30', null, null, null, 'NO_BILLING_PERIOD', 31],
      ]);
      expect(rowsOf(result.events, ADD_ON)).toEqual([
        ['CREATE', '2013-08-16', 'oilslick-monthly-discount', null, '4.00', 'MONTHLY', 31],
        ['PHASE', '2013-09-01', 'oilslick-monthly-evergreen', null, '7.95', 'MONTHLY', 31],
        ['CANCEL', '2013-09-30', null, null, null, 'NO_BILLING_PERIOD', 31],
      ]);
    });
  });

  describe('E7: pause and resume the bundle', () => {
    const run = (pause: Date, resume: Date) =>
      computeBillingEvents({
        account: account(0),
        bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', sportsCreate()))],
        blockingStates: [
          state(BASE, 'SUBSCRIPTION', 'ENT_STARTED', ENTITLEMENT_SERVICE, [false, false, false], at('2013-08-01')),
          state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_BLOCKED', ENTITLEMENT_SERVICE, [true, true, true], pause),
          state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_CLEAR', ENTITLEMENT_SERVICE, [false, false, false], resume),
        ],
        catalog: SPY_CAR,
      });

    it('paused 2013-09-05, resumed 2013-09-10: billing disabled in between, re-enabled at the evergreen price', () => {
      const result = run(at('2013-09-05'), at('2013-09-10'));
      expect(result.events.map(row)).toEqual([
        ['CREATE', '2013-08-01', 'sports-monthly-trial', '0.00', null, 'NO_BILLING_PERIOD', 31],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
        ['START_BILLING_DISABLED', '2013-09-05', 'sports-monthly-evergreen', null, null, 'NO_BILLING_PERIOD', 31],
        ['END_BILLING_DISABLED', '2013-09-10', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 31],
      ]);
      expect(result.blockedIntervals).toEqual([{ subscriptionId: BASE, start: at('2013-09-05'), end: at('2013-09-10') }]);
    });

    it('paused and resumed the same day: no billing change (durations under a day are ignored)', () => {
      const result = run(at('2013-09-05'), plusMs(at('2013-09-05'), 3600 * 1000));
      expect(result.events.map((e) => e.transitionType)).toEqual(['CREATE', 'PHASE']);
      expect(result.blockedIntervals).toEqual([]);
    });
  });

  describe('E8: transfer', () => {
    it('default policy on 2013-09-01: the destination subscription starts with a TRANSFER billing event', () => {
      const events = [ev('TRANSFER', '2013-09-01', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' })];
      const result = computeBillingEvents({
        account: account(0),
        bundles: [bundle(BUNDLE2, sub(SUB3, BUNDLE2, 'BASE', events))],
        blockingStates: [],
        catalog: SPY_CAR,
      });
      expect(result.events.map(row)).toEqual([['TRANSFER', '2013-09-01', 'sports-monthly-evergreen', null, '500.00', 'MONTHLY', 1]]);
      expect(result.accountBcdToSet).toBe(1);
    });

    it('IMMEDIATE on 2013-08-05 in trial with an add-on: source ends 08-05, destination keeps PHASE 08-31 and 09-01', () => {
      const source = bundle(
        BUNDLE,
        sub(BASE, BUNDLE, 'BASE', [ev('CREATE', '2013-08-01', { plan: 'sports-monthly', phase: 'sports-monthly-trial' }), ev('CANCEL', '2013-08-05')]),
        sub(ADD_ON, BUNDLE, 'ADD_ON', [
          ev('CREATE', '2013-08-01', { plan: 'oilslick-monthly', phase: 'oilslick-monthly-discount' }),
          ev('CANCEL', '2013-08-05'),
        ]),
      );
      const sourceResult = computeBillingEvents({ account: account(0), bundles: [source], blockingStates: [], catalog: SPY_CAR });
      const typesAndDates = (events: readonly BillingEvent[], id: string) => rowsOf(events, id).map(([type, date, phase]) => [type, date, phase]);
      expect(typesAndDates(sourceResult.events, BASE)).toEqual([
        ['CREATE', '2013-08-01', 'sports-monthly-trial'],
        ['CANCEL', '2013-08-05', null],
      ]);
      expect(typesAndDates(sourceResult.events, ADD_ON)).toEqual([
        ['CREATE', '2013-08-01', 'oilslick-monthly-discount'],
        ['CANCEL', '2013-08-05', null],
      ]);

      const BASE2 = '00000000-0000-4000-8000-0000000000d1';
      const ADD_ON2 = '00000000-0000-4000-8000-0000000000d2';
      const destination = bundle(
        BUNDLE2,
        sub(
          BASE2,
          BUNDLE2,
          'BASE',
          [
            ev('TRANSFER', '2013-08-05', { plan: 'sports-monthly', phase: 'sports-monthly-trial' }),
            ev('PHASE', '2013-08-31', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' }),
          ],
          at('2013-08-01'),
        ),
        sub(
          ADD_ON2,
          BUNDLE2,
          'ADD_ON',
          [
            ev('TRANSFER', '2013-08-05', { plan: 'oilslick-monthly', phase: 'oilslick-monthly-discount' }),
            ev('PHASE', '2013-09-01', { plan: 'oilslick-monthly', phase: 'oilslick-monthly-evergreen' }),
          ],
          at('2013-08-01'),
        ),
      );
      const destinationResult = computeBillingEvents({ account: account(31), bundles: [destination], blockingStates: [], catalog: SPY_CAR });
      expect(typesAndDates(destinationResult.events, BASE2)).toEqual([
        ['TRANSFER', '2013-08-05', 'sports-monthly-trial'],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
      ]);
      expect(typesAndDates(destinationResult.events, ADD_ON2)).toEqual([
        ['TRANSFER', '2013-08-05', 'oilslick-monthly-discount'],
        ['PHASE', '2013-09-01', 'oilslick-monthly-evergreen'],
      ]);
    });
  });

  it('E11: a subscription BCD change to 7 on 2013-08-07 overrides the account BCD from then on, without re-billing the fixed price', () => {
    const basic = simpleCatalog([{ planId: 'basic-monthly', productName: 'Basic', amount: '1000' }]);
    const events = [ev('CREATE', '2013-08-01', { plan: 'basic-monthly', phase: 'basic-monthly-evergreen' }), ev('BCD_CHANGE', '2013-08-07', { bcd: 7 })];
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: basic,
    });
    expect(result.accountBcdToSet).toBe(1);
    expect(result.events.map(row)).toEqual([
      ['CREATE', '2013-08-01', 'basic-monthly-evergreen', null, '1000.00', 'MONTHLY', 1],
      ['BCD_CHANGE', '2013-08-07', 'basic-monthly-evergreen', null, '1000.00', 'MONTHLY', 7],
    ]);
  });

  describe('E12: account alignment (standard-monthly $24.95, BUNDLE-aligned add-on $17.95)', () => {
    const catalog = simpleCatalog(
      [
        { planId: 'standard-monthly', productName: 'Standard', amount: '24.95' },
        { planId: 'extra-monthly', productName: 'Extra', amount: '17.95', productCategory: 'ADD_ON', availableBaseProducts: ['Standard'] },
      ],
      (def) => {
        def.rules.billingAlignment = [{ productCategory: 'ADD_ON', alignment: 'BUNDLE' }, { alignment: 'ACCOUNT' }];
      },
    );
    const standard = (date: string) => [ev('CREATE', date, { plan: 'standard-monthly', phase: 'standard-monthly-evergreen' })];

    it('account BCD 25: the subscription of 2021-09-16 bills on the 25th', () => {
      const result = computeBillingEvents({
        account: account(25),
        bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', standard('2021-09-16')))],
        blockingStates: [],
        catalog,
      });
      expect(result.accountBcdToSet).toBeNull();
      expect(result.events.map(row)).toEqual([['CREATE', '2021-09-16', 'standard-monthly-evergreen', null, '24.95', 'MONTHLY', 25]]);
    });

    it('account BCD unset: the BCD becomes 16', () => {
      const result = computeBillingEvents({
        account: account(0),
        bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', standard('2021-09-16')))],
        blockingStates: [],
        catalog,
      });
      expect(result.accountBcdToSet).toBe(16);
      expect(result.events.map(row)).toEqual([['CREATE', '2021-09-16', 'standard-monthly-evergreen', null, '24.95', 'MONTHLY', 16]]);
    });

    it('a BUNDLE-aligned add-on bought 2021-09-30 on a base of 2021-09-20 bills on the 20th', () => {
      const addOn = sub(ADD_ON, BUNDLE, 'ADD_ON', [ev('CREATE', '2021-09-30', { plan: 'extra-monthly', phase: 'extra-monthly-evergreen' })], at('2021-09-20'));
      const result = computeBillingEvents({
        account: account(1),
        bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', standard('2021-09-20')), addOn)],
        blockingStates: [],
        catalog,
      });
      expect(rowsOf(result.events, ADD_ON)).toEqual([['CREATE', '2021-09-30', 'extra-monthly-evergreen', null, '17.95', 'MONTHLY', 20]]);
      expect(rowsOf(result.events, BASE)).toEqual([['CREATE', '2021-09-20', 'standard-monthly-evergreen', null, '24.95', 'MONTHLY', 1]]);
    });
  });
});

interface SimplePlan {
  planId: string;
  productName: string;
  amount: string;
  productCategory?: 'BASE' | 'ADD_ON';
  availableBaseProducts?: string[];
}

/** A catalog built as POST /catalog/simplePlan builds one (no trial, monthly, USD). */
function simpleCatalog(plans: SimplePlan[], edit?: (def: CatalogDefinition) => void): VersionedCatalog {
  let def: CatalogDefinition | undefined;
  for (const p of plans) {
    def = addSimplePlan(
      def,
      { ...p, amount: new Big(p.amount), currency: 'USD', billingPeriod: 'MONTHLY', trialLength: 0, trialTimeUnit: 'DAYS' },
      new Date('2011-01-01T00:00:00Z'),
    );
  }
  edit?.(def!);
  return new VersionedCatalog([new StandaloneCatalog(def!)]);
}

describe('computeBillingEvents — Kill Bill junction tests', () => {
  it('TestDefaultInternalBillingApi#testBCDUpdateMultipleSubscriptionsAccountAndSubscriptionAligned: SUBSCRIPTION-aligned annual keeps 7, the account takes 6', () => {
    const annual = [
      ev('CREATE', '2013-08-07', { plan: 'pistol-annual-gunclub-discount-notrial', phase: 'pistol-annual-gunclub-discount-notrial-discount' }),
      ev('PHASE', '2014-02-07', { plan: 'pistol-annual-gunclub-discount-notrial', phase: 'pistol-annual-gunclub-discount-notrial-evergreen' }),
    ];
    const monthly = [
      ev('CREATE', '2013-08-07', { plan: 'pistol-monthly', phase: 'pistol-monthly-trial' }),
      ev('PHASE', '2013-09-06', { plan: 'pistol-monthly', phase: 'pistol-monthly-evergreen' }),
    ];
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', annual)), bundle(BUNDLE2, sub(ADD_ON, BUNDLE2, 'BASE', monthly))],
      blockingStates: [],
      catalog: FIREARMS,
    });
    expect(result.events).toHaveLength(4);
    expect(result.accountBcdToSet).toBe(6);
    for (const e of result.events) expect(e.billCycleDayLocal).toBe(e.planName === 'pistol-annual-gunclub-discount-notrial' ? 7 : 6);
  });

  it('TestDefaultInternalBillingApi#testUsageInArrear: a usage-only plan fixes the account BCD (7)', () => {
    const events = [ev('CREATE', '2013-08-07', { plan: 'trebuchet-usage-in-arrear', phase: 'trebuchet-usage-in-arrear-evergreen' })];
    const result = computeBillingEvents({
      account: account(0),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: FIREARMS,
    });
    expect(result.events).toHaveLength(1);
    expect(result.events[0].billCycleDayLocal).toBe(7);
    expect(result.events[0].usages.map((u) => u.name)).toEqual(['trebuchet-in-arrear-usage']);
    expect(result.events[0].recurringPrice).toBeNull();
    expect(result.accountBcdToSet).toBe(7);
  });

  // TestBillCycleDayCalculator#testCalculateBCDWithTimeZone*: start 2012-07-16T21:17:03Z, reference time = start
  it.each([
    ['UTC', 16],
    ['HST', 16],
    ['Europe/Paris', 16],
    ['+03:00', 17],
    ['Asia/Tokyo', 17],
  ])('BCD in the account zone %s is %i', (zone, expected) => {
    const start = new Date('2012-07-16T21:17:03.000Z');
    const events = [ev('CREATE', start, { plan: 'pistol-monthly-notrial', phase: 'pistol-monthly-notrial-evergreen' })];
    const result = computeBillingEvents({
      account: account(0, zone, start),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: FIREARMS,
    });
    expect(result.accountBcdToSet).toBe(expected);
    expect(result.events[0].billCycleDayLocal).toBe(expected);
  });

  it('TestBlockingCalculator#testInsertBlockingEventsForBundle: a bundle block disables the subscriptions billing then', () => {
    const now = at('2013-08-10');
    const s1 = sub(BASE, BUNDLE, 'BASE', [ev('CREATE', plusMs(now, -DAY - 3600 * 1000), { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' })]);
    const s2 = sub(ADD_ON, BUNDLE, 'BASE', [
      ev('CREATE', plusMs(now, -DAY), { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' }),
      ev('CHANGE', plusMs(now, DAY), { plan: 'super-monthly', phase: 'super-monthly-evergreen' }),
    ]);
    const s3 = sub(SUB3, BUNDLE, 'BASE', [ev('CREATE', plusMs(now, 3 * DAY), { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' })]);
    const result = computeBillingEvents({
      account: account(10),
      bundles: [bundle(BUNDLE, s1, s2, s3)],
      blockingStates: [
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], now),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'clear-bundle', 'test', [false, false, false], plusMs(now, 2 * DAY)),
      ],
      catalog: SPY_CAR,
    });
    expect(result.events).toHaveLength(7);
    const types = (id: string) => result.events.filter((e) => e.subscriptionId === id).map((e) => e.transitionType);
    expect(types(BASE)).toEqual(['CREATE', 'START_BILLING_DISABLED', 'END_BILLING_DISABLED']);
    expect(types(ADD_ON)).toEqual(['CREATE', 'START_BILLING_DISABLED', 'END_BILLING_DISABLED']);
    expect(types(SUB3)).toEqual(['CREATE']);
    // the re-enable event carries what was in force at the end of the block: the CHANGE's plan
    expect(result.events.find((e) => e.subscriptionId === ADD_ON && e.transitionType === 'END_BILLING_DISABLED')?.planName).toBe('super-monthly');
  });

  it('TestBlockingCalculator#testSimpleWithClearBlockingDuration: only blockBilling states count; END before a CHANGE of the same instant', () => {
    const events = [
      ev('CREATE', '2012-05-01T00:00:00.000Z', { plan: 'shotgun-monthly', phase: 'shotgun-monthly-trial' }),
      ev('PHASE', '2012-05-31T00:00:00.000Z', { plan: 'shotgun-monthly', phase: 'shotgun-monthly-evergreen' }),
      ev('CHANGE', '2012-07-25T00:00:00.000Z', { plan: 'assault-rifle-monthly', phase: 'assault-rifle-monthly-evergreen' }),
    ];
    const result = computeBillingEvents({
      account: account(1),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, false, false], new Date('2012-07-05T00:00:00Z')),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], new Date('2012-07-15T00:00:00Z')),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], new Date('2012-07-24T00:00:00Z')),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'clear-bundle', 'test', [false, false, false], new Date('2012-07-25T00:00:00Z')),
      ],
      catalog: FIREARMS,
    });
    expect(result.events.map((e) => [e.transitionType, e.effectiveLocalDate.toString()])).toEqual([
      ['CREATE', '2012-05-01'],
      ['PHASE', '2012-05-31'],
      ['START_BILLING_DISABLED', '2012-07-15'],
      ['END_BILLING_DISABLED', '2012-07-25'],
      ['CHANGE', '2012-07-25'],
    ]);
  });

  it('TestBlockingCalculator#testCreateNewEventsOpenFollowCancellation: a block after the cancel changes nothing', () => {
    const events = [ev('CREATE', '2020-01-01', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' }), ev('CANCEL', '2020-02-01')];
    const result = computeBillingEvents({
      account: account(1),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], at('2020-06-01'))],
      catalog: SPY_CAR,
    });
    expect(result.events.map((e) => e.transitionType)).toEqual(['CREATE', 'CANCEL']);
    expect(result.blockedIntervals).toEqual([]);
  });

  it('TestBlockingCalculator#testCreateNewEventsClosedWithInBetweenCancellation: a block spanning the cancel only disables', () => {
    const events = [ev('CREATE', '2020-01-01', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' }), ev('CANCEL', '2020-06-15')];
    const result = computeBillingEvents({
      account: account(1),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], at('2020-06-01')),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'clear-bundle', 'test', [false, false, false], at('2020-07-01')),
      ],
      catalog: SPY_CAR,
    });
    const disabled = result.events.filter((e) => e.transitionType !== 'CREATE');
    expect(disabled.map((e) => [e.transitionType, e.effectiveLocalDate.toString()])).toEqual([['START_BILLING_DISABLED', '2020-06-01']]);
  });

  it('TestDefaultInternalBillingApi#testBlockingStatesWithSameEffectiveDate: zero-length blocks ignored, adjacent blocks of two blockables merged', () => {
    const start = at('2013-08-07');
    const block2 = plusMs(start, 5 * DAY);
    const block3 = plusMs(block2, 3 * DAY);
    const block4 = plusMs(block2, 50 * DAY);
    const block5 = plusMs(block4, 3 * DAY);
    const events = [
      ev('CREATE', start, { plan: 'shotgun-monthly', phase: 'shotgun-monthly-trial' }),
      ev('PHASE', plusMs(start, 30 * DAY), { plan: 'shotgun-monthly', phase: 'shotgun-monthly-evergreen' }),
    ];
    const all: [boolean, boolean, boolean] = [true, true, true];
    const none: [boolean, boolean, boolean] = [false, false, false];
    const result = computeBillingEvents({
      account: account(7, 'UTC', start),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_BLOCKED', ENTITLEMENT_SERVICE, all, start),
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_CLEAR', ENTITLEMENT_SERVICE, none, start),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_BLOCKED', ENTITLEMENT_SERVICE, all, block2),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_CLEAR', ENTITLEMENT_SERVICE, none, block2),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_CLEAR-something', ENTITLEMENT_SERVICE, none, block5),
        state(BUNDLE, 'SUBSCRIPTION_BUNDLE', 'ENT_BLOCKED-something', ENTITLEMENT_SERVICE, all, block4),
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_BLOCKED-something2', ENTITLEMENT_SERVICE, all, block3),
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_CLEAR-something2', ENTITLEMENT_SERVICE, none, block4),
      ],
      catalog: FIREARMS,
    });
    expect(result.events.map((e) => [e.transitionType, e.effectiveDate])).toEqual([
      ['CREATE', start],
      ['START_BILLING_DISABLED', block3],
      ['END_BILLING_DISABLED', block5],
    ]);
    // the PHASE inside the block is gone; billing resumes with what it brought
    expect(result.events[2]).toMatchObject({ phaseName: 'shotgun-monthly-evergreen', billingPeriod: 'MONTHLY' });
    expect(result.events[2].recurringPrice?.toFixed(2)).toBe('249.95');
  });

  it.each([
    ['at the subscription start: every billing event is disabled', 0, [] as string[]],
    ['a second after the start: the CREATE stays, then billing is disabled', 1000, ['CREATE', 'START_BILLING_DISABLED']],
  ])('TestDefaultInternalBillingApi#testUnblockThenBlock… %s', (_name, delay, expected) => {
    const start = at('2013-08-07');
    const block1 = plusMs(start, delay);
    const block2 = plusMs(block1, DAY);
    const result = computeBillingEvents({
      account: account(7, 'UTC', start),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', [ev('CREATE', start, { plan: 'shotgun-monthly', phase: 'shotgun-monthly-evergreen' })]))],
      blockingStates: [
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_BLOCKED', ENTITLEMENT_SERVICE, [true, true, true], block1),
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_CLEAR', ENTITLEMENT_SERVICE, [false, false, false], block2),
        state(ACCOUNT_ID, 'ACCOUNT', 'ENT_BLOCKED', ENTITLEMENT_SERVICE, [true, true, true], block2),
      ],
      catalog: FIREARMS,
    });
    expect(result.events.map((e) => e.transitionType)).toEqual(expected);
  });
});

describe('billingDisabledDurations (TestBlockingCalculator#testCreateDisablePairs, #testCreateAndMergeDisablePairs)', () => {
  const now = new Date('2013-08-07T10:00:00Z');
  const d = (days: number) => plusMs(now, days * DAY);
  const OVD = 'c0000000-0000-4000-8000-000000000001';
  const OVD2 = 'c0000000-0000-4000-8000-000000000002';
  const clear = (days: number, id = OVD) => state(id, 'SUBSCRIPTION_BUNDLE', 'clear-bundle', 'test', [false, false, false], d(days));
  const disabled = (days: number, id = OVD) => state(id, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], d(days));

  it.each<[string, () => BlockingStateRecord[], [number, number | null][]]>([
    ['open: clear then disabled', () => [clear(0), disabled(1)], [[1, null]]],
    ['closed: clear, disabled, clear', () => [clear(0), disabled(1), clear(2)], [[1, 2]]],
    ['two disabled in a row', () => [clear(0), disabled(1), disabled(2), clear(3)], [[1, 3]]],
    ['three disabled in a row', () => [clear(0), disabled(1), disabled(2), disabled(3), clear(4)], [[1, 4]]],
    ['adjacent blocks of two bundles', () => [disabled(1), clear(2), disabled(2, OVD2), clear(3, OVD2)], [[1, 3]]],
    ['overlapping blocks of two bundles', () => [disabled(1), disabled(2, OVD2), clear(2), clear(3, OVD2)], [[1, 3]]],
  ])('%s', (_name, states, expected) => {
    expect(billingDisabledDurations(states())).toEqual(expected.map(([s, e]) => ({ start: d(s), end: e === null ? null : d(e) })));
  });

  it('a block a second after the start, cleared then blocked again two days later, stays open', () => {
    const block = plusMs(now, 1000);
    const unblock = plusMs(block, 2 * DAY);
    const states = [clear(0)];
    expect(billingDisabledDurations(states)).toEqual([]);
    states.push(state(OVD, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], block));
    expect(billingDisabledDurations(states)).toEqual([{ start: block, end: null }]);
    states.push(state(OVD, 'SUBSCRIPTION_BUNDLE', 'clear-bundle', 'test', [false, false, false], unblock));
    expect(billingDisabledDurations(states)).toEqual([{ start: block, end: unblock }]);
    states.push(state(OVD, 'SUBSCRIPTION_BUNDLE', 'disabled-bundle', 'test', [true, true, true], unblock));
    expect(billingDisabledDurations(states)).toEqual([{ start: block, end: null }]);
  });
});

describe('ordering', () => {
  it('orders subscriptions as java.util.UUID#compareTo (signed halves)', () => {
    const ids = ['80000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    expect([...ids].sort(compareJavaUuids)).toEqual([
      '80000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      '00000000-0000-0000-0000-000000000001',
    ]);
  });

  it('ranks subscriptions by a text key in the same order as java.util.UUID#compareTo', () => {
    const digits = '0123456789abcdef';
    let seed = 7;
    const digit = () => digits[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % 16];
    const uuid = () =>
      Array.from({ length: 32 }, digit)
        .join('')
        .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    // The halves' sign bits both ways, equal most significant halves, and random ones.
    const ids = [
      '80000000-0000-0000-0000-000000000000',
      '7fffffff-ffff-ffff-ffff-ffffffffffff',
      '00000000-0000-0000-8000-000000000000',
      '00000000-0000-0000-7fff-ffffffffffff',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      ...Array.from({ length: 200 }, uuid),
    ];
    const byKey = [...ids].sort((a, b) => (javaUuidOrderKey(a)! < javaUuidOrderKey(b)! ? -1 : javaUuidOrderKey(a)! > javaUuidOrderKey(b)! ? 1 : 0));
    expect(byKey).toEqual([...ids].sort(compareJavaUuids));
    expect(javaUuidOrderKey('80000000-0000-0000-0000-00000000000A')).toBe(javaUuidOrderKey('80000000-0000-0000-0000-00000000000a'));
    expect(javaUuidOrderKey('sub-1')).toBeNull();
  });
});

describe('catalog versions (spec 1.5: grandfathering, effectiveDateForExistingSubscriptions)', () => {
  // pistol-monthly: v1 2011-01-01 $29.95; v2 2011-02-02 $39.95 EDFES 2011-02-14; v3 2011-03-03 $49.95 EDFES 2011-03-14.
  // shotgun-monthly has no EDFES: existing subscriptions keep their version.
  const WEAPONS = catalogOf('versioned/WeaponsHireSmall-1.xml', 'versioned/WeaponsHireSmall-2.xml', 'versioned/WeaponsHireSmall-3.xml');
  const run = (events: SubscriptionEvent[]) =>
    computeBillingEvents({ account: account(5), bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))], blockingStates: [], catalog: WEAPONS }).events;
  const priced = (events: readonly BillingEvent[]) =>
    events.map((e) => [
      e.transitionType,
      e.effectiveLocalDate.toString(),
      e.phaseName,
      e.recurringPrice?.toFixed(2) ?? null,
      e.catalogEffectiveDate.toISOString().slice(0, 10),
    ]);

  it('each later version with an EDFES moves the subscription to its price in turn (billing-only CHANGE events)', () => {
    expect(priced(run([ev('CREATE', '2011-01-05', { plan: 'pistol-monthly', phase: 'pistol-monthly-evergreen' })]))).toEqual([
      ['CREATE', '2011-01-05', 'pistol-monthly-evergreen', '29.95', '2011-01-01'],
      ['CHANGE', '2011-02-14', 'pistol-monthly-evergreen', '39.95', '2011-02-02'],
      ['CHANGE', '2011-03-14', 'pistol-monthly-evergreen', '49.95', '2011-03-03'],
    ]);
  });

  it('an EDFES during the trial applies to the trial, and the later phase keeps the newer version', () => {
    const events = [
      ev('CREATE', '2011-01-20', { plan: 'pistol-monthly', phase: 'pistol-monthly-trial' }),
      ev('PHASE', '2011-02-19', { plan: 'pistol-monthly', phase: 'pistol-monthly-evergreen' }),
    ];
    expect(priced(run(events))).toEqual([
      ['CREATE', '2011-01-20', 'pistol-monthly-trial', null, '2011-01-01'],
      ['CHANGE', '2011-02-14', 'pistol-monthly-trial', null, '2011-02-02'],
      ['PHASE', '2011-02-19', 'pistol-monthly-evergreen', '39.95', '2011-02-02'],
      ['CHANGE', '2011-03-14', 'pistol-monthly-evergreen', '49.95', '2011-03-03'],
    ]);
  });

  it('without EDFES the subscription is grandfathered in its version, phases included', () => {
    const events = [
      ev('CREATE', '2011-01-05', { plan: 'shotgun-monthly', phase: 'shotgun-monthly-trial' }),
      ev('PHASE', '2011-02-04', { plan: 'shotgun-monthly', phase: 'shotgun-monthly-evergreen' }),
    ];
    expect(priced(run(events))).toEqual([
      ['CREATE', '2011-01-05', 'shotgun-monthly-trial', null, '2011-01-01'],
      ['PHASE', '2011-02-04', 'shotgun-monthly-evergreen', '249.95', '2011-01-01'],
    ]);
  });
});

describe('subscription stream edge cases', () => {
  it('QUANTITY_CHANGE carries the new quantity; deactivated events are ignored', () => {
    const events = [
      ev('CREATE', '2013-08-01', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' }),
      ev('QUANTITY_CHANGE', '2013-08-10', { quantity: 3 }),
      { ...ev('CANCEL', '2013-08-20'), isActive: false },
    ];
    const result = computeBillingEvents({
      account: account(1),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: SPY_CAR,
    });
    expect(result.events.map((e) => [e.transitionType, e.quantity, e.fixedPrice, e.recurringPrice?.toFixed(2)])).toEqual([
      ['CREATE', 1, null, '500.00'],
      ['QUANTITY_CHANGE', 3, null, '500.00'],
    ]);
  });

  it('a subscription whose stream does not start with CREATE/TRANSFER is skipped', () => {
    const events = [ev('PHASE', '2013-08-31', { plan: 'sports-monthly', phase: 'sports-monthly-evergreen' })];
    const result = computeBillingEvents({
      account: account(1),
      bundles: [bundle(BUNDLE, sub(BASE, BUNDLE, 'BASE', events))],
      blockingStates: [],
      catalog: SPY_CAR,
    });
    expect(result.events).toEqual([]);
    expect(result.skippedSubscriptionIds).toEqual([BASE]);
  });
});
