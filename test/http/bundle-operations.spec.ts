import { SubscriptionService } from '@kb/entitlement';
import { newRequestContext, runWithContext, Transactions } from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const BUNDLES = '/1.0/kb/bundles';
const SUBSCRIPTIONS = '/1.0/kb/subscriptions';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';
/** The Location's path and query (tests run with full URLs in Location). */
const pathOf = (location: unknown) => String(location).replace(/^https?:\/\/[^/]+/, '');
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : iso);
type Sub = { subscriptionId: string; productCategory: string; events: { eventType: string; effectiveDate: string; phase: string }[]; [k: string]: unknown };
const events = (sub: Sub) => sub.events.map((e) => [e.eventType, day(e.effectiveDate)]);

describe('Bundle operations: pause, resume, block, renameKey, transfer', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  const setClock = (iso: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate: iso }).set(tenant.headers).expect(200);
  const addDays = (days: number) => t.http.put('/1.0/kb/test/clock').query({ days }).set(tenant.headers).expect(200);
  const getSub = async (id: string): Promise<Sub> => (await t.http.get(`${SUBSCRIPTIONS}/${id}`).set(tenant.headers).expect(200)).body;
  const getBundle = async (id: string) => (await t.http.get(`${BUNDLES}/${id}`).set(tenant.headers).expect(200)).body;

  /** A fresh account (created on the clock's day, so its reference time is the clock's time) with a base subscription. */
  async function accountWithBase(key: string, plan = 'sports-monthly') {
    const accountId = await createAccount(t, tenant, { name: key, currency: 'USD' });
    const created = await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ accountId, planName: plan, bundleExternalKey: key }).expect(201);
    const subscriptionId = idOf(created.headers.location);
    const { bundleId } = await getSub(subscriptionId);
    return { accountId, subscriptionId, bundleId: bundleId as string };
  }

  async function busEvents(type: string, blockableId: string): Promise<{ stateName: string; effectiveDate: string }[]> {
    const rows = await t.query<{ event_json: string }>(
      `SELECT event_json FROM bus_events_history WHERE class_name = $1 UNION ALL SELECT event_json FROM bus_events WHERE class_name = $1`,
      [type],
    );
    return rows.map((r) => JSON.parse(r.event_json)).filter((p) => p.blockableId === blockableId);
  }

  async function setChargedThroughDate(subscriptionId: string, date: Date) {
    const service = t.app.get(SubscriptionService, { strict: false });
    const transactions = t.app.get(Transactions);
    const [row] = await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]);
    await runWithContext({ ...newRequestContext(), tenant: { recordId: Number(row.record_id) } }, () => transactions.run(() => service.setChargedThroughDate(subscriptionId, date)));
  }

  describe('pauseBundle / resumeBundle', () => {
    it('E7: pause on 09-05 and resume on 09-10 add the paired events; the subscription is BLOCKED while paused; BLOCKING_STATE is posted', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId, bundleId } = await accountWithBase('e7');
      await addDays(35);
      const paused = await t.http.put(`${BUNDLES}/${bundleId}/pause`).set(tenant.headers).expect(204);
      expect(paused.text).toBe('');
      expect((await getSub(subscriptionId)).state).toBe('BLOCKED');
      await addDays(5);
      await t.http.put(`${BUNDLES}/${bundleId}/resume`).set(tenant.headers).expect(204);
      const sub = await getSub(subscriptionId);
      expect(sub.state).toBe('ACTIVE');
      expect(events(sub)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01'],
        ['START_BILLING', '2013-08-01'],
        ['PHASE', '2013-08-31'],
        ['PAUSE_ENTITLEMENT', '2013-09-05'],
        ['PAUSE_BILLING', '2013-09-05'],
        ['RESUME_ENTITLEMENT', '2013-09-10'],
        ['RESUME_BILLING', '2013-09-10'],
      ]);
      const pause = sub.events[3] as unknown as Record<string, unknown>;
      expect(pause).toMatchObject({ serviceName: 'entitlement-service', serviceStateName: 'ENT_BLOCKED', isBlockedEntitlement: true, isBlockedBilling: true });
      expect(sub.events[4]).toMatchObject({ serviceName: 'billing-service' });
      expect((await busEvents('BLOCKING_STATE', bundleId)).map((e) => [e.stateName, day(e.effectiveDate)])).toEqual([
        ['ENT_BLOCKED', '2013-09-05'],
        ['ENT_CLEAR', '2013-09-10'],
      ]);
      const history = await t.query<{ change_type: string }>(
        `SELECT h.change_type FROM blocking_states_history h JOIN blocking_states b ON b.record_id = h.target_record_id WHERE b.blockable_id = $1`,
        [bundleId],
      );
      expect(history.map((h) => h.change_type)).toEqual(['INSERT', 'INSERT']);
    });

    it('a future pause is shown at read time, takes effect at its date, and its BLOCKING_STATE is posted only then', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId, bundleId } = await accountWithBase('future-pause');
      await t.http.put(`${BUNDLES}/${bundleId}/pause`).query({ requestedDate: '2013-08-10' }).set(tenant.headers).expect(204);
      const before = await getSub(subscriptionId);
      expect(before.state).toBe('ACTIVE');
      expect(events(before)).toContainEqual(['PAUSE_ENTITLEMENT', '2013-08-10']);
      expect(await busEvents('BLOCKING_STATE', bundleId)).toEqual([]);
      const [scheduled] = await t.query<{ effective_date: Date }>(`SELECT effective_date FROM notifications WHERE queue_name = 'entitlement-blocking-states'`);
      expect(scheduled.effective_date.toISOString()).toMatch(/^2013-08-10T06:00:00/);
      await addDays(10);
      expect((await getSub(subscriptionId)).state).toBe('BLOCKED');
      expect((await busEvents('BLOCKING_STATE', bundleId)).map((e) => e.stateName)).toEqual(['ENT_BLOCKED']);
    });

    it('unknown bundle or another tenant’s: 404; a bundle without base: 400/1085; a bad date: 400', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { bundleId, accountId } = await accountWithBase('pause-errors');
      const missing = await t.http.put(`${BUNDLES}/00000000-0000-0000-0000-000000000009/pause`).set(tenant.headers).expect(404);
      expect(missing.body.message).toBe("Object id=00000000-0000-0000-0000-000000000009 type=BUNDLE doesn't exist!");
      await t.http.put(`${BUNDLES}/${bundleId}/resume`).set(other.headers).expect(404);
      await t.http.put(`${BUNDLES}/${bundleId}/pause`).query({ requestedDate: 'tomorrow' }).set(tenant.headers).expect(400);
      // A bundle with no subscription at all (as Kill Bill keeps an emptied one).
      const [owner] = await t.query<{ record_id: string; tenant_record_id: string }>('SELECT record_id, tenant_record_id FROM accounts WHERE id = $1', [accountId]);
      const empty = '11111111-1111-4111-8111-111111111111';
      await t.query(
        `INSERT INTO bundles (id, created_date, created_by, updated_date, updated_by, account_record_id, tenant_record_id, external_key, account_id, original_created_date)
         VALUES ($1, now(), 'test', now(), 'test', $2, $3, 'empty-bundle', $4, now())`,
        [empty, owner.record_id, owner.tenant_record_id, accountId],
      );
      const noBase = await t.http.put(`${BUNDLES}/${empty}/pause`).set(tenant.headers).expect(400);
      expect(noBase.body.code).toBe(1085);
      expect(await t.query('SELECT 1 FROM blocking_states WHERE blockable_id = $1', [empty])).toEqual([]);
    });
  });

  describe('addBundleBlockingState', () => {
    it('201 with the Location of the account’s bundle states; the query date is used, the body’s ignored; a blocking state blocks the subscriptions', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { accountId, bundleId, subscriptionId } = await accountWithBase('block-bundle');
      const response = await t.http
        .post(`${BUNDLES}/${bundleId}/block`)
        .set(tenant.headers)
        .send({ stateName: 'STATE1', service: 'ServiceStateService', isBlockChange: false, isBlockEntitlement: true, isBlockBilling: false, effectiveDate: '2020-07-18T18:22:30.376Z', blockedId: accountId, type: 'ACCOUNT' })
        .expect(201);
      expect(response.text).toBe('');
      expect(pathOf(response.headers.location)).toBe(`/1.0/kb/accounts/${accountId}/block?blockingStateTypes=SUBSCRIPTION_BUNDLE`);
      const states = (await t.http.get(pathOf(response.headers.location)).set(tenant.headers).expect(200)).body;
      expect(states).toHaveLength(1);
      expect(states[0]).toMatchObject({ blockedId: bundleId, type: 'SUBSCRIPTION_BUNDLE', stateName: 'STATE1', service: 'ServiceStateService', isBlockEntitlement: true, isBlockBilling: false });
      expect(day(states[0].effectiveDate)).toBe('2013-08-01');
      expect((await getSub(subscriptionId)).state).toBe('BLOCKED');
    });

    it('reserved service or state names, or none: 400/1107 and nothing written; unknown bundle 404', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { bundleId } = await accountWithBase('block-reserved');
      for (const body of [
        { stateName: 'STATE1', service: 'entitlement-service' },
        { stateName: 'STATE1' },
        { stateName: 'ENT_BLOCKED', service: 'mine' },
        { stateName: 'ENT_CANCELLED', service: 'mine' },
        { stateName: 'ENT_CLEAR', service: 'mine' },
        { service: 'mine' },
      ]) {
        const refused = await t.http.post(`${BUNDLES}/${bundleId}/block`).set(tenant.headers).send(body).expect(400);
        expect(refused.body.code).toBe(1107);
      }
      expect(await t.query('SELECT 1 FROM blocking_states WHERE blockable_id = $1', [bundleId])).toEqual([]);
      await t.http.post(`${BUNDLES}/00000000-0000-0000-0000-000000000009/block`).set(tenant.headers).send({ stateName: 'S', service: 'x' }).expect(404);
      await t.http.post(`${BUNDLES}/${bundleId}/block`).set(other.headers).send({ stateName: 'S', service: 'x' }).expect(404);
    });
  });

  describe('renameExternalKey', () => {
    it('204 and the bundle shows the new key; missing key 400; a key in use 400/1014; unknown 404; other tenant 404', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { bundleId } = await accountWithBase('rename-me');
      const { bundleId: otherBundle } = await accountWithBase('taken-key');
      await t.http.put(`${BUNDLES}/${bundleId}/renameKey`).set(tenant.headers).send({ bundleId, externalKey: 'renamed' }).expect(204);
      expect((await getBundle(bundleId)).externalKey).toBe('renamed');
      const missing = await t.http.put(`${BUNDLES}/${bundleId}/renameKey`).set(tenant.headers).send({}).expect(400);
      expect(missing.body.message).toBe('BundleJson externalKey needs to be set');
      const taken = await t.http.put(`${BUNDLES}/${otherBundle}/renameKey`).set(tenant.headers).send({ externalKey: 'renamed' }).expect(400);
      expect(taken.body.code).toBe(1014);
      expect((await getBundle(otherBundle)).externalKey).toBe('taken-key');
      await t.http.put(`${BUNDLES}/00000000-0000-0000-0000-000000000009/renameKey`).set(tenant.headers).send({ externalKey: 'x' }).expect(404);
      await t.http.put(`${BUNDLES}/${bundleId}/renameKey`).set(other.headers).send({ externalKey: 'x' }).expect(404);
      const history = await t.query<{ change_type: string; external_key: string }>(
        `SELECT h.change_type, h.external_key FROM bundles_history h JOIN bundles b ON b.record_id = h.target_record_id WHERE b.id = $1 ORDER BY h.record_id`,
        [bundleId],
      );
      expect(history[history.length - 1]).toEqual({ change_type: 'UPDATE', external_key: 'renamed' });
    });
  });

  describe('transferBundle', () => {
    it('E8 default policy after the first paid period: source ends entitlement now and billing at the CTD; the destination bundle keeps the key', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId, bundleId } = await accountWithBase('e8-default');
      const destination = await createAccount(t, tenant, { name: 'dest', currency: 'USD' });
      await addDays(31);
      await setChargedThroughDate(subscriptionId, new Date('2013-09-30T06:00:00.000Z'));
      const response = await t.http.post(`${BUNDLES}/${bundleId}`).set(tenant.headers).send({ accountId: destination, bundleId }).expect(201);
      expect(response.text).toBe('');
      expect(pathOf(response.headers.location)).toMatch(/^\/1\.0\/kb\/bundles\/[0-9a-f-]{36}$/);
      const newBundleId = idOf(response.headers.location);

      const source = await getSub(subscriptionId);
      expect([day(source.cancelledDate as string), day(source.billingEndDate as string), source.state]).toEqual(['2013-09-01', '2013-09-30', 'CANCELLED']);
      expect(events(source)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01'],
        ['START_BILLING', '2013-08-01'],
        ['PHASE', '2013-08-31'],
        ['STOP_ENTITLEMENT', '2013-09-01'],
        ['STOP_BILLING', '2013-09-30'],
      ]);
      expect((await getBundle(bundleId)).externalKey).toBe('e8-default');
      const active = (await t.http.get(BUNDLES).query({ externalKey: 'e8-default' }).set(tenant.headers).expect(200)).body;
      expect(active.map((b: { bundleId: string; accountId: string }) => [b.bundleId, b.accountId])).toEqual([[newBundleId, destination]]);

      const moved = await getBundle(newBundleId);
      expect(moved).toMatchObject({ accountId: destination, externalKey: 'e8-default' });
      const [copy] = moved.subscriptions as Sub[];
      expect(copy).toMatchObject({ state: 'ACTIVE', sourceType: 'TRANSFERRED', planName: 'sports-monthly', phaseType: 'EVERGREEN', accountId: destination });
      expect([day(copy.startDate as string), day(copy.billingStartDate as string)]).toEqual(['2013-09-01', '2013-09-01']);
      expect(events(copy)).toEqual([
        ['START_ENTITLEMENT', '2013-09-01'],
        ['START_BILLING', '2013-09-01'],
      ]);
      const [first] = await t.query<{ event_type: string; phase_name: string }>(
        `SELECT event_type, phase_name FROM subscription_events WHERE subscription_id = $1 ORDER BY record_id`,
        [copy.subscriptionId],
      );
      expect(first).toEqual({ event_type: 'TRANSFER', phase_name: 'sports-monthly-evergreen' });
    });

    it('E8 IMMEDIATE during trial with an add-on: both end at the transfer; the copies keep their pending PHASE dates and the given keys', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { accountId, subscriptionId: baseId, bundleId } = await accountWithBase('e8-immediate');
      const destination = await createAccount(t, tenant, { name: 'dest2', currency: 'USD' });
      await addDays(1);
      const addOn = await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ accountId, bundleId, planName: 'oilslick-monthly' }).expect(201);
      const addOnId = idOf(addOn.headers.location);
      await addDays(3);
      const response = await t.http
        .post(`${BUNDLES}/${bundleId}`)
        .query({ billingPolicy: 'IMMEDIATE' })
        .set(tenant.headers)
        .send({ accountId: destination, subscriptions: [{ subscriptionId: baseId, externalKey: 'moved-base' }] })
        .expect(201);
      const newBundleId = idOf(response.headers.location);

      const base = await getSub(baseId);
      expect([day(base.cancelledDate as string), day(base.billingEndDate as string)]).toEqual(['2013-08-05', '2013-08-05']);
      expect(events(base)).toEqual([
        ['START_ENTITLEMENT', '2013-08-01'],
        ['START_BILLING', '2013-08-01'],
        ['STOP_ENTITLEMENT', '2013-08-05'],
        ['STOP_BILLING', '2013-08-05'],
      ]);
      const oldAddOn = await getSub(addOnId);
      expect([day(oldAddOn.cancelledDate as string), day(oldAddOn.billingEndDate as string)]).toEqual(['2013-08-05', '2013-08-05']);
      expect(events(oldAddOn)).toEqual([
        ['START_ENTITLEMENT', '2013-08-02'],
        ['START_BILLING', '2013-08-02'],
        ['STOP_ENTITLEMENT', '2013-08-05'],
        ['STOP_BILLING', '2013-08-05'],
      ]);

      const copies = (await getBundle(newBundleId)).subscriptions as Sub[];
      const newBase = copies.find((s) => s.productCategory === 'BASE')!;
      const newAddOn = copies.find((s) => s.productCategory === 'ADD_ON')!;
      expect(newBase.externalKey).toBe('moved-base');
      expect(newAddOn.externalKey).toBe(newAddOn.subscriptionId);
      expect(events(newBase)).toEqual([
        ['START_ENTITLEMENT', '2013-08-05'],
        ['START_BILLING', '2013-08-05'],
        ['PHASE', '2013-08-31'],
      ]);
      expect(events(newAddOn)).toEqual([
        ['START_ENTITLEMENT', '2013-08-05'],
        ['START_BILLING', '2013-08-05'],
        ['PHASE', '2013-09-01'],
      ]);
      // The copy's PHASE fires on the destination when the clock reaches it.
      await addDays(27);
      expect((await getSub(newBase.subscriptionId)).phaseType).toBe('EVERGREEN');
    });

    it('refuses, writing nothing: the same account (400/1014), no accountId (400), unknown bundle or account (404), START_OF_TERM (500), an already transferred bundle (400/1084), another tenant (404)', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { accountId, bundleId } = await accountWithBase('transfer-errors');
      const destination = await createAccount(t, tenant, { name: 'dest3', currency: 'USD' });
      const same = await t.http.post(`${BUNDLES}/${bundleId}`).set(tenant.headers).send({ accountId }).expect(400);
      expect(same.body.code).toBe(1014);
      const noAccount = await t.http.post(`${BUNDLES}/${bundleId}`).set(tenant.headers).send({}).expect(400);
      expect(noAccount.body.message).toBe('BundleJson accountId needs to be set');
      await t.http.post(`${BUNDLES}/00000000-0000-0000-0000-000000000009`).set(tenant.headers).send({ accountId: destination }).expect(404);
      const unknownAccount = await t.http.post(`${BUNDLES}/${bundleId}`).set(tenant.headers).send({ accountId: '22222222-2222-4222-8222-222222222222' }).expect(404);
      expect(unknownAccount.body.code).toBe(3002);
      await t.http.post(`${BUNDLES}/${bundleId}`).query({ billingPolicy: 'START_OF_TERM' }).set(tenant.headers).send({ accountId: destination }).expect(500);
      await t.http.post(`${BUNDLES}/${bundleId}`).query({ bcdTransfer: 'SOMETIMES' }).set(tenant.headers).send({ accountId: destination }).expect(400);
      await t.http.post(`${BUNDLES}/${bundleId}`).set(other.headers).send({ accountId: destination }).expect(404);
      const [{ count }] = await t.query<{ count: string }>(`SELECT count(*) FROM bundles WHERE account_id = $1`, [destination]);
      expect(count).toBe('0');
      expect((await getBundle(bundleId)).externalKey).toBe('transfer-errors');

      await t.http.post(`${BUNDLES}/${bundleId}`).set(tenant.headers).send({ accountId: destination }).expect(201);
      const again = await t.http.post(`${BUNDLES}/${bundleId}`).set(tenant.headers).send({ accountId: destination }).expect(400);
      expect(again.body.code).toBe(1084);
    });
  });
});
