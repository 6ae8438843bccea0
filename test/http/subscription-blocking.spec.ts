import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const SUBSCRIPTIONS = '/1.0/kb/subscriptions';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';
const pathOf = (location: unknown) => String(location).replace(/^https?:\/\/[^/]+/, '');
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : iso);

describe('Subscription blocking state, BCD and quantity updates', () => {
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
  const getSub = async (id: string) => (await t.http.get(`${SUBSCRIPTIONS}/${id}`).set(tenant.headers).expect(200)).body;

  async function subscription(plan = 'sports-monthly') {
    const accountId = await createAccount(t, tenant, { name: 'blocking', currency: 'USD' });
    const created = await t.http.post(SUBSCRIPTIONS).set(tenant.headers).send({ accountId, planName: plan }).expect(201);
    return { accountId, subscriptionId: idOf(created.headers.location) };
  }

  const storedEvents = (subscriptionId: string, type: string) =>
    t.query<{ effective_date: Date; billing_cycle_day_local: number | null; quantity: number | null }>(
      `SELECT effective_date, billing_cycle_day_local, quantity FROM subscription_events WHERE subscription_id = $1 AND event_type = $2 AND is_active ORDER BY record_id`,
      [subscriptionId, type],
    );

  describe('addSubscriptionBlockingState', () => {
    it('201 with the Location of the account’s SUBSCRIPTION states; blocking entitlement pauses the subscription under the state’s own service', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { accountId, subscriptionId } = await subscription();
      const response = await t.http
        .post(`${SUBSCRIPTIONS}/${subscriptionId}/block`)
        .set(tenant.headers)
        .send({ stateName: 'STOP', service: 'my-service', isBlockEntitlement: true, effectiveDate: '2030-01-01T00:00:00.000Z' })
        .expect(201);
      expect(response.text).toBe('');
      expect(pathOf(response.headers.location)).toBe(`/1.0/kb/accounts/${accountId}/block?blockingStateTypes=SUBSCRIPTION`);
      const states = (await t.http.get(pathOf(response.headers.location)).set(tenant.headers).expect(200)).body;
      const mine = states.filter((s: { service: string }) => s.service === 'my-service');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ blockedId: subscriptionId, type: 'SUBSCRIPTION', stateName: 'STOP', isBlockChange: false, isBlockEntitlement: true, isBlockBilling: false });
      expect(day(mine[0].effectiveDate)).toBe('2013-08-01');
      const sub = await getSub(subscriptionId);
      expect(sub.state).toBe('BLOCKED');
      expect(sub.events.find((e: { eventType: string }) => e.eventType === 'PAUSE_ENTITLEMENT')).toMatchObject({ serviceName: 'my-service', serviceStateName: 'STOP' });
    });

    it('a future requestedDate: not blocked until then', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription();
      await t.http.post(`${SUBSCRIPTIONS}/${subscriptionId}/block`).query({ requestedDate: '2013-08-03' }).set(tenant.headers).send({ stateName: 'LATER', service: 'svc', isBlockEntitlement: true }).expect(201);
      expect((await getSub(subscriptionId)).state).toBe('ACTIVE');
      await addDays(3);
      expect((await getSub(subscriptionId)).state).toBe('BLOCKED');
    });

    it('reserved names or none: 400/1107, nothing written; unknown subscription and another tenant’s: 404', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription();
      for (const body of [{ stateName: 'X', service: 'entitlement-service' }, { stateName: 'ENT_CANCELLED', service: 'x' }, { service: 'x' }, {}]) {
        const refused = await t.http.post(`${SUBSCRIPTIONS}/${subscriptionId}/block`).set(tenant.headers).send(body).expect(400);
        expect(refused.body.code).toBe(1107);
      }
      const [{ count }] = await t.query<{ count: string }>(`SELECT count(*) FROM blocking_states WHERE blockable_id = $1`, [subscriptionId]);
      expect(count).toBe('1'); // ENT_STARTED only
      const missing = await t.http.post(`${SUBSCRIPTIONS}/00000000-0000-0000-0000-000000000007/block`).set(tenant.headers).send({ stateName: 'S', service: 'x' }).expect(404);
      expect(missing.body.message).toBe("Object id=00000000-0000-0000-0000-000000000007 type=SUBSCRIPTION doesn't exist!");
      await t.http.post(`${SUBSCRIPTIONS}/${subscriptionId}/block`).set(other.headers).send({ stateName: 'S', service: 'x' }).expect(404);
    });
  });

  describe('updateSubscriptionBCD', () => {
    it('E11: BCD 7 on the 7th without a date takes effect now; a past effectiveFromDate needs the force flag (400 otherwise)', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription('standard-monthly');
      await addDays(6);
      await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/bcd`).set(tenant.headers).send({ billCycleDayLocal: 7 }).expect(204);
      const [now] = await storedEvents(subscriptionId, 'BCD_CHANGE');
      expect(now.effective_date.toISOString()).toMatch(/^2013-08-07T06:00/);
      expect(now.billing_cycle_day_local).toBe(7);
      expect((await getSub(subscriptionId)).billCycleDayLocal).toBe(7);
      const transitions = await t.query<{ event_json: string }>(
        `SELECT event_json FROM bus_events_history WHERE class_name = 'SUBSCRIPTION_TRANSITION' UNION ALL SELECT event_json FROM bus_events WHERE class_name = 'SUBSCRIPTION_TRANSITION'`,
      );
      expect(transitions.map((r) => JSON.parse(r.event_json)).filter((p) => p.subscriptionId === subscriptionId).map((p) => p.transitionType)).toContain('BCD_CHANGE');

      await addDays(8); // 2013-08-15
      const past = await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/bcd`).query({ effectiveFromDate: '2013-08-06' }).set(tenant.headers).send({ billCycleDayLocal: 10 }).expect(400);
      expect(past.body.message).toMatch(/^Changing a subscription bcd or quantity in the past/);
      expect(await storedEvents(subscriptionId, 'BCD_CHANGE')).toHaveLength(1);
      await t.http
        .put(`${SUBSCRIPTIONS}/${subscriptionId}/bcd`)
        .query({ effectiveFromDate: '2013-08-06', forceNewBcdWithPastEffectiveDate: true })
        .set(tenant.headers)
        .send({ billCycleDayLocal: 10 })
        .expect(204);
      const forced = await storedEvents(subscriptionId, 'BCD_CHANGE');
      expect(day(forced[1].effective_date.toISOString())).toBe('2013-08-10');
    });

    it('a future BCD change is dated on the next day N on or after the from-date and scheduled on the subscription-events queue', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription('standard-monthly');
      await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/bcd`).query({ effectiveFromDate: '2013-08-20' }).set(tenant.headers).send({ billCycleDayLocal: 15 }).expect(204);
      const [future] = await storedEvents(subscriptionId, 'BCD_CHANGE');
      expect(future.effective_date.toISOString()).toMatch(/^2013-09-15T06:00:00/);
      const scheduled = await t.query(`SELECT 1 FROM notifications WHERE queue_name = 'subscription-events' AND event_json LIKE $1`, [`%${subscriptionId}%`]);
      expect(scheduled.length).toBeGreaterThan(0);
    });

    it('no billCycleDayLocal: 400; unknown subscription: 404; another tenant’s: 404', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription();
      const missing = await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/bcd`).set(tenant.headers).send({}).expect(400);
      expect(missing.body.message).toBe('SubscriptionJson new BCD should be specified');
      await t.http.put(`${SUBSCRIPTIONS}/00000000-0000-0000-0000-000000000007/bcd`).set(tenant.headers).send({ billCycleDayLocal: 3 }).expect(404);
      await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/bcd`).set(other.headers).send({ billCycleDayLocal: 3 }).expect(404);
      expect(await storedEvents(subscriptionId, 'BCD_CHANGE')).toEqual([]);
    });
  });

  describe('updateSubscriptionQuantity', () => {
    it('now: the quantity changes at once; a future date: at that date, when the clock gets there', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription();
      await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/quantity`).set(tenant.headers).send({ quantity: 3 }).expect(204);
      expect((await getSub(subscriptionId)).quantity).toBe(3);
      await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/quantity`).query({ effectiveFromDate: '2013-08-05' }).set(tenant.headers).send({ quantity: 5 }).expect(204);
      const stored = await storedEvents(subscriptionId, 'QUANTITY_CHANGE');
      expect(stored.map((e) => [day(e.effective_date.toISOString()), e.quantity])).toEqual([
        ['2013-08-01', 3],
        ['2013-08-05', 5],
      ]);
      expect((await getSub(subscriptionId)).quantity).toBe(3);
      await addDays(5);
      expect((await getSub(subscriptionId)).quantity).toBe(5);
    });

    it('no quantity: 400; a past date without force: 400; unknown subscription: 404', async () => {
      await setClock('2013-08-01T06:00:00.000Z');
      const { subscriptionId } = await subscription();
      const missing = await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/quantity`).set(tenant.headers).send({}).expect(400);
      expect(missing.body.message).toBe('SubscriptionJson new quantity should be specified');
      await t.http.put(`${SUBSCRIPTIONS}/${subscriptionId}/quantity`).query({ effectiveFromDate: '2013-07-01' }).set(tenant.headers).send({ quantity: 2 }).expect(400);
      await t.http.put(`${SUBSCRIPTIONS}/00000000-0000-0000-0000-000000000007/quantity`).set(tenant.headers).send({ quantity: 2 }).expect(404);
      expect(await storedEvents(subscriptionId, 'QUANTITY_CHANGE')).toEqual([]);
    });
  });
});
