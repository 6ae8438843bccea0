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
