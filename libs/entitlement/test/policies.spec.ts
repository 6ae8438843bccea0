import * as fs from 'fs';
import * as path from 'path';
import { LocalDate, ZoneId } from '@js-joda/core';
import { accountTime, instantOf } from '@kb/kernel';
import { resolvePlanChange, StandaloneCatalog, VersionedCatalog } from '@kb/catalog/engine';
import {
  addOnCascades,
  type BlockingStateRecord,
  effectiveDateForPolicy,
  nextPhaseEventAfter,
  planChangeEvents,
  planCreation,
  type PlannedEvent,
  resolveCancelDates,
  type SubscriptionEvent,
  type SubscriptionRecord,
  withAddOnCascade,
} from '../src/engine';

const CATALOGS = path.resolve(__dirname, '../../../test/fixtures/catalogs');
const spyCar = new VersionedCatalog([StandaloneCatalog.fromXml(fs.readFileSync(path.join(CATALOGS, 'SpyCarAdvanced.xml'), 'utf8'))]);
const at = (iso: string) => new Date(iso.length === 10 ? `${iso}T06:00:00.000Z` : iso);
const day = (date: Date) => date.toISOString().slice(0, 10);
const brief = (events: readonly PlannedEvent[]) => events.map((e) => [e.type, day(e.effectiveDate), e.phaseName ?? null]);
const time = accountTime(ZoneId.of('UTC'), instantOf(at('2013-08-01')));

let ids = 0;
function subscription(id: string, planned: readonly PlannedEvent[], options: { ctd?: string; category?: SubscriptionRecord['category']; bundleStart?: Date } = {}): SubscriptionRecord {
  const events: SubscriptionEvent[] = planned.map((p) => ({
    id: `${id}-${++ids}`,
    recordId: ids,
    subscriptionId: id,
    type: p.type,
    effectiveDate: p.effectiveDate,
    createdDate: planned[0].effectiveDate,
    planName: p.planName ?? null,
    phaseName: p.phaseName ?? null,
    priceListName: p.priceListName ?? null,
    isActive: true,
  }));
  return {
    id,
    recordId: ++ids,
    bundleId: 'b',
    externalKey: id,
    category: options.category ?? 'BASE',
    startDate: planned[0].effectiveDate,
    bundleStartDate: options.bundleStart ?? planned[0].effectiveDate,
    chargedThroughDate: options.ctd ? at(options.ctd) : null,
    migrated: false,
    events,
  };
}
const sports = (ctd?: string) => subscription('s', planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: at('2013-08-01') }).events, { ctd });

describe('effectiveDateForPolicy (spec 2.4)', () => {
  const cases: [string, 'IMMEDIATE' | 'END_OF_TERM' | 'START_OF_TERM', string | undefined, string, string][] = [
    ['IMMEDIATE is now', 'IMMEDIATE', '2013-09-30', '2013-09-01', '2013-09-01'],
    ['END_OF_TERM is a future CTD', 'END_OF_TERM', '2013-09-30', '2013-09-01', '2013-09-30'],
    ['END_OF_TERM is now when the CTD is past', 'END_OF_TERM', '2013-08-31', '2013-09-10', '2013-09-10'],
    ['END_OF_TERM is now without CTD', 'END_OF_TERM', undefined, '2013-08-05', '2013-08-05'],
    ['a trial CTD: END_OF_TERM is the trial end', 'END_OF_TERM', '2013-08-31', '2013-08-01T07:00:00.000Z', '2013-08-31'],
    ['START_OF_TERM without CTD is the start', 'START_OF_TERM', undefined, '2013-08-10', '2013-08-01'],
    ['START_OF_TERM with a past CTD is the CTD', 'START_OF_TERM', '2013-09-30', '2013-10-05', '2013-09-30'],
    ['START_OF_TERM with a future CTD walks back a period, on the BCD', 'START_OF_TERM', '2013-10-31', '2013-10-05', '2013-09-30'],
  ];
  it.each(cases)('%s', (_name, policy, ctd, now, expected) => {
    const result = effectiveDateForPolicy({ policy, now: at(now), subscription: sports(ctd), time, billingPeriod: 'MONTHLY', billCycleDayLocal: 31 });
    expect(day(result)).toBe(expected);
  });

  it('is never before the start of the phase in force (the PHASE of 08-31 after the trial)', () => {
    const result = effectiveDateForPolicy({ policy: 'START_OF_TERM', now: at('2013-09-10'), subscription: sports('2013-08-20'), time, billingPeriod: 'MONTHLY', billCycleDayLocal: 31 });
    expect(day(result)).toBe('2013-08-31');
  });

  it('refuses START_OF_TERM with a future CTD where Kill Bill has no alignment', () => {
    expect(() =>
      effectiveDateForPolicy({ policy: 'START_OF_TERM', now: at('2013-10-05'), subscription: sports('2013-10-31'), time, billingPeriod: 'MONTHLY', billCycleDayLocal: 31, startOfTermAllowed: false }),
    ).toThrow('START_OF_TERM not implemented');
  });
});

describe('resolveCancelDates (spec 2.6, table E5)', () => {
  const ctx = (now: string, ctd: string | null) => ({ now: at(now), time, entitlementStart: at('2013-08-01'), billingStart: at('2013-08-01'), chargedThroughDate: ctd ? at(ctd) : null });
  const local = (text: string) => ({ kind: 'date' as const, date: LocalDate.parse(text) });
  const describeBilling = (billing: ReturnType<typeof resolveCancelDates>['billing']) => (billing.kind === 'date' ? day(billing.date) : billing.kind === 'policy' ? billing.policy : 'catalog');

  const rows: [string, Parameters<typeof resolveCancelDates>[0], string, string | null, string, string][] = [
    ['default, day 0', {}, '2013-08-01', '2013-08-31', '2013-08-01', 'catalog'],
    ['entitlementPolicy=END_OF_TERM', { entitlementPolicy: 'END_OF_TERM' }, '2013-09-01', '2013-09-30', '2013-09-30', 'catalog'],
    ['entitlementPolicy=IMMEDIATE', { entitlementPolicy: 'IMMEDIATE' }, '2013-09-01', '2013-09-30', '2013-09-01', 'catalog'],
    ['requestedDate local only moves entitlement', { requestedDate: local('2013-09-15') }, '2013-09-01', '2013-09-30', '2013-09-15', 'catalog'],
    ['useRequestedDateForBilling', { requestedDate: local('2013-09-15'), useRequestedDateForBilling: true }, '2013-09-01', '2013-09-30', '2013-09-15', '2013-09-15'],
    ['a date-time moves both', { requestedDate: { kind: 'dateTime', instant: at('2013-09-15T12:00:00.000Z') } }, '2013-09-01', null, '2013-09-15', '2013-09-15'],
    ['billingPolicy + requestedDate', { requestedDate: local('2013-08-05'), billingPolicy: 'IMMEDIATE' }, '2013-08-11', null, '2013-08-05', 'IMMEDIATE'],
    ['both policies', { requestedDate: local('2013-08-05'), entitlementPolicy: 'END_OF_TERM', billingPolicy: 'END_OF_TERM' }, '2013-09-01', '2013-09-30', '2013-09-30', 'END_OF_TERM'],
  ];
  it.each(rows)('%s', (_name, request, now, ctd, entitlement, billing) => {
    const dates = resolveCancelDates(request, ctx(now, ctd));
    expect([day(dates.entitlementDate), describeBilling(dates.billing)]).toEqual([entitlement, billing]);
  });

  it('refuses a local date before the entitlement start (1001); floors the policy path to it', () => {
    expect(() => resolveCancelDates({ requestedDate: local('2013-07-01') }, ctx('2013-08-05', null))).toThrow(expect.objectContaining({ code: 1001 }));
    expect(day(resolveCancelDates({ requestedDate: local('2013-07-01'), billingPolicy: 'IMMEDIATE' }, ctx('2013-08-05', null)).entitlementDate)).toBe('2013-08-01');
  });
});

describe('plan change events (E3) and the next PHASE after a CHANGE', () => {
  it('in trial, START_OF_SUBSCRIPTION keeps the trial end: CHANGE into super trial, PHASE 08-31', () => {
    const record = sports();
    const version = spyCar.versionFor(at('2013-08-02'));
    const change = resolvePlanChange(version, { planName: 'sports-monthly', phaseType: 'TRIAL' }, { planName: 'super-monthly' });
    expect(change).toMatchObject({ policy: 'IMMEDIATE', alignment: 'START_OF_SUBSCRIPTION' });
    const events = planChangeEvents({
      subscription: record,
      plan: version.findPlan('super-monthly'),
      version,
      priceListName: 'DEFAULT',
      alignment: change.alignment,
      effectiveDate: at('2013-08-02'),
      originalInitialPhase: 'TRIAL',
    });
    expect(brief(events)).toEqual([
      ['CHANGE', '2013-08-02', 'super-monthly-trial'],
      ['PHASE', '2013-08-31', 'super-monthly-evergreen'],
    ]);
  });

  it('after trial, the CHANGE at the CTD lands in the evergreen phase with no PHASE after it', () => {
    const version = spyCar.versionFor(at('2013-09-30'));
    const events = planChangeEvents({
      subscription: sports('2013-09-30'),
      plan: version.findPlan('super-monthly'),
      version,
      priceListName: 'DEFAULT',
      alignment: 'START_OF_SUBSCRIPTION',
      effectiveDate: at('2013-09-30'),
      originalInitialPhase: 'TRIAL',
    });
    expect(brief(events)).toEqual([['CHANGE', '2013-09-30', 'super-monthly-evergreen']]);
  });

  it('CHANGE_OF_PLAN restarts the plan at the change date (its trial then)', () => {
    const version = spyCar.versionFor(at('2013-09-10'));
    const events = planChangeEvents({
      subscription: sports(),
      plan: version.findPlan('super-monthly'),
      version,
      priceListName: 'DEFAULT',
      alignment: 'CHANGE_OF_PLAN',
      effectiveDate: at('2013-09-10'),
    });
    expect(brief(events)).toEqual([
      ['CHANGE', '2013-09-10', 'super-monthly-trial'],
      ['PHASE', '2013-10-10', 'super-monthly-evergreen'],
    ]);
  });

  it('nextPhaseEventAfter follows the changed plan (was: nothing once a CHANGE existed)', () => {
    // sports created 08-01, changed on 08-05 to discount-super-monthly (CHANGE_OF_PLAN-like grid from the subscription start): next phases come from the new plan
    const created = planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: at('2013-08-01') }).events.slice(0, 1);
    const record = subscription('c', [
      ...created,
      { type: 'CHANGE', effectiveDate: at('2013-08-05'), planName: 'discount-super-monthly', phaseName: 'discount-super-monthly-trial', priceListName: 'DEFAULT' },
      { type: 'PHASE', effectiveDate: at('2013-08-31'), planName: 'discount-super-monthly', phaseName: 'discount-super-monthly-discount', priceListName: 'DEFAULT' },
    ]);
    const fired = record.events[2];
    const next = nextPhaseEventAfter(spyCar, record, fired);
    expect(next && [next.type, next.phaseName]).toEqual(['PHASE', 'discount-super-monthly-evergreen']);
  });
});

describe('add-on cascade (E6)', () => {
  const base = () => subscription('base', planCreation({ catalog: spyCar, spec: { planName: 'sports-monthly' }, billingDate: at('2013-08-01') }).events);
  const addOn = () =>
    subscription('addon', planCreation({ catalog: spyCar, spec: { planName: 'oilslick-monthly' }, billingDate: at('2013-08-16'), bundleStartDate: at('2013-08-01') }).events, {
      category: 'ADD_ON',
      bundleStart: at('2013-08-01'),
    });
  const cancelMarker = (blockedId: string, date: string): BlockingStateRecord => ({
    id: `${blockedId}-cancel`,
    recordId: ++ids,
    blockedId,
    type: 'SUBSCRIPTION',
    stateName: 'ENT_CANCELLED',
    service: 'entitlement-service',
    blockChange: true,
    blockEntitlement: true,
    blockBilling: false,
    effectiveDate: at(date),
  });

  it('a base CANCEL and ENT_CANCELLED give the add-on the same dates; nothing once it ends on its own', () => {
    const b = base();
    const cancelled = { ...b, events: [...b.events.filter((e) => e.type === 'CREATE'), { ...b.events[0], id: 'cancel', recordId: ++ids, type: 'CANCEL' as const, effectiveDate: at('2013-08-31') }] };
    const cascades = addOnCascades({ catalog: spyCar, subscriptions: [cancelled, addOn()], blockingStates: [cancelMarker('base', '2013-08-21')] });
    expect(cascades.map((c) => [c.addOnId, day(c.billingCancelDate!), day(c.entitlementCancelDate!)])).toEqual([['addon', '2013-08-31', '2013-08-21']]);
    const view = withAddOnCascade({ catalog: spyCar, subscriptions: [cancelled, addOn()], blockingStates: [cancelMarker('base', '2013-08-21')] });
    // its PHASE of 09-01 (bundle start + the discount month) comes after the cancel: dropped
    expect(view.subscriptions[1].events.map((e) => [e.type, day(e.effectiveDate)])).toEqual([
      ['CREATE', '2013-08-16'],
      ['CANCEL', '2013-08-31'],
    ]);
    expect(view.blockingStates.filter((s) => s.blockedId === 'addon').map((s) => [s.stateName, day(s.effectiveDate)])).toEqual([['ENT_CANCELLED', '2013-08-21']]);
    const ownEarlier = addOnCascades({ catalog: spyCar, subscriptions: [cancelled, addOn()], blockingStates: [cancelMarker('base', '2013-08-21'), cancelMarker('addon', '2013-08-20')] });
    expect(ownEarlier.map((c) => [c.addOnId, c.billingCancelDate && day(c.billingCancelDate), c.entitlementCancelDate])).toEqual([['addon', '2013-08-31', undefined]]);
  });

  it('a base change to Super (which includes OilSlick) ends the add-on at the change date; to Standard (offers none) too; nothing without change', () => {
    const b = base();
    const changed = (plan: string) => ({
      ...b,
      events: [...b.events, { ...b.events[0], id: `change-${plan}`, recordId: ++ids, type: 'CHANGE' as const, effectiveDate: at('2013-09-30'), planName: plan, phaseName: `${plan}-evergreen` }],
    });
    for (const plan of ['super-monthly', 'standard-monthly']) {
      const [cascade] = addOnCascades({ catalog: spyCar, subscriptions: [changed(plan), addOn()], blockingStates: [] });
      expect([day(cascade.billingCancelDate!), day(cascade.entitlementCancelDate!)]).toEqual(['2013-09-30', '2013-09-30']);
    }
    expect(addOnCascades({ catalog: spyCar, subscriptions: [b, addOn()], blockingStates: [] })).toEqual([]);
  });
});
