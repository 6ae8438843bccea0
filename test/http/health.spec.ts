import { Injectable } from '@nestjs/common';
import { defineQueue, newRequestContext, OnNotification, Queues, runWithContext, Transactions } from '@kb/platform';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

describe('Healthcheck and rotation', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  it('GET /1.0/healthcheck needs no credentials and reports each check', async () => {
    const response = await t.http.get('/1.0/healthcheck').expect(200);
    expect(response.body).toMatchObject({
      KillbillHealthcheck: { healthy: true },
      DatabaseHealthcheck: { healthy: true },
      KillbillQueuesHealthcheck: { healthy: true },
    });
  });

  it('out of rotation makes the healthcheck fail; back in rotation restores it', async () => {
    await t.http.delete('/1.0/kb/admin/healthcheck').set(tenant.headers).expect(204);
    const out = await t.http.get('/1.0/healthcheck').expect(500);
    expect(out.body.KillbillHealthcheck).toEqual({ healthy: false, message: 'Out of rotation' });
    await t.http.put('/1.0/kb/admin/healthcheck').set(tenant.headers).expect(204);
    await t.http.get('/1.0/healthcheck').expect(200);
  });

  it('the rotation operations need credentials and tenant headers', async () => {
    await t.http.delete('/1.0/kb/admin/healthcheck').expect(401);
    await t.http.delete('/1.0/kb/admin/healthcheck').set(t.adminHeaders).expect(401);
    await t.http.get('/1.0/healthcheck').expect(200);
  });

  it('echoes X-Request-Id and records a UUID request id as the audit user token', async () => {
    const token = '3f1a1d6e-5b1c-4d7e-9a0b-1234567890ab';
    const response = await t.http
      .post('/1.0/kb/tenants/userKeyValue/token-test')
      .set(tenant.headers)
      .set('X-Request-Id', token)
      .set('Content-Type', 'text/plain')
      .send('v')
      .expect(201);
    expect(response.headers['x-request-id']).toBe(token);
    const rows = await t.query<{ user_token: string }>(
      `SELECT a.user_token FROM audit_log a JOIN tenant_kvs_history h ON h.record_id = a.target_record_id AND a.table_name = 'tenant_kvs' WHERE h.tenant_key = 'token-test'`,
    );
    expect(rows).toEqual([{ user_token: token }]);
  });

  it('answers an unknown route with 404 in the error JSON', async () => {
    const response = await t.http.get('/1.0/kb/nothing-here').set(tenant.headers).expect(404);
    expect(response.body).toMatchObject({ code: null, stackTrace: [] });
  });
});

const NobodyHandles = defineQueue<{ n: number }>('nobody-handles');
const HealthFailing = defineQueue<{ n: number }>('health-failing');

@Injectable()
class FailingHandler {
  @OnNotification(HealthFailing)
  async fail(): Promise<void> {
    throw new Error('always fails');
  }
}

describe('Queue healthcheck', () => {
  let t: TestApp;
  let tenantRecordId: number;
  beforeAll(async () => {
    t = await startTestApp({}, { providers: [FailingHandler] });
    const tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
  });
  afterAll(() => t.close());

  const schedule = (queue: typeof NobodyHandles, effectiveDate: Date) =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId } }), () =>
      t.app.get(Transactions).run(() => t.app.get(Queues).schedule(queue, effectiveDate, { n: 1 })),
    );
  const queuesCheck = async (status: number) => (await t.http.get('/1.0/healthcheck').expect(status)).body.KillbillQueuesHealthcheck as unknown;

  it('is healthy with nothing stuck or failed, and with entries due only recently', async () => {
    expect(await queuesCheck(200)).toEqual({ healthy: true, message: '0 stuck, 0 failed recently, 0 being retried' });
    await schedule(NobodyHandles, new Date(Date.now() - 60_000));
    expect(await queuesCheck(200)).toMatchObject({ healthy: true });
    await t.query(`DELETE FROM notifications WHERE queue_name = 'nobody-handles'`);
  });

  it('is unhealthy while an entry stays unprocessed past the reap threshold', async () => {
    await schedule(NobodyHandles, new Date(Date.now() - 11 * 60_000));
    expect(await queuesCheck(500)).toEqual({ healthy: false, message: '1 stuck, 0 failed recently, 0 being retried' });
    await t.query(`DELETE FROM notifications WHERE queue_name = 'nobody-handles'`);
    expect(await queuesCheck(200)).toMatchObject({ healthy: true });
  });

  it('is unhealthy once an entry has been kept as FAILED recently, healthy again after the window', async () => {
    await schedule(HealthFailing, new Date(Date.now() - 1000));
    for (let i = 0; (await t.query(`SELECT 1 FROM notifications_history WHERE queue_name = 'health-failing'`)).length === 0; i++) {
      if (i > 200) throw new Error('the failing entry never reached history');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await queuesCheck(500)).toEqual({ healthy: false, message: '0 stuck, 1 failed recently, 0 being retried' });
    await t.query(`UPDATE notifications_history SET processing_available_date = now() - interval '2 hours' WHERE queue_name = 'health-failing'`);
    expect(await queuesCheck(200)).toMatchObject({ healthy: true });
  });
});
