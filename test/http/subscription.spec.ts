import * as fs from 'fs';
import * as path from 'path';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const SUBSCRIPTIONS = '/1.0/kb/subscriptions';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : iso);

describe('Subscription resource', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2013-08-01T06:00:00.000Z' }).set(tenant.headers).expect(200);
    accountId = await createAccount(t, tenant, { name: 'Sub', currency: 'USD' });
  });
  afterAll(() => t.close());

  function create(body: Record<string, unknown>, query: Record<string, string> = {}, headers = tenant.headers) {
    return t.http.post(SUBSCRIPTIONS).query(query).set(headers).send({ accountId, ...body });
  }
  const get = async (id: string, headers = tenant.headers) => (await t.http.get(`${SUBSCRIPTIONS}/${id}`).set(headers).expect(200)).body;
  const events = (sub: { events: { eventType: string; effectiveDate: string; phase: string }[] }) => sub.events.map((e) => [e.eventType, day(e.effectiveDate), e.phase]);

  describe('createSubscription', () => {
    it('E1: sports-monthly starts in trial, ACTIVE, with START_ENTITLEMENT, START_BILLING and the PHASE 30 days later; the clock moves it to evergreen', async () => {
      const response = await create({ planName: 'sports-monthly', externalKey: 'e1-sub', bundleExternalKey: 'e1-bundle' });
      expect(response.status).toBe(201);
      expect(response.text).toBe('');
      expect(String(response.headers.location)).toMatch(/\/1\.0\/kb\/subscriptions\/[0-9a-f-]{36}$/);
      const id = idOf(response.headers.location);
      // The trial's $0 invoice is written by the invoicing run the creation triggers: its CTD is the trial end.
      await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
      const sub = await get(id);
      expect(Object.keys(sub)).toEqual([
        'accountId',
        'bundleId',
        'bundleExternalKey',
        'subscriptionId',
        'externalKey',
        'startDate',
        'productName',
        'productCategory',
        'billingPeriod',
        'phaseType',
        'priceList',
        'planName',
        'state',
        'sourceType',
        'cancelledDate',
        'chargedThroughDate',
        'billingStartDate',
        'billingEndDate',
        'billCycleDayLocal',
        'quantity',
        'events',
        'priceOverrides',
        'prices',
        'auditLogs',
      ]);
      expect(sub).toMatchObject({
        accountId,
        subscriptionId: id,
        externalKey: 'e1-sub',
        bundleExternalKey: 'e1-bundle',

        productName: 'Sports',
        productCategory: 'BASE',
        billingPeriod: 'MONTHLY',
        phaseType: 'TRIAL',
        priceList: 'DEFAULT',
        planName: 'sports-monthly',
        state: 'ACTIVE',
        sourceType: 'NATIVE',
        cancelledDate: null,
        chargedThroughDate: '2013-08-31',
        billingEndDate: null,
        quantity: 1,
        priceOverrides: null,
      });
      expect(events(sub)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01', 'sports-monthly-trial'],
        ['START_BILLING', '2013-08-01', 'sports-monthly-trial'],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
      ]);
      expect([day(sub.startDate), day(sub.billingStartDate)]).toEqual(['2013-08-01', '2013-08-01']);
      expect(sub.events[0]).toMatchObject({ serviceName: 'entitlement-service', serviceStateName: 'ENT_STARTED', plan: 'sports-monthly', product: 'Sports', priceList: 'DEFAULT', billingPeriod: 'MONTHLY', isBlockedBilling: false, isBlockedEntitlement: false });
      expect(sub.prices).toEqual([
        { planName: 'sports-monthly', phaseName: 'sports-monthly-trial', phaseType: 'TRIAL', fixedPrice: 0, recurringPrice: null, usagePrices: [] },
        { planName: 'sports-monthly', phaseName: 'sports-monthly-evergreen', phaseType: 'EVERGREEN', fixedPrice: null, recurringPrice: 500, usagePrices: [] },
      ]);

      // The PHASE notification fires when the clock passes it: evergreen, and SUBSCRIPTION_TRANSITION events were posted.
      await t.http.put('/1.0/kb/test/clock').query({ days: 31 }).set(tenant.headers).expect(200);
      const later = await get(id);
      expect([later.phaseType, later.state]).toEqual(['EVERGREEN', 'ACTIVE']);
      const transitions = await t.query<{ event_json: string }>(
        `SELECT event_json FROM bus_events_history WHERE class_name = 'SUBSCRIPTION_TRANSITION' UNION ALL SELECT event_json FROM bus_events WHERE class_name = 'SUBSCRIPTION_TRANSITION'`,
      );
      const mine = transitions.map((r) => JSON.parse(r.event_json)).filter((p) => p.subscriptionId === id);
      expect(mine.map((p) => [p.transitionType, day(p.effectiveDate), p.phaseName])).toEqual([
        ['CREATE', '2013-08-01', 'sports-monthly-trial'],
        ['PHASE', '2013-08-31', 'sports-monthly-evergreen'],
      ]);
      await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2013-08-01T06:00:00.000Z' }).set(tenant.headers).expect(200);
    });

    it('E2: phaseType=EVERGREEN skips the trial; no further event', async () => {
      const id = idOf((await create({ planName: 'sports-monthly', phaseType: 'EVERGREEN' }, { callCompletion: 'true', callTimeoutSec: '5' }).expect(201)).headers.location);
      const sub = await get(id);
      expect(sub.phaseType).toBe('EVERGREEN');
      expect(events(sub)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01', 'sports-monthly-evergreen'],
        ['START_BILLING', '2013-08-01', 'sports-monthly-evergreen'],
      ]);
      expect(sub.externalKey).toBe(id);
    });

    it('resolves a plan by product, billing period and price list; entitlementDate alone does not move billing', async () => {
      const id = idOf((await create({ productName: 'Standard', productCategory: 'BASE', billingPeriod: 'MONTHLY', priceList: 'DEFAULT' }, { entitlementDate: '2013-08-05' }).expect(201)).headers.location);
      const sub = await get(id);
      expect(sub.planName).toBe('standard-monthly');
      expect(sub.state).toBe('PENDING');
      expect(day(sub.startDate)).toBe('2013-08-05');
      expect(day(sub.billingStartDate)).toBe('2013-08-01');
    });

    it('stores a billCycleDayLocal and a quantity given at creation', async () => {
      const id = idOf((await create({ planName: 'sports-monthly', billCycleDayLocal: 14, quantity: 2 }).expect(201)).headers.location);
      expect(await get(id)).toMatchObject({ billCycleDayLocal: 14, quantity: 2 });
    });

    it('refuses bad specs with Kill Bill’s messages', async () => {
      const cases: [Record<string, unknown>, number, string, number | null][] = [
        [{ planName: 'sports-monthly', productName: 'Sports' }, 400, 'SubscriptionJson productName should not be set when planName is specified', null],
        [{ productName: 'Sports', billingPeriod: 'MONTHLY', priceList: 'DEFAULT' }, 400, 'SubscriptionJson productCategory needs to be set when no planName is specified', null],
        [{ planName: 'nope' }, 400, "Could not find any plans named 'nope'", 2021],
        [{ planName: 'sports-monthly', phaseType: 'DISCOUNT' }, 400, "Can't create plan initial phase DISCOUNT", 1011],
        [{ planName: 'oilslick-monthly' }, 400, 'Missing Base Subscription for bundle null', 1013],
      ];
      for (const [body, status, message, code] of cases) {
        const response = await create(body).expect(status);
        expect([response.body.message, response.body.code]).toEqual([message, code]);
      }
      const unknownAccount = await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ accountId: '00000000-0000-0000-0000-000000000001', planName: 'sports-monthly' }).expect(404);
      expect(unknownAccount.body.code).toBe(3002);
      await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ planName: 'sports-monthly' }).expect(404);
    });

    it('creates nothing twice for a retried key: 1014 and no second row', async () => {
      await create({ planName: 'sports-monthly', externalKey: 'retry-key' }).expect(201);
      const again = await create({ planName: 'sports-monthly', externalKey: 'retry-key' }).expect(400);
      expect(again.body.code).toBe(1014);
      const rows = await t.query<{ n: string }>(`SELECT count(*) AS n FROM subscriptions WHERE external_key = 'retry-key'`);
      expect(rows[0].n).toBe('1');
      const bundleAgain = await create({ planName: 'sports-monthly', bundleExternalKey: 'e1-bundle' }).expect(400);
      expect([bundleAgain.body.code, bundleAgain.body.message]).toEqual([1014, 'Active bundle with external key e1-bundle already exists']);
    });

    it('writes history and audit rows for the subscription, its events and its ENT_STARTED state', async () => {
      const id = idOf((await create({ planName: 'sports-monthly' }).expect(201)).headers.location);
      const sub = (await t.http.get(`${SUBSCRIPTIONS}/${id}`).query({ audit: 'FULL' }).set(tenant.headers).expect(200)).body;
      expect(sub.auditLogs.map((l: { changeType: string; objectType: string }) => [l.changeType, l.objectType])).toEqual([['INSERT', 'SUBSCRIPTION']]);
      expect(sub.events.map((e: { auditLogs: unknown[] }) => e.auditLogs.length)).toEqual([1, 1, 1]);
      const history = await t.query<{ n: string }>(`SELECT count(*) AS n FROM subscription_events_history h JOIN subscription_events e ON e.record_id = h.target_record_id WHERE e.subscription_id = $1`, [id]);
      expect(history[0].n).toBe('2');
      const state = await t.query<{ type: string; state: string }>(`SELECT type, state FROM blocking_states WHERE blockable_id = $1`, [id]);
      expect(state).toEqual([{ type: 'SUBSCRIPTION', state: 'ENT_STARTED' }]);
    });

    it('expires a FIXEDTERM plan when the clock passes its end (EXPIRED state)', async () => {
      const fixedTenant = await t.createTenant();
      const xml = fs.readFileSync(path.resolve(__dirname, '../fixtures/catalogs/catalogTest.xml'), 'utf8');
      await t.http.post('/1.0/kb/catalog/xml').set({ ...fixedTenant.headers, 'Content-Type': 'text/xml' }).send(xml).expect(201);
      await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2012-05-01T00:00:00.000Z' }).set(fixedTenant.headers).expect(200);
      const owner = await createAccount(t, fixedTenant, { name: 'Fixed', currency: 'USD' });
      const response = await t.http.post(SUBSCRIPTIONS).set(fixedTenant.headers).send({ accountId: owner, planName: 'pistol-monthly-fixedterm' }).expect(201);
      const id = idOf(response.headers.location);
      const read = async () => (await t.http.get(`${SUBSCRIPTIONS}/${id}`).set(fixedTenant.headers).expect(200)).body;
      expect((await read()).state).toBe('ACTIVE');
      await t.http.put('/1.0/kb/test/clock').query({ months: 1 }).set(fixedTenant.headers).expect(200);
      await t.http.put('/1.0/kb/test/clock').query({ days: 1 }).set(fixedTenant.headers).expect(200);
      const expired = await read();
      expect(expired.state).toBe('EXPIRED');
      expect(day(expired.billingEndDate)).toBe('2012-06-01');
      expect(events(expired).map((e) => e[0])).toEqual(['START_ENTITLEMENT', 'START_BILLING', 'STOP_BILLING']);
      await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2013-08-01T06:00:00.000Z' }).set(tenant.headers).expect(200);
    });
  });

  describe('createSubscriptionWithAddOns and createSubscriptionsWithAddOns', () => {
    it('creates a base and a START_OF_BUNDLE add-on in one bundle; Location is the bundle', async () => {
      const response = await t.http
        .post(`${SUBSCRIPTIONS}/createSubscriptionWithAddOns`)
        .set(tenant.headers)
        .send([
          { accountId, planName: 'sports-monthly', bundleExternalKey: 'with-addons' },
          { accountId, planName: 'oilslick-monthly' },
        ])
        .expect(201);
      expect(String(response.headers.location)).toMatch(/\/1\.0\/kb\/bundles\/[0-9a-f-]{36}$/);
      const bundle = (await t.http.get(String(response.headers.location).replace(/^https?:\/\/[^/]+/, '')).set(tenant.headers).expect(200)).body;
      expect(bundle.externalKey).toBe('with-addons');
      expect(bundle.subscriptions.map((s: { planName: string; productCategory: string }) => [s.planName, s.productCategory])).toEqual([
        ['sports-monthly', 'BASE'],
        ['oilslick-monthly', 'ADD_ON'],
      ]);
      // E6: the add-on's discount month is aligned on the bundle start.
      expect(events(bundle.subscriptions[1])).toEqual([
        ['START_ENTITLEMENT', '2013-08-01', 'oilslick-monthly-discount'],
        ['START_BILLING', '2013-08-01', 'oilslick-monthly-discount'],
        ['PHASE', '2013-09-01', 'oilslick-monthly-evergreen'],
      ]);
      expect(bundle.timeline.events).toHaveLength(6);

      // A later add-on to the same bundle, by key; a second base in it is refused.
      const addOn = await create({ planName: 'oilslick-monthly', bundleExternalKey: 'with-addons' }).expect(201);
      expect((await get(idOf(addOn.headers.location))).bundleId).toBe(bundle.bundleId);
      const second = await create({ planName: 'sports-monthly', bundleId: bundle.bundleId }).expect(400);
      expect(second.body.code).toBe(1015);
      const notAvailable = await t.http
        .post(`${SUBSCRIPTIONS}/createSubscriptionWithAddOns`)
        .set(tenant.headers)
        .send([{ accountId, planName: 'standard-monthly' }, { accountId, planName: 'oilslick-monthly' }])
        .expect(400);
      expect(notAvailable.body.code).toBe(1019);
      const twoBases = await t.http.post(`${SUBSCRIPTIONS}/createSubscriptionWithAddOns`).set(tenant.headers).send([{ accountId, planName: 'sports-monthly' }, { accountId, planName: 'standard-monthly' }]).expect(400);
      expect(twoBases.body.code).toBe(1020);
      const empty = await t.http.post(`${SUBSCRIPTIONS}/createSubscriptionWithAddOns`).set(tenant.headers).send([]).expect(400);
      expect(empty.body.message).toBe('SubscriptionJson body should be specified');
      const twoAccounts = await t.http
        .post(`${SUBSCRIPTIONS}/createSubscriptionWithAddOns`)
        .set(tenant.headers)
        .send([{ accountId, planName: 'sports-monthly' }, { accountId: '00000000-0000-0000-0000-000000000001', planName: 'oilslick-monthly' }])
        .expect(400);
      expect(twoAccounts.body.message).toBe('SubscriptionJson accountId should be the same for each element');
    });

    it('creates several bundles at once; Location lists them on the account', async () => {
      const response = await t.http
        .post(`${SUBSCRIPTIONS}/createSubscriptionsWithAddOns`)
        .set(tenant.headers)
        .send([
          { baseEntitlementAndAddOns: [{ accountId, planName: 'sports-monthly' }, { accountId, planName: 'oilslick-monthly' }] },
          { baseEntitlementAndAddOns: [{ accountId, planName: 'standard-monthly' }] },
        ])
        .expect(201);
      const location = String(response.headers.location).replace(/^https?:\/\/[^/]+/, '');
      expect(location).toMatch(new RegExp(`^/1\\.0/kb/accounts/${accountId}/bundles\\?bundlesFilter=[0-9a-f-]{36}%2C[0-9a-f-]{36}$`));
      const bundles = (await t.http.get(location).set(tenant.headers).expect(200)).body;
      expect(bundles.map((b: { subscriptions: unknown[] }) => b.subscriptions.length)).toEqual([2, 1]);
    });
  });

  describe('reads', () => {
    it('getSubscription: 404 for an unknown id and in another tenant; getSubscriptionByKey finds it, 404/1083 otherwise', async () => {
      const id = idOf((await create({ planName: 'sports-monthly', externalKey: 'by-key' }).expect(201)).headers.location);
      const missing = await t.http.get(`${SUBSCRIPTIONS}/00000000-0000-0000-0000-000000000002`).set(tenant.headers).expect(404);
      expect(missing.body.message).toBe("Object id=00000000-0000-0000-0000-000000000002 type=SUBSCRIPTION doesn't exist!");
      await t.http.get(`${SUBSCRIPTIONS}/${id}`).set(other.headers).expect(404);
      expect((await t.http.get(SUBSCRIPTIONS).query({ externalKey: 'by-key' }).set(tenant.headers).expect(200)).body.subscriptionId).toBe(id);
      const byKey = await t.http.get(SUBSCRIPTIONS).query({ externalKey: 'by-key' }).set(other.headers).expect(404);
      expect(byKey.body.code).toBe(1083);
      await t.http.get(`${SUBSCRIPTIONS}/not-a-uuid`).set(tenant.headers).expect(400);
    });
  });
});
