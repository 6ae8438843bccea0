import { newRequestContext, Queues, runWithContext, Transactions } from '@kb/platform';
import { ClockProbe, ClockProbeHandler, probeCalls } from '../support/clock-probe';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const PER_TENANT = { 'org.killbill.server.test.clock.perTenant': 'true' };

/** With org.killbill.server.test.clock.perTenant, each tenant moves its own time and sees only its own. */
describe('A clock per tenant', () => {
  let t: TestApp;
  let first: TestTenant;
  let second: TestTenant;

  const recordIdOf = async (tenant: TestTenant): Promise<number> =>
    Number((await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]))[0].record_id);
  const clockOf = async (tenant: TestTenant): Promise<number> =>
    Date.parse((await t.http.get('/1.0/kb/test/clock').set(tenant.headers).expect(200)).body.currentUtcTime as string);
  const setClock = (tenant: TestTenant, requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate }).set(tenant.headers).expect(200);
  const near = (actual: number, expected: string | number) => expect(Math.abs(actual - (typeof expected === 'string' ? Date.parse(expected) : expected))).toBeLessThan(5_000);
  const schedule = async (tenant: TestTenant, label: string, effectiveDate: string) => {
    const recordId = await recordIdOf(tenant);
    await runWithContext(newRequestContext({ tenant: { recordId }, createdBy: 'test' }), () =>
      t.app.get(Transactions).run(() => t.app.get(Queues).schedule(ClockProbe, new Date(effectiveDate), { label })),
    );
  };
  const pending = async (label: string) => (await t.query(`SELECT 1 FROM notifications WHERE queue_name = 'clock-probe' AND event_json LIKE $1`, [`%"${label}"%`])).length;

  beforeAll(async () => {
    t = await startTestApp(PER_TENANT, { providers: [ClockProbeHandler] });
    first = await t.createTenant();
    second = await t.createTenant();
  });
  afterAll(() => t.close());

  it('moves the calling tenant only, and processes its due notifications only, on its own time', async () => {
    await schedule(first, 'first-due', '2031-06-01T00:00:00.000Z');
    await schedule(second, 'second-due', '2032-06-01T00:00:00.000Z');

    await setClock(first, '2031-06-02T00:00:00.000Z');
    near(await clockOf(first), '2031-06-02T00:00:00.000Z');
    near(await clockOf(second), Date.now());
    expect(await pending('first-due')).toBe(0);
    expect(await pending('second-due')).toBe(1);
    const firstCall = probeCalls.find((call) => call.label === 'first-due');
    expect(firstCall?.tenantRecordId).toBe(await recordIdOf(first));
    near(Date.parse(firstCall?.seenAt ?? ''), '2031-06-02T00:00:00.000Z'); // the handler reads its tenant's time

    await setClock(second, '2032-06-02T00:00:00.000Z');
    expect(await pending('second-due')).toBe(0);
    near(await clockOf(first), '2031-06-02T00:00:00.000Z');
    near(Date.parse(probeCalls.find((call) => call.label === 'second-due')?.seenAt ?? ''), '2032-06-02T00:00:00.000Z');
  });

  it("records a tenant's writes at the tenant's time", async () => {
    await setClock(first, '2035-01-01T12:00:00.000Z');
    const accountId = await createAccount(t, first);
    const account = await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ audit: 'FULL' }).set(first.headers).expect(200);
    near(Date.parse(account.body.auditLogs[0].changeDate), '2035-01-01T12:00:00.000Z');
    const other = await createAccount(t, second);
    const otherAccount = await t.http.get(`/1.0/kb/accounts/${other}`).query({ audit: 'FULL' }).set(second.headers).expect(200);
    near(Date.parse(otherAccount.body.auditLogs[0].changeDate), '2032-06-02T00:00:00.000Z');
  });

  it("resetting a tenant's clock returns it to real time and leaves the other's", async () => {
    await t.http.post('/1.0/kb/test/clock').set(first.headers).expect(200);
    near(await clockOf(first), Date.now());
    near(await clockOf(second), '2032-06-02T00:00:00.000Z');
  });

  it('runs two scenarios with their own tenants in parallel against one server', async () => {
    const scenario = async (start: string) => {
      const tenant = await t.createTenant();
      await setClock(tenant, start);
      const expected = Date.parse(start);
      for (let step = 1; step <= 5; step++) {
        await t.http.put('/1.0/kb/test/clock').query({ days: 10 }).set(tenant.headers).expect(200);
        near(await clockOf(tenant), expected + step * 10 * 86_400_000);
      }
    };
    await Promise.all([scenario('2040-01-01T00:00:00.000Z'), scenario('2050-07-01T00:00:00.000Z')]);
  });
});

describe('The global test clock (Kill Bill default)', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('is one time for every tenant', async () => {
    t = await startTestApp();
    const [a, b] = [await t.createTenant(), await t.createTenant()];
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2030-05-05T05:05:05.000Z' }).set(a.headers).expect(200);
    const seen = (await t.http.get('/1.0/kb/test/clock').set(b.headers).expect(200)).body.currentUtcTime as string;
    expect(Math.abs(Date.parse(seen) - Date.parse('2030-05-05T05:05:05.000Z'))).toBeLessThan(5_000);
  });

  it('outside test mode is the real clock, whatever is stored, and the test endpoints are not mounted', async () => {
    await t.query(`UPDATE test_clocks SET offset_millis = 31536000000000`);
    const production = await startTestApp({ 'org.killbill.server.test.mode': 'false' }, { sharedDatabaseOf: t, nodeName: 'production' });
    try {
      const tenant = await production.createTenant();
      await production.http.get('/1.0/kb/test/clock').set(tenant.headers).expect(404);
      const accountId = await createAccount(production, tenant);
      const account = await production.http.get(`/1.0/kb/accounts/${accountId}`).query({ audit: 'FULL' }).set(tenant.headers).expect(200);
      expect(Math.abs(Date.parse(account.body.auditLogs[0].changeDate) - Date.now())).toBeLessThan(5_000);
    } finally {
      await production.close();
    }
  });
});
