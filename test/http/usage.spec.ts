import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const USAGES = '/1.0/kb/usages';
const START = '2013-08-01T06:00:00.000Z';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

/** POST /usages and the rolled-up reads, over HTTP (spec 3.10). */
describe('Usage', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: START }).set(tenant.headers).expect(200);
    accountId = await createAccount(t, tenant, { name: 'Usage', currency: 'USD' });
  });
  afterAll(() => t.close());

  async function subscription(): Promise<string> {
    const response = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'sports-monthly' }).expect(201);
    return idOf(response.headers.location);
  }
  const record = (body: Record<string, unknown>, headers = tenant.headers) => t.http.post(USAGES).set(headers).send(body);
  const usageOf = (subscriptionId: string, trackingId: string | undefined, units: Record<string, [string, number][]>) => ({
    subscriptionId,
    ...(trackingId === undefined ? {} : { trackingId }),
    unitUsageRecords: Object.entries(units).map(([unitType, records]) => ({
      unitType,
      usageRecords: records.map(([recordDate, amount]) => ({ recordDate, amount })),
    })),
  });
  const rowsOf = (subscriptionId: string) =>
    t.query<{ unit_type: string; amount: string; tracking_id: string }>(
      'SELECT unit_type, amount, tracking_id FROM rolled_up_usage WHERE subscription_id = $1 ORDER BY record_id',
      [subscriptionId],
    );

  it('records usage (201, no Location) and sums it per unit in [startDate, endDate)', async () => {
    const id = await subscription();
    const response = await record(
      usageOf(id, 'tracking-1', {
        bullets: [
          ['2013-08-01T10:00:00.000Z', 99],
          ['2013-08-15T00:00:00.000Z', 100.5],
          ['2013-09-01T00:00:00.000Z', 7],
        ],
        shells: [['2013-08-02T00:00:00.000Z', 3]],
      }),
    );
    expect(response.status).toBe(201);
    expect(response.headers.location).toBeUndefined();
    expect(response.text).toBe('');

    const all = await t.http.get(`${USAGES}/${id}`).query({ startDate: '2013-08-01', endDate: '2013-09-01' }).set(tenant.headers).expect(200);
    expect(all.body).toEqual({
      subscriptionId: id,
      startDate: '2013-08-01T00:00:00.000Z',
      endDate: '2013-09-01T00:00:00.000Z',
      rolledUpUnits: [
        { unitType: 'bullets', amount: 199.5 },
        { unitType: 'shells', amount: 3 },
      ],
    });
    const bullets = await t.http.get(`${USAGES}/${id}/bullets`).query({ startDate: '2013-08-01', endDate: '2013-09-02' }).set(tenant.headers).expect(200);
    expect(bullets.body.rolledUpUnits).toEqual([{ unitType: 'bullets', amount: 206.5 }]);
    expect((await rowsOf(id)).map((row) => row.tracking_id)).toEqual(['tracking-1', 'tracking-1', 'tracking-1', 'tracking-1']);
    const [{ count }] = await t.query<{ count: string }>(
      'SELECT count(*) FROM rolled_up_usage_history h JOIN rolled_up_usage u ON u.record_id = h.target_record_id WHERE u.subscription_id = $1',
      [id],
    );
    expect(Number(count)).toBe(4);
  });

  it('answers a bare 400 when startDate or endDate is missing', async () => {
    const id = await subscription();
    for (const query of [{ startDate: '2013-08-01' }, { endDate: '2013-09-01' }, {}]) {
      const all = await t.http.get(`${USAGES}/${id}`).query(query).set(tenant.headers);
      expect([all.status, all.text]).toEqual([400, '']);
      const one = await t.http.get(`${USAGES}/${id}/bullets`).query(query).set(tenant.headers);
      expect([one.status, one.text]).toEqual([400, '']);
    }
  });

  it('refuses an unknown subscription with SUB_INVALID_SUBSCRIPTION_ID (404)', async () => {
    const response = await record(usageOf('9b9cb5c4-6e53-4d4f-8b54-4ce2a0a5f3a1', 't', { bullets: [['2013-08-01', 1]] }));
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 1082 });
  });

  it('refuses a tracking id already used on the subscription; without one each recording gets its own', async () => {
    const id = await subscription();
    await record(usageOf(id, 'once', { bullets: [['2013-08-01', 1]] })).expect(201);
    const again = await record(usageOf(id, 'once', { bullets: [['2013-08-03', 1]] }));
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 50000, message: 'A usage record with tracking ID once already exists' });

    // The same tracking id on another subscription is another recording.
    const second = await subscription();
    await record(usageOf(second, 'once', { bullets: [['2013-08-01', 1]] })).expect(201);

    await record(usageOf(id, undefined, { bullets: [['2013-08-02', 1]] })).expect(201);
    await record(usageOf(id, undefined, { bullets: [['2013-08-02', 1]] })).expect(201);
    const trackingIds = (await rowsOf(id)).map((row) => row.tracking_id);
    expect(trackingIds).toHaveLength(3);
    expect(new Set(trackingIds).size).toBe(3);
  });

  it('keeps one recording of 20 parallel posts with the same tracking id', async () => {
    const id = await subscription();
    const body = usageOf(id, 'parallel', {
      bullets: [
        ['2013-08-01', 5],
        ['2013-08-02', 6],
      ],
      shells: [['2013-08-01', 1]],
    });
    const responses = await Promise.all(Array.from({ length: 20 }, () => record(body)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400 && r.body.code === 50000)).toHaveLength(19);
    expect(await rowsOf(id)).toHaveLength(3);
  });

  it('refuses usage dated after the subscription ends with a bare 400', async () => {
    const id = await subscription();
    await t.http.delete(`/1.0/kb/subscriptions/${id}`).query({ entitlementPolicy: 'IMMEDIATE', billingPolicy: 'IMMEDIATE' }).set(tenant.headers).expect(204);
    const late = await record(
      usageOf(id, 'late', {
        bullets: [
          ['2013-08-01T06:00:00.000Z', 1],
          ['2013-08-02T00:00:00.000Z', 1],
        ],
      }),
    );
    expect([late.status, late.text]).toEqual([400, '']);
    expect(await rowsOf(id)).toHaveLength(0);
    await record(usageOf(id, 'in-time', { bullets: [['2013-08-01T06:00:00.000Z', 1]] })).expect(201);
  });

  it('is scoped to the tenant', async () => {
    const id = await subscription();
    await record(usageOf(id, 'mine', { bullets: [['2013-08-01', 4]] })).expect(201);
    const foreign = await record(usageOf(id, 'theirs', { bullets: [['2013-08-01', 1]] }), other.headers);
    expect(foreign.status).toBe(404);
    const read = await t.http.get(`${USAGES}/${id}`).query({ startDate: '2013-08-01', endDate: '2013-09-01' }).set(other.headers).expect(200);
    expect(read.body.rolledUpUnits).toEqual([]);
  });

  it('validates the body: 400 naming what is wrong', async () => {
    const id = await subscription();
    for (const body of [
      { subscriptionId: id },
      { subscriptionId: id, unitUsageRecords: [] },
      { subscriptionId: id, unitUsageRecords: [{ unitType: 'bullets', usageRecords: [] }] },
      { subscriptionId: id, unitUsageRecords: [{ usageRecords: [{ recordDate: '2013-08-01', amount: 1 }] }] },
      { subscriptionId: id, unitUsageRecords: [{ unitType: 'bullets', usageRecords: [{ recordDate: '2013-08-01' }] }] },
      { subscriptionId: id, unitUsageRecords: [{ unitType: 'bullets', usageRecords: [{ recordDate: 'yesterday', amount: 1 }] }] },
      { subscriptionId: 'nope', unitUsageRecords: [{ unitType: 'bullets', usageRecords: [{ recordDate: '2013-08-01', amount: 1 }] }] },
    ]) {
      const response = await record(body);
      expect(response.status).toBe(400);
      expect(response.body.message).toEqual(expect.any(String));
    }
    expect(await rowsOf(id)).toHaveLength(0);
  });
});
