import * as fs from 'fs';
import * as path from 'path';
import { ZoneId } from '@js-joda/core';
import { StandaloneCatalog, VersionedCatalog } from '@kb/catalog/engine';
import {
  type BlockingStateRecord,
  computeSubscriptionView,
  nextPhaseEventAfter,
  planCreation,
  type PlannedEvent,
  type SubscriptionEvent,
  type SubscriptionRecord,
} from '../src/engine';

const CATALOGS = path.resolve(__dirname, '../../../test/fixtures/catalogs');
const catalogOf = (name: string) => new VersionedCatalog([StandaloneCatalog.fromXml(fs.readFileSync(path.join(CATALOGS, name), 'utf8'))]);
const spyCar = catalogOf('SpyCarAdvanced.xml');
const firearms = catalogOf('catalogTest.xml');

const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T10:00:00.000Z` : iso);
const day = (date: Date) => date.toISOString().slice(0, 10);
const brief = (events: readonly PlannedEvent[]) => events.map((e) => [e.type, day(e.effectiveDate), e.phaseName ?? null]);

let recordIds = 0;
function record(id: string, planned: readonly PlannedEvent[], options: { bundleStart?: Date; category?: SubscriptionRecord['category'] } = {}): SubscriptionRecord {
  const events: SubscriptionEvent[] = planned.map((p, i) => ({
    id: `${id}-e${i}`,
    recordId: ++recordIds,
    subscriptionId: id,
    type: p.type,
    effectiveDate: p.effectiveDate,
    createdDate: planned[0].effectiveDate,
    planName: p.planName ?? null,
    phaseName: p.phaseName ?? null,
    priceListName: p.priceListName ?? null,
    catalogEffectiveDate: p.catalogEffectiveDate ?? null,
    billCycleDayLocal: p.billCycleDayLocal ?? null,
    quantity: p.quantity ?? null,
    isActive: true,
  }));
  return {
    id,
    recordId: ++recordIds,
    bundleId: 'bundle',
    externalKey: id,
    category: options.category ?? 'BASE',
    startDate: planned[0].effectiveDate,
    bundleStartDate: options.bundleStart ?? planned[0].effectiveDate,
    chargedThroughDate: null,
    migrated: false,
    events,
  };
}

function started(subscriptionId: string, date: Date): BlockingStateRecord {
  return {
    id: `${subscriptionId}-start`,
    recordId: ++recordIds,
    blockedId: subscriptionId,
    type: 'SUBSCRIPTION',
    stateName: 'ENT_STARTED',
    service: 'entitlement-service',
    blockChange: false,
    blockEntitlement: false,
    blockBilling: false,
    effectiveDate: date,
  };
}

const view = (subscription: SubscriptionRecord, now: Date, states: BlockingStateRecord[], base?: SubscriptionRecord) =>
  computeSubscriptionView({ subscription, base, blockingStates: states, catalog: spyCar, currency: 'USD', accountBillCycleDayLocal: 0, accountZone: ZoneId.UTC, now });

describe('planCreation (phase alignment on create)', () => {
  it.each([
    // E1: 30-day trial then evergreen.
    ['E1 sports-monthly trial', { planName: 'sports-monthly' }, undefined, '2013-08-01', undefined, [
      ['CREATE', '2013-08-01', 'sports-monthly-trial'],
      ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
    ]],
    // E2: phaseType=EVERGREEN skips the trial, no further event.
    ['E2 skip trial', { planName: 'sports-monthly' }, 'EVERGREEN', '2013-08-01', undefined, [['CREATE', '2013-08-01', 'sports-monthly-evergreen']]],
    // By product, billing period and price list.
    ['triple', { productName: 'Sports', billingPeriod: 'MONTHLY', priceListName: 'DEFAULT' }, undefined, '2013-08-01', undefined, [
      ['CREATE', '2013-08-01', 'sports-monthly-trial'],
      ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
    ]],
    // E6: a START_OF_BUNDLE add-on bought mid-month inherits the bundle's phase grid.
    ['E6 add-on START_OF_BUNDLE', { planName: 'oilslick-monthly' }, undefined, '2013-08-16', '2013-08-01', [
      ['CREATE', '2013-08-16', 'oilslick-monthly-discount'],
      ['PHASE', '2013-09-01', 'oilslick-monthly-evergreen'],
    ]],
    // An add-on bought after the base's alignment phase is over starts in its evergreen phase.
    ['add-on after the discount month', { planName: 'oilslick-monthly' }, undefined, '2013-09-05', '2013-08-01', [['CREATE', '2013-09-05', 'oilslick-monthly-evergreen']]],
  ] as const)('%s', (_name, spec, phaseType, billing, bundleStart, expected) => {
    const plan = planCreation({ catalog: spyCar, spec, phaseType, billingDate: at(billing), bundleStartDate: bundleStart ? at(bundleStart) : undefined });
    expect(brief(plan.events)).toEqual(expected);
  });

  it('aligns a START_OF_SUBSCRIPTION add-on (RemoteControl) on its own start', () => {
    const plan = planCreation({ catalog: spyCar, spec: { productName: 'RemoteControl', billingPeriod: 'MONTHLY', priceListName: 'DEFAULT' }, billingDate: at('2013-08-16'), bundleStartDate: at('2013-08-01') });
    expect(plan.alignment).toBe('START_OF_SUBSCRIPTION');
    expect(plan.alignStart).toEqual(at('2013-08-16'));
    expect(plan.category).toBe('ADD_ON');
  });

  it('writes BCD_CHANGE and QUANTITY_CHANGE at the billing date when asked', () => {
    const plan = planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: at('2013-08-01'), billCycleDayLocal: 15, quantity: 3 });
    expect(plan.events.map((e) => [e.type, day(e.effectiveDate), e.billCycleDayLocal ?? e.quantity ?? null])).toEqual([
      ['CREATE', '2013-08-01', 3],
      ['BCD_CHANGE', '2013-08-01', 15],
      ['QUANTITY_CHANGE', '2013-08-01', 3],
      ['PHASE', '2013-08-31', null],
    ]);
  });

  it('ends a FIXEDTERM plan with an EXPIRED event', () => {
    const plan = planCreation({ catalog: firearms, spec: { planName: 'pistol-monthly-fixedterm' }, billingDate: at('2012-05-01') });
    expect(brief(plan.events)).toEqual([
      ['CREATE', '2012-05-01', 'pistol-monthly-fixedterm-fixedterm'],
      ['EXPIRED', '2012-06-01', null],
    ]);
  });

  it('refuses a phaseType the plan does not have (SUB_CREATE_BAD_PHASE) and an unknown plan (CAT_NO_SUCH_PLAN)', () => {
    expect(() => planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, phaseType: 'DISCOUNT', billingDate: at('2013-08-01') })).toThrow(
      expect.objectContaining({ code: 1011 }),
    );
    expect(() => planCreation({ catalog: spyCar, spec: { planName: 'nope' }, billingDate: at('2013-08-01') })).toThrow(expect.objectContaining({ code: 2021 }));
  });

  it('keeps the time of day of the start on the phase instant', () => {
    const plan = planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: new Date('2013-08-01T17:23:11.000Z') });
    expect(plan.events[1].effectiveDate.toISOString()).toBe('2013-08-31T17:23:11.000Z');
  });
});

describe('nextPhaseEventAfter', () => {
  it('is nothing after the trial of sports-monthly (evergreen is unlimited)', () => {
    const created = planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: at('2013-08-01') });
    const subscription = record('s1', created.events);
    expect(nextPhaseEventAfter(spyCar, subscription, subscription.events[1])).toBeUndefined();
  });

  it('finds the phase after a fired phase on a multi-phase plan, preserving a skipped start (phaseType)', () => {
    // discount-sports-monthly: TRIAL, DISCOUNT, EVERGREEN; created straight in DISCOUNT.
    const created = planCreation({ catalog: spyCar, spec: { planName: 'discount-sports-monthly' }, phaseType: 'DISCOUNT', billingDate: at('2013-08-01') });
    expect(created.events[0].phaseName).toBe('discount-sports-monthly-discount');
    const subscription = record('s2', created.events);
    expect(brief([nextPhaseEventAfter(spyCar, subscription, subscription.events[0])!])).toEqual([brief(created.events)[1]]);
    const phase = subscription.events[1];
    expect(nextPhaseEventAfter(spyCar, subscription, phase)).toBeUndefined();
  });

  it('keeps the bundle alignment of an add-on (E8: the alignment survives re-reading the stored events)', () => {
    const created = planCreation({ catalog: spyCar, spec: { planName: 'oilslick-monthly' }, billingDate: at('2013-08-16'), bundleStartDate: at('2013-08-01') });
    const subscription = record('ao', created.events, { bundleStart: at('2013-08-01'), category: 'ADD_ON' });
    expect(day(nextPhaseEventAfter(spyCar, subscription, subscription.events[0])!.effectiveDate)).toBe('2013-09-01');
  });
});

describe('computeSubscriptionView', () => {
  const e1 = record('sub-e1', planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly', priceListName: 'DEFAULT' }, billingDate: at('2013-08-01') }).events);
  const e1States = [started('sub-e1', at('2013-08-01'))];

  it('E1: ACTIVE in trial, events START_ENTITLEMENT, START_BILLING, PHASE (future included), prices per phase', () => {
    const v = view(e1, at('2013-08-02'), e1States);
    expect(v.state).toBe('ACTIVE');
    expect(v.current).toMatchObject({ planName: 'sports-monthly', phaseType: 'TRIAL', productName: 'Sports', category: 'BASE', billingPeriod: 'MONTHLY', priceListName: 'DEFAULT' });
    expect(v.events.map((e) => [e.eventType, day(e.effectiveDate), e.plan?.phaseName, e.serviceName, e.serviceStateName])).toEqual([
      ['START_ENTITLEMENT', '2013-08-01', 'sports-monthly-trial', 'entitlement-service', 'ENT_STARTED'],
      ['START_BILLING', '2013-08-01', 'sports-monthly-trial', 'billing-service', 'START_BILLING'],
      ['PHASE', '2013-08-31', 'sports-monthly-evergreen', 'entitlement+billing-service', 'PHASE'],
    ]);
    expect(v.prices.map((p) => [p.phaseName, p.phaseType, p.fixedPrice?.toString() ?? null, p.recurringPrice?.toString() ?? null])).toEqual([
      ['sports-monthly-trial', 'TRIAL', '0', null],
      ['sports-monthly-evergreen', 'EVERGREEN', null, '500'],
    ]);
    expect([v.billingStartDate, v.billingEndDate, v.cancelledDate, v.quantity, v.sourceType]).toEqual([at('2013-08-01'), null, null, 1, 'NATIVE']);
    // ACCOUNT billing alignment and no account BCD yet.
    expect(v.billCycleDayLocal).toBeNull();
  });

  it('E1 after the trial: the current phase is evergreen', () => {
    expect(view(e1, at('2013-09-01'), e1States).current?.phaseName).toBe('sports-monthly-evergreen');
  });

  it('is PENDING before its entitlement start and shows its first plan', () => {
    const v = view(e1, at('2013-07-01'), e1States);
    expect(v.state).toBe('PENDING');
    expect(v.current?.phaseName).toBe('sports-monthly-trial');
  });

  it('is BLOCKED under a blocking state that blocks entitlement, with PAUSE/RESUME events of the bundle pause', () => {
    const pause: BlockingStateRecord = { ...started('bundle', at('2013-08-05')), id: 'pause', type: 'SUBSCRIPTION_BUNDLE', stateName: 'ENT_BLOCKED', blockChange: true, blockEntitlement: true, blockBilling: true };
    const resume: BlockingStateRecord = { ...pause, id: 'resume', recordId: ++recordIds, stateName: 'ENT_CLEAR', blockChange: false, blockEntitlement: false, blockBilling: false, effectiveDate: at('2013-08-10') };
    expect(view(e1, at('2013-08-06'), [...e1States, pause, resume]).state).toBe('BLOCKED');
    const v = view(e1, at('2013-08-11'), [...e1States, pause, resume]);
    expect(v.state).toBe('ACTIVE');
    expect(v.events.map((e) => [e.eventType, day(e.effectiveDate), e.serviceName])).toEqual([
      ['START_ENTITLEMENT', '2013-08-01', 'entitlement-service'],
      ['START_BILLING', '2013-08-01', 'billing-service'],
      ['PAUSE_ENTITLEMENT', '2013-08-05', 'entitlement-service'],
      ['PAUSE_BILLING', '2013-08-05', 'billing-service'],
      ['RESUME_ENTITLEMENT', '2013-08-10', 'entitlement-service'],
      ['RESUME_BILLING', '2013-08-10', 'billing-service'],
      ['PHASE', '2013-08-31', 'entitlement+billing-service'],
    ]);
  });

  it('shows an overdue-like state that flips nothing as SERVICE_STATE_CHANGE', () => {
    const warning: BlockingStateRecord = { ...started('account', at('2013-08-07')), id: 'od1', type: 'ACCOUNT', stateName: 'OD1', service: 'overdue-service', blockChange: true };
    const v = view(e1, at('2013-08-08'), [...e1States, warning]);
    expect(v.state).toBe('ACTIVE');
    expect(v.events.find((e) => e.eventType === 'SERVICE_STATE_CHANGE')).toMatchObject({ serviceName: 'overdue-service', serviceStateName: 'OD1' });
  });

  it('is EXPIRED once a FIXEDTERM plan ends', () => {
    const created = planCreation({ catalog: firearms, spec: { planName: 'pistol-monthly-fixedterm' }, billingDate: at('2012-05-01') });
    const subscription = record('pistol', created.events);
    const states = [started('pistol', at('2012-05-01'))];
    const v = (now: Date) =>
      computeSubscriptionView({ subscription, blockingStates: states, catalog: firearms, currency: 'USD', accountBillCycleDayLocal: 0, accountZone: ZoneId.UTC, now });
    expect(v(at('2012-05-15')).state).toBe('ACTIVE');
    expect(v(at('2012-06-02')).state).toBe('EXPIRED');
    expect(v(at('2012-06-02')).billingEndDate).toEqual(at('2012-06-01'));
    expect(v(at('2012-06-02')).events.map((e) => e.eventType)).toEqual(['START_ENTITLEMENT', 'START_BILLING', 'STOP_BILLING']);
  });

  it('gives a BUNDLE-aligned add-on the day of its base’s first non-zero recurring charge as BCD (trial end, E1 style)', () => {
    const addOn = record('ao', planCreation({ catalog: spyCar, spec: { planName: 'oilslick-monthly' }, billingDate: at('2013-08-16'), bundleStartDate: at('2013-08-01') }).events, {
      bundleStart: at('2013-08-01'),
      category: 'ADD_ON',
    });
    const v = view(addOn, at('2013-08-17'), [started('ao', at('2013-08-16'))], e1);
    expect(v.billCycleDayLocal).toBe(31);
    expect(v.current?.category).toBe('ADD_ON');
  });

  it('reports the subscription’s own BCD and quantity from BCD_CHANGE / QUANTITY_CHANGE', () => {
    const subscription = record('own', planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: at('2013-08-01'), billCycleDayLocal: 12, quantity: 4 }).events);
    const v = view(subscription, at('2013-08-02'), [started('own', at('2013-08-01'))]);
    expect([v.billCycleDayLocal, v.quantity]).toEqual([12, 4]);
  });
});
