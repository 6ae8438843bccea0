import { newRequestContext, runWithContext, Transactions } from '@kb/platform';
import { SubscriptionService } from '@kb/entitlement';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const SUBSCRIPTIONS = '/1.0/kb/subscriptions';
const START = '2013-08-01T06:00:00.000Z';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : iso);

type EventJson = { eventType: string; effectiveDate: string; phase: string | null; plan: string | null };
type SubscriptionJson = { events: EventJson[]; planName: string; state: string; cancelledDate: string | null; billingEndDate: string | null; phaseType: string };

/** Change plan, undo change, cancel and uncancel over HTTP, with the test clock and the CTD set as invoicing will. */
describe('Subscription change and cancel', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;
  let tenantRecordId: number;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    await setClock(START);
    accountId = await createAccount(t, tenant, { name: 'Change', currency: 'USD' });
    const [row] = await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]);
    tenantRecordId = Number(row.record_id);
  });
  afterAll(() => t.close());

  async function setClock(requestedDate: string) {
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate }).set(tenant.headers).expect(200);
  }
  const addDays = (days: number) => t.http.put('/1.0/kb/test/clock').query({ days }).set(tenant.headers).expect(200);

  async function createBase(planName = 'sports-monthly'): Promise<string> {
    const response = await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ accountId, planName }).expect(201);
    return idOf(response.headers.location);
  }
  async function createWithAddOn(addOnDate = '2013-08-16T06:00:00.000Z'): Promise<{ baseId: string; addOnId: string; bundleId: string }> {
    const baseId = await createBase();
    const base = await get(baseId);
    await setClock(addOnDate);
    const addOn = await t.http
      .post(SUBSCRIPTIONS)
      .set(tenant.headers)
      .send({ accountId, bundleId: (base as unknown as { bundleId: string }).bundleId, planName: 'oilslick-monthly' })
      .expect(201);
    return { baseId, addOnId: idOf(addOn.headers.location), bundleId: (base as unknown as { bundleId: string }).bundleId };
  }
  const get = async (id: string): Promise<SubscriptionJson> => (await t.http.get(`${SUBSCRIPTIONS}/${id}`).set(tenant.headers).expect(200)).body;
  const events = (sub: SubscriptionJson) => sub.events.map((e) => [e.eventType, day(e.effectiveDate), e.phase]);
  const stops = (sub: SubscriptionJson) => sub.events.filter((e) => e.eventType.startsWith('STOP')).map((e) => [e.eventType, day(e.effectiveDate)]);

  /** Invoicing's CTD write, through the service as the invoice module will call it. */
  async function setChargedThroughDate(subscriptionId: string, date: string) {
    const service = t.app.get(SubscriptionService, { strict: false });
    const transactions = t.app.get(Transactions);
    await runWithContext({ ...newRequestContext(), tenant: { recordId: tenantRecordId } }, () => transactions.run(() => service.setChargedThroughDate(subscriptionId, new Date(date))));
  }
  const change = (id: string, body: Record<string, unknown>, query: Record<string, string> = {}, headers = tenant.headers) =>
    t.http.put(`${SUBSCRIPTIONS}/${id}`).query(query).set(headers).send(body);
  const cancel = (id: string, query: Record<string, string> = {}, headers = tenant.headers) => t.http.delete(`${SUBSCRIPTIONS}/${id}`).query(query).set(headers);

  // Each test on an account of its own: invoicing runs for real and the clock goes back to START between tests.
  beforeEach(async () => {
    await setClock(START);
    accountId = await createAccount(t, tenant, { name: 'Change', currency: 'USD' });
  });

  describe('changeSubscriptionPlan', () => {
    it('E3 in trial: the catalog says IMMEDIATE; CHANGE now, the trial still ends 08-31 (START_OF_SUBSCRIPTION)', async () => {
      const id = await createBase();
      await addDays(1);
      const response = await change(id, { planName: 'super-monthly' });
      expect(response.status).toBe(204);
      const sub = await get(id);
      expect(sub).toMatchObject({ planName: 'super-monthly', phaseType: 'TRIAL', state: 'ACTIVE' });
      expect(events(sub)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01', 'sports-monthly-trial'],
        ['START_BILLING', '2013-08-01', 'sports-monthly-trial'],
        ['CHANGE', '2013-08-02', 'super-monthly-trial'],
        ['PHASE', '2013-08-31', 'super-monthly-evergreen'],
      ]);
      // The PHASE after the CHANGE fires, and the next one is computed from the changed plan (none: evergreen).
      await addDays(30);
      expect(await get(id)).toMatchObject({ planName: 'super-monthly', phaseType: 'EVERGREEN' });
      const active = await t.query<{ event_type: string }>('SELECT event_type FROM subscription_events WHERE subscription_id = $1 AND is_active ORDER BY record_id', [id]);
      expect(active.map((e) => e.event_type)).toEqual(['CREATE', 'CHANGE', 'PHASE']);
    });

    it('E3 after trial with billingPolicy=END_OF_TERM: the CHANGE waits for the CTD; the plan stays Sports until then', async () => {
      const id = await createBase();
      await addDays(31);
      await setChargedThroughDate(id, '2013-09-30T06:00:00.000Z');
      await change(id, { planName: 'super-monthly' }, { billingPolicy: 'END_OF_TERM' }).expect(204);
      const sub = await get(id);
      expect(sub.planName).toBe('sports-monthly');
      expect(events(sub).slice(2)).toEqual([
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
        ['CHANGE', '2013-09-30', 'super-monthly-evergreen'],
      ]);
      await addDays(30);
      expect(await get(id)).toMatchObject({ planName: 'super-monthly', phaseType: 'EVERGREEN' });
    });

    it('a change at the creation instant rewrites the CREATE; a product triple is accepted', async () => {
      const id = await createBase();
      const start = ((await get(id)) as unknown as { billingStartDate: string }).billingStartDate;
      await change(id, { productName: 'Super', billingPeriod: 'MONTHLY', priceList: 'DEFAULT' }, { requestedDate: start }).expect(204);
      const sub = await get(id);
      expect(events(sub)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01', 'super-monthly-trial'],
        ['START_BILLING', '2013-08-01', 'super-monthly-trial'],
        ['PHASE', '2013-08-31', 'super-monthly-evergreen'],
      ]);
    });

    it('a newer pending change replaces the pending one; undoChangePlan restores the original PHASE; 1071 without a pending change', async () => {
      const id = await createBase();
      await addDays(31);
      await setChargedThroughDate(id, '2013-09-30T06:00:00.000Z');
      await change(id, { planName: 'super-monthly' }, { billingPolicy: 'END_OF_TERM' }).expect(204);
      await change(id, { planName: 'standard-monthly' }, { billingPolicy: 'END_OF_TERM' }).expect(204);
      expect(events(await get(id)).slice(3)).toEqual([['CHANGE', '2013-09-30', 'standard-monthly-evergreen']]);
      await t.http.put(`${SUBSCRIPTIONS}/${id}/undoChangePlan`).set(tenant.headers).expect(204);
      expect(events(await get(id)).slice(2)).toEqual([['PHASE', '2013-08-31', 'sports-monthly-evergreen']]);
      const again = await t.http.put(`${SUBSCRIPTIONS}/${id}/undoChangePlan`).set(tenant.headers).expect(400);
      expect(again.body).toMatchObject({ code: 1071 });

      const trial = await createBase();
      await t.http.put(`${SUBSCRIPTIONS}/${trial}/undoChangePlan`).set(tenant.headers).expect(400);
    });

    it('undoChangePlan re-creates the trial-end PHASE a pending change removed', async () => {
      const id = await createBase();
      await change(id, { planName: 'super-monthly' }, { requestedDate: '2013-08-20' }).expect(204);
      expect(events(await get(id)).slice(2)).toEqual([
        ['CHANGE', '2013-08-20', 'super-monthly-trial'],
        ['PHASE', '2013-08-31', 'super-monthly-evergreen'],
      ]);
      await t.http.put(`${SUBSCRIPTIONS}/${id}/undoChangePlan`).set(tenant.headers).expect(204);
      expect(events(await get(id)).slice(2)).toEqual([['PHASE', '2013-08-31', 'sports-monthly-evergreen']]);
    });

    it('refuses: 400 2001 (ILLEGAL), 400 body checks, 500 1021 on a cancelled subscription, 400 1022 future cancelled, 400 1023 category, 404 other tenant', async () => {
      // sports-monthly evergreen -> sports-annual resolves END_OF_TERM, but the price list ILLEGAL cases are absent in this catalog: check the mutual exclusion and body
      const id = await createBase();
      const both = await change(id, { planName: 'super-monthly' }, { billingPolicy: 'IMMEDIATE', requestedDate: '2013-08-05' }).expect(400);
      expect(both.body.message).toBe('Only one of requestedDate or billingPolicy should be specified');
      expect((await change(id, { productName: 'Super' }).expect(400)).body.message).toBe('SubscriptionJson billingPeriod needs to be set');
      expect((await change(id, { planName: 'oilslick-monthly' }).expect(400)).body).toMatchObject({ code: 1023 });
      expect((await change(id, { planName: 'nope-monthly' }).expect(400)).body).toMatchObject({ code: 2021 });
      await change(id, { planName: 'super-monthly' }, {}, other.headers).expect(404);
      await change('00000000-0000-0000-0000-000000000009', { planName: 'super-monthly' }).expect(404);

      await addDays(31);
      await setChargedThroughDate(id, '2013-09-30T06:00:00.000Z');
      await cancel(id, { entitlementPolicy: 'END_OF_TERM', billingPolicy: 'END_OF_TERM' }).expect(204);
      const futureCancelled = await change(id, { planName: 'standard-monthly' }, { billingPolicy: 'IMMEDIATE' }).expect(400);
      expect(futureCancelled.body).toMatchObject({ code: 1022 });
      await cancel(await createBase(), {}).expect(204);

      const cancelled = await createBase();
      await cancel(cancelled, { requestedDate: '2013-09-01', useRequestedDateForBilling: 'true' }).expect(204);
      const refused = await change(cancelled, { planName: 'super-monthly' }).expect(500);
      expect(refused.body).toMatchObject({ code: 1021, className: 'org.killbill.billing.entitlement.api.EntitlementApiException' });
    });

    it('ILLEGAL change policy → 400 2001 with Kill Bill’s message', async () => {
      const upload = await t.createTenant();
      const xml = (await import('node:fs')).readFileSync(require.resolve('../fixtures/catalogs/SpyCarAdvanced.xml'), 'utf8').replace(
        '<changePolicyCase>\n                <phaseType>TRIAL</phaseType>',
        '<changePolicyCase>\n                <toProduct>Standard</toProduct>\n                <policy>ILLEGAL</policy>\n            </changePolicyCase>\n            <changePolicyCase>\n                <phaseType>TRIAL</phaseType>',
      );
      await t.http.post('/1.0/kb/catalog/xml').set({ ...upload.headers, 'Content-Type': 'text/xml' }).send(xml).expect(201);
      await t.http.post('/1.0/kb/test/clock').query({ requestedDate: START }).set(upload.headers).expect(200);
      const account = await createAccount(t, upload, { name: 'Illegal', currency: 'USD' });
      const sub = idOf((await t.http.post(SUBSCRIPTIONS).set(upload.headers).send({ accountId: account, planName: 'sports-monthly' }).expect(201)).headers.location);
      const refused = await t.http.put(`${SUBSCRIPTIONS}/${sub}`).set(upload.headers).send({ planName: 'standard-monthly' }).expect(400);
      expect(refused.body).toMatchObject({
        code: 2001,
        message:
          "Attempting to change plan from (product: 'Sports', billing period: 'MONTHLY', pricelist 'DEFAULT') to (product: 'Standard', billing period: 'MONTHLY', pricelist 'DEFAULT'). This transition is not allowed by catalog rules",
      });
    });

    it('a BASE change to Super cancels the OilSlick add-on it includes, at the change date', async () => {
      const { baseId, addOnId } = await createWithAddOn();
      await change(baseId, { planName: 'super-monthly' }).expect(204);
      const addOn = await get(addOnId);
      expect(addOn.state).toBe('CANCELLED');
      expect(stops(addOn)).toEqual([
        ['STOP_ENTITLEMENT', '2013-08-16'],
        ['STOP_BILLING', '2013-08-16'],
      ]);
    });

    it('two parallel changes to one date leave one consistent event stream: the later writer replaces the other', async () => {
      const id = await createBase();
      await addDays(31);
      await setChargedThroughDate(id, '2013-09-30T06:00:00.000Z');
      const results = await Promise.all([
        change(id, { planName: 'super-monthly' }, { billingPolicy: 'END_OF_TERM' }),
        change(id, { planName: 'standard-monthly' }, { billingPolicy: 'END_OF_TERM' }),
      ]);
      expect(results.map((r) => r.status)).toEqual([204, 204]);
      const active = await t.query<{ event_type: string; plan_name: string }>(
        'SELECT event_type, plan_name FROM subscription_events WHERE subscription_id = $1 AND is_active ORDER BY effective_date, record_id',
        [id],
      );
      expect(active.map((e) => e.event_type)).toEqual(['CREATE', 'PHASE', 'CHANGE']);
      const all = await t.query<{ n: string }>("SELECT count(*) AS n FROM subscription_events WHERE subscription_id = $1 AND event_type = 'CHANGE'", [id]);
      expect(Number(all[0].n)).toBe(2);
      expect(['super-monthly', 'standard-monthly']).toContain(active[2].plan_name);
    });
  });

  describe('cancelSubscriptionPlan (E5)', () => {
    const rows: [string, Record<string, string>, number, string | null, string, string][] = [
      ['default, day 0', {}, 0, null, '2013-08-01', '2013-08-31'],
      ['default, 2013-09-01', {}, 31, '2013-09-30', '2013-09-01', '2013-09-30'],
      ['entitlementPolicy=END_OF_TERM, 2013-09-01', { entitlementPolicy: 'END_OF_TERM' }, 31, '2013-09-30', '2013-09-30', '2013-09-30'],
      ['requestedDate=2013-09-15', { requestedDate: '2013-09-15' }, 31, '2013-09-30', '2013-09-15', '2013-09-30'],
      ['requestedDate=2013-09-15 + useRequestedDateForBilling', { requestedDate: '2013-09-15', useRequestedDateForBilling: 'true' }, 31, '2013-09-30', '2013-09-15', '2013-09-15'],
      ['requestedDate=2013-08-05 + billingPolicy=IMMEDIATE on 2013-08-11', { requestedDate: '2013-08-05', billingPolicy: 'IMMEDIATE' }, 10, null, '2013-08-05', '2013-08-11'],
      ['requestedDate=2013-08-05 + billingPolicy=END_OF_TERM on 2013-09-01', { requestedDate: '2013-08-05', billingPolicy: 'END_OF_TERM' }, 31, '2013-09-30', '2013-08-05', '2013-09-30'],
      ['both END_OF_TERM on 2013-09-01', { requestedDate: '2013-08-05', entitlementPolicy: 'END_OF_TERM', billingPolicy: 'END_OF_TERM' }, 31, '2013-09-30', '2013-09-30', '2013-09-30'],
    ];
    it.each(rows)('%s', async (_name, query, days, ctd, cancelledDate, billingEndDate) => {
      const id = await createBase();
      // day 0: the $0 trial invoice's CTD is the trial end
      await setChargedThroughDate(id, ctd ? `${ctd}T06:00:00.000Z` : '2013-08-31T06:00:00.000Z');
      if (days) await addDays(days);
      await cancel(id, query).expect(204);
      const sub = await get(id);
      expect([day(sub.cancelledDate), day(sub.billingEndDate)]).toEqual([cancelledDate, billingEndDate]);
      expect(stops(sub)).toEqual(
        [
          ['STOP_ENTITLEMENT', cancelledDate],
          ['STOP_BILLING', billingEndDate],
        ].sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0)),
      );
    });

    it('a future billing cancel takes effect when the clock reaches it; cancelling twice is 500 1031; a date before the start is 400 1001', async () => {
      const id = await createBase();
      await setChargedThroughDate(id, '2013-08-31T06:00:00.000Z');
      expect((await cancel(id, { requestedDate: '2013-07-01' }).expect(400)).body).toMatchObject({ code: 1001 });
      await cancel(id).expect(204);
      const twice = await cancel(id).expect(500);
      expect(twice.body).toMatchObject({ code: 1031 });
      const pending = await t.query<{ event_type: string }>("SELECT event_type FROM subscription_events WHERE subscription_id = $1 AND is_active AND event_type = 'CANCEL'", [id]);
      expect(pending).toHaveLength(1);
      await addDays(31);
      const sub = await get(id);
      expect(sub.state).toBe('CANCELLED');
      // the PHASE at the trial end gave way to the cancel at the same instant
      expect(events(sub).map((e) => e[0])).toEqual(['START_ENTITLEMENT', 'START_BILLING', 'STOP_ENTITLEMENT', 'STOP_BILLING']);
      await cancel(id, {}, other.headers).expect(404);
    });

    it('a pending cancel later than the new one is replaced; an earlier one refuses (PENDING CANCELLED)', async () => {
      const id = await createBase();
      await cancel(id, { requestedDate: '2013-08-20', useRequestedDateForBilling: 'true' }).expect(204);
      await cancel(id, { requestedDate: '2013-08-10', useRequestedDateForBilling: 'true' }).expect(204);
      expect(stops(await get(id))).toEqual([
        ['STOP_ENTITLEMENT', '2013-08-10'],
        ['STOP_BILLING', '2013-08-10'],
      ]);
      const later = await cancel(id, { requestedDate: '2013-08-15', useRequestedDateForBilling: 'true' }).expect(500);
      expect(later.body).toMatchObject({ code: 1031 });
      expect(later.body.message).toContain('PENDING CANCELLED');
    });
  });

  describe('add-ons follow their base (E6)', () => {
    it('an add-on is checked against the plan the base has now, not the one it started with', async () => {
      const baseId = await createBase();
      const { bundleId } = (await get(baseId)) as unknown as { bundleId: string };
      await change(baseId, { planName: 'super-monthly' }).expect(204); // in trial: IMMEDIATE
      await setClock('2013-08-02T06:00:00.000Z');
      // Super includes OilSlick (Sports only offers it): Kill Bill's SUB_CREATE_AO_ALREADY_INCLUDED
      const refused = await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ accountId, bundleId, planName: 'oilslick-monthly' }).expect(400);
      expect(refused.body.code).toBe(1018);
    });

    it('default base cancel on 08-21: the add-on gets the same STOP_ENTITLEMENT 08-21 and STOP_BILLING 08-31, stored when due', async () => {
      const { baseId, addOnId } = await createWithAddOn();
      await setChargedThroughDate(baseId, '2013-08-31T06:00:00.000Z');
      await setClock('2013-08-21T06:00:00.000Z');
      await cancel(baseId).expect(204);
      expect(stops(await get(baseId))).toEqual([
        ['STOP_ENTITLEMENT', '2013-08-21'],
        ['STOP_BILLING', '2013-08-31'],
      ]);
      expect(stops(await get(addOnId))).toEqual([
        ['STOP_ENTITLEMENT', '2013-08-21'],
        ['STOP_BILLING', '2013-08-31'],
      ]);
      const stored = () => t.query("SELECT 1 FROM subscription_events WHERE subscription_id = $1 AND is_active AND event_type = 'CANCEL'", [addOnId]);
      expect(await stored()).toHaveLength(0);
      await addDays(11);
      expect(await stored()).toHaveLength(1);
      expect(stops(await get(addOnId))).toEqual([
        ['STOP_ENTITLEMENT', '2013-08-21'],
        ['STOP_BILLING', '2013-08-31'],
      ]);
    });

    it('a future base cancel then uncancel: base and add-on both back, the base PHASE 08-31 restored', async () => {
      const { baseId, addOnId } = await createWithAddOn('2013-08-02T06:00:00.000Z');
      await cancel(baseId, { requestedDate: '2013-08-06', useRequestedDateForBilling: 'true' }).expect(204);
      // computed on the fly: nothing is stored for the add-on while the base's dates are ahead
      expect(stops(await get(addOnId))).toEqual([
        ['STOP_ENTITLEMENT', '2013-08-06'],
        ['STOP_BILLING', '2013-08-06'],
      ]);
      expect(await t.query("SELECT 1 FROM subscription_events WHERE subscription_id = $1 AND event_type = 'CANCEL'", [addOnId])).toHaveLength(0);
      const base = await get(baseId);
      expect(events(base).map((e) => e[0])).toEqual(['START_ENTITLEMENT', 'START_BILLING', 'STOP_ENTITLEMENT', 'STOP_BILLING']);
      await t.http.put(`${SUBSCRIPTIONS}/${baseId}/uncancel`).set(tenant.headers).expect(204);
      const back = await get(baseId);
      expect(back.state).toBe('ACTIVE');
      expect(events(back).slice(2)).toEqual([['PHASE', '2013-08-31', 'sports-monthly-evergreen']]);
      expect(stops(await get(addOnId))).toEqual([]);
      expect((await get(addOnId)).state).toBe('ACTIVE');
    });
  });

  describe('uncancelSubscriptionPlan', () => {
    it('8004 when nothing is cancelled, 1070 once billing ended, 404 for another tenant', async () => {
      const id = await createBase();
      expect((await t.http.put(`${SUBSCRIPTIONS}/${id}/uncancel`).set(tenant.headers).expect(400)).body).toMatchObject({ code: 8004 });
      await t.http.put(`${SUBSCRIPTIONS}/${id}/uncancel`).set(other.headers).expect(404);
      await cancel(id, { requestedDate: '2013-08-01', useRequestedDateForBilling: 'true' }).expect(204);
      expect((await t.http.put(`${SUBSCRIPTIONS}/${id}/uncancel`).set(tenant.headers).expect(400)).body).toMatchObject({ code: 1070 });
    });

    it('removes a future cancel: UNCANCEL marker stored, the next PHASE re-created, SUBSCRIPTION_UNCANCEL posted', async () => {
      const id = await createBase();
      await setChargedThroughDate(id, '2013-08-31T06:00:00.000Z');
      await cancel(id, { entitlementPolicy: 'END_OF_TERM' }).expect(204);
      await t.http.put(`${SUBSCRIPTIONS}/${id}/uncancel`).set(tenant.headers).expect(204);
      const sub = await get(id);
      expect(sub).toMatchObject({ state: 'ACTIVE', cancelledDate: null, billingEndDate: null });
      expect(events(sub).slice(2)).toEqual([['PHASE', '2013-08-31', 'sports-monthly-evergreen']]);
      const active = await t.query<{ event_type: string }>('SELECT event_type FROM subscription_events WHERE subscription_id = $1 AND is_active ORDER BY record_id', [id]);
      expect(active.map((e) => e.event_type)).toEqual(['CREATE', 'UNCANCEL', 'PHASE']);
      const posted = await t.query<{ class_name: string }>(
        `SELECT class_name FROM bus_events WHERE class_name IN ('SUBSCRIPTION_CANCEL', 'SUBSCRIPTION_UNCANCEL')
         UNION ALL SELECT class_name FROM bus_events_history WHERE class_name IN ('SUBSCRIPTION_CANCEL', 'SUBSCRIPTION_UNCANCEL')`,
      );
      expect(new Set(posted.map((p) => p.class_name))).toEqual(new Set(['SUBSCRIPTION_CANCEL', 'SUBSCRIPTION_UNCANCEL']));
    });
  });
});
