import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

describe('Tenant resource', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant('bob', 'lazar');
  });
  afterAll(() => t.close());

  describe('createTenant', () => {
    it('answers 201 with a full Location and stores only a salted hash of the secret', async () => {
      const response = await t.http
        .post('/1.0/kb/tenants')
        .set(t.adminHeaders)
        .send({ apiKey: 'alice', apiSecret: 's3cret', externalKey: 'ext-alice' })
        .expect(201);
      expect(response.text).toBe('');
      expect(response.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/1\.0\/kb\/tenants\/[0-9a-f-]{36}$/);
      const [row] = await t.query<{ api_secret: string; api_salt: string }>(`SELECT api_secret, api_salt FROM tenants WHERE api_key = 'alice'`);
      expect(row.api_secret).not.toContain('s3cret');
      expect(row.api_salt.length).toBeGreaterThan(10);
    });

    it('writes the history row and the audit row of the insert, with the audit headers', async () => {
      await t.http
        .post('/1.0/kb/tenants')
        .set({ ...t.adminHeaders, 'X-Killbill-CreatedBy': 'carol', 'X-Killbill-Reason': 'onboarding', 'X-Killbill-Comment': 'first tenant of carol' })
        .send({ apiKey: 'carol', apiSecret: 'pw' })
        .expect(201);
      const audit = await t.query<Record<string, unknown>>(
        `SELECT a.change_type, a.created_by, a.reason_code, a.comments, a.table_name, h.api_key, h.change_type AS history_change
           FROM audit_log a JOIN tenants_history h ON h.record_id = a.target_record_id
           JOIN tenants t ON t.record_id = h.target_record_id
          WHERE a.table_name = 'tenants' AND t.api_key = 'carol'`,
      );
      expect(audit).toEqual([
        {
          change_type: 'INSERT',
          created_by: 'carol',
          reason_code: 'onboarding',
          comments: 'first tenant of carol',
          table_name: 'tenants',
          api_key: 'carol',
          history_change: 'INSERT',
        },
      ]);
      const columns = await t.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'tenants_history'`);
      expect(columns.map((c) => c.column_name)).not.toContain('api_secret');
    });

    it('refuses a duplicate api key with 409 TENANT_ALREADY_EXISTS and leaves nothing written', async () => {
      const before = await t.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE table_name = 'tenants'`);
      const response = await t.http.post('/1.0/kb/tenants').set(t.adminHeaders).send({ apiKey: 'bob', apiSecret: 'other' }).expect(409);
      expect(response.body).toMatchObject({
        className: 'org.killbill.billing.tenant.api.TenantApiException',
        code: 20000,
        message: 'Tenant already exists for key bob',
        stackTrace: [],
      });
      const after = await t.query<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE table_name = 'tenants'`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('refuses a missing apiSecret with a 400 naming the field', async () => {
      const response = await t.http.post('/1.0/kb/tenants').set(t.adminHeaders).send({ apiKey: 'nosecret' }).expect(400);
      expect(response.body.message).toContain('apiSecret');
      expect(response.body.className).toBe('java.lang.IllegalArgumentException');
    });

    it('refuses malformed JSON with a 400, not a 500', async () => {
      await t.http.post('/1.0/kb/tenants').set(t.adminHeaders).set('Content-Type', 'application/json').send('{"apiKey": ').expect(400);
    });

    it('needs X-Killbill-CreatedBy', async () => {
      const { 'X-Killbill-CreatedBy': _, ...noCreatedBy } = t.adminHeaders;
      const response = await t.http.post('/1.0/kb/tenants').set(noCreatedBy).send({ apiKey: 'x1', apiSecret: 'y' }).expect(400);
      expect(response.body.message).toBe('Header X-Killbill-CreatedBy needs to be set');
    });

    it('needs credentials and the tenant:create permission', async () => {
      await t.http.post('/1.0/kb/tenants').set('X-Killbill-CreatedBy', 'x').send({ apiKey: 'x2', apiSecret: 'y' }).expect(401);
      await t.http
        .post('/1.0/kb/security/roles')
        .set(t.adminHeaders)
        .send({ role: 'reader', permissions: ['account:create'] })
        .expect(201);
      await t.http
        .post('/1.0/kb/security/users')
        .set(t.adminHeaders)
        .send({ username: 'reader', password: 'pw', roles: ['reader'] })
        .expect(201);
      const response = await t.http
        .post('/1.0/kb/tenants')
        .set({ Authorization: `Basic ${Buffer.from('reader:pw').toString('base64')}`, 'X-Killbill-CreatedBy': 'reader' })
        .send({ apiKey: 'x3', apiSecret: 'y' })
        .expect(401);
      expect(response.body.className).toBe('org.apache.shiro.authz.UnauthorizedException');
    });
  });

  describe('getTenant / getTenantByApiKey', () => {
    it('returns the tenant with a null secret', async () => {
      const response = await t.http.get(`/1.0/kb/tenants/${tenant.id}`).set(tenant.headers).expect(200);
      expect(response.body).toEqual({ tenantId: tenant.id, externalKey: null, apiKey: 'bob', apiSecret: null, auditLogs: [] });
      const byKey = await t.http.get('/1.0/kb/tenants').query({ apiKey: 'bob' }).set(tenant.headers).expect(200);
      expect(byKey.body.tenantId).toBe(tenant.id);
    });

    it('answers 404 for an unknown id or api key, 400 for a malformed id', async () => {
      const unknown = await t.http.get('/1.0/kb/tenants/6f1a3c14-0000-4000-8000-000000000000').set(tenant.headers).expect(404);
      expect(unknown.body.code).toBe(20001);
      const byKey = await t.http.get('/1.0/kb/tenants').query({ apiKey: 'nobody' }).set(tenant.headers).expect(404);
      expect(byKey.body.code).toBe(20003);
      await t.http.get('/1.0/kb/tenants/not-a-uuid').set(tenant.headers).expect(400);
    });

    it('looks a tenant up by api key with basic auth alone, as Kill Bill lets that exact path through', async () => {
      await t.createTenant('lookup-key', 'lookup-secret');
      const found = await t.http.get('/1.0/kb/tenants').query({ apiKey: 'lookup-key' }).set(t.adminHeaders).expect(200);
      expect(found.body).toEqual(expect.objectContaining({ apiKey: 'lookup-key' }));
      expect(found.body.apiSecret).toBeNull(); // never sent back, as Kill Bill
      await t.http.get('/1.0/kb/tenants').query({ apiKey: 'lookup-key' }).expect(401);
    });

    it('answers a bare 401 for a wrong or missing secret', async () => {
      const wrong = await t.http
        .get(`/1.0/kb/tenants/${tenant.id}`)
        .set({ ...tenant.headers, 'X-Killbill-ApiSecret': 'nope' })
        .expect(401);
      expect(wrong.headers['content-type']).toMatch(/text\/plain/);
      const { 'X-Killbill-ApiKey': _, ...noKey } = tenant.headers;
      await t.http.get(`/1.0/kb/tenants/${tenant.id}`).set(noKey).expect(401);
    });
  });

  describe('push notification callback', () => {
    it('registers, reads, replaces and deletes the single callback', async () => {
      const created = await t.http
        .post('/1.0/kb/tenants/registerNotificationCallback')
        .query({ cb: 'http://127.0.0.1:9/first' })
        .set(tenant.headers)
        .expect(201);
      expect(created.headers.location).toMatch(/\/1\.0\/kb\/tenants\/registerNotificationCallback$/);
      await t.http.post('/1.0/kb/tenants/registerNotificationCallback').query({ cb: 'http://127.0.0.1:9/second' }).set(tenant.headers).expect(201);
      const read = await t.http.get('/1.0/kb/tenants/registerNotificationCallback').set(tenant.headers).expect(200);
      expect(read.body).toEqual({ key: 'PUSH_NOTIFICATION_CB', values: ['http://127.0.0.1:9/second'], auditLogs: [] });
      await t.http.delete('/1.0/kb/tenants/registerNotificationCallback').set(tenant.headers).expect(204);
      const after = await t.http.get('/1.0/kb/tenants/registerNotificationCallback').set(tenant.headers).expect(200);
      expect(after.body.values).toEqual([]);
    });

    it('refuses a missing or malformed callback url', async () => {
      await t.http.post('/1.0/kb/tenants/registerNotificationCallback').set(tenant.headers).expect(400);
      await t.http.post('/1.0/kb/tenants/registerNotificationCallback').query({ cb: 'not a url' }).set(tenant.headers).expect(400);
    });

    it('posts TENANT_CONFIG_CHANGE and TENANT_CONFIG_DELETION bus events in the same transaction', async () => {
      const events = await t.query<{ class_name: string; event_json: string }>(
        `SELECT class_name, event_json FROM (SELECT record_id, class_name, event_json FROM bus_events UNION ALL SELECT record_id, class_name, event_json FROM bus_events_history) e
          WHERE class_name LIKE 'TENANT_CONFIG%' AND event_json LIKE '%PUSH_NOTIFICATION_CB%' ORDER BY record_id`,
      );
      expect(events.map((e) => e.class_name)).toEqual(['TENANT_CONFIG_CHANGE', 'TENANT_CONFIG_CHANGE', 'TENANT_CONFIG_DELETION']);
      expect(JSON.parse(events[2].event_json)).toMatchObject({ objectType: 'TENANT_KVS', metaData: '{"key":"PUSH_NOTIFICATION_CB"}' });
    });
  });

  describe('per tenant configuration', () => {
    it('uploads, reads, searches by prefix and deletes', async () => {
      const config = '{"org.killbill.payment.retry.days":"1,1,1"}';
      await t.http.post('/1.0/kb/tenants/uploadPerTenantConfig').set(tenant.headers).set('Content-Type', 'text/plain').send(config).expect(201);
      const read = await t.http.get('/1.0/kb/tenants/uploadPerTenantConfig').set(tenant.headers).expect(200);
      expect(read.body).toEqual({ key: 'PER_TENANT_CONFIG', values: [config], auditLogs: [] });
      const search = await t.http.get('/1.0/kb/tenants/uploadPerTenantConfig/PER_TENANT/search').set(tenant.headers).expect(200);
      expect(search.body).toEqual([{ key: 'PER_TENANT_CONFIG', values: [config], auditLogs: [] }]);
      await t.http.delete('/1.0/kb/tenants/uploadPerTenantConfig').set(tenant.headers).expect(204);
      expect((await t.http.get('/1.0/kb/tenants/uploadPerTenantConfig').set(tenant.headers).expect(200)).body.values).toEqual([]);
    });

    it('refuses a body that is not a JSON object', async () => {
      const response = await t.http
        .post('/1.0/kb/tenants/uploadPerTenantConfig')
        .set(tenant.headers)
        .set('Content-Type', 'text/plain')
        .send('retry=1')
        .expect(400);
      expect(response.body.message).toContain('JSON object');
    });
  });

  describe('plugin configuration', () => {
    it('uploads (replacing), reads and deletes a plugin configuration', async () => {
      const created = await t.http
        .post('/1.0/kb/tenants/uploadPluginConfig/my-plugin')
        .set(tenant.headers)
        .set('Content-Type', 'text/plain')
        .send('a=1')
        .expect(201);
      expect(created.headers.location).toMatch(/\/1\.0\/kb\/tenants\/uploadPluginConfig\/my-plugin$/);
      await t.http.post('/1.0/kb/tenants/uploadPluginConfig/my-plugin').set(tenant.headers).set('Content-Type', 'text/plain').send('a=2').expect(201);
      const read = await t.http.get('/1.0/kb/tenants/uploadPluginConfig/my-plugin').set(tenant.headers).expect(200);
      expect(read.body).toEqual({ key: 'PLUGIN_CONFIG_my-plugin', values: ['a=2'], auditLogs: [] });
      await t.http.delete('/1.0/kb/tenants/uploadPluginConfig/my-plugin').set(tenant.headers).expect(204);
      expect((await t.http.get('/1.0/kb/tenants/uploadPluginConfig/my-plugin').set(tenant.headers).expect(200)).body.values).toEqual([]);
    });

    it('refuses an empty body', async () => {
      await t.http.post('/1.0/kb/tenants/uploadPluginConfig/my-plugin').set(tenant.headers).set('Content-Type', 'text/plain').send('').expect(400);
    });

    it('keeps the replaced value in history as a DELETE (soft, is_active = false) with its audit row', async () => {
      const rows = await t.query<{ change_type: string; is_active: boolean; tenant_value: string }>(
        `SELECT h.change_type, h.is_active, h.tenant_value FROM tenant_kvs_history h JOIN audit_log a ON a.target_record_id = h.record_id AND a.table_name = 'tenant_kvs'
          WHERE h.tenant_key = 'PLUGIN_CONFIG_my-plugin' ORDER BY h.record_id`,
      );
      expect(rows).toEqual([
        { change_type: 'INSERT', is_active: true, tenant_value: 'a=1' },
        { change_type: 'DELETE', is_active: false, tenant_value: 'a=1' },
        { change_type: 'INSERT', is_active: true, tenant_value: 'a=2' },
        { change_type: 'DELETE', is_active: false, tenant_value: 'a=2' },
      ]);
    });
  });

  describe('plugin payment state machine', () => {
    const xml = '<?xml version="1.0"?><stateMachineConfig><stateMachines/></stateMachineConfig>';

    it('uploads, reads and deletes the XML', async () => {
      await t.http
        .post('/1.0/kb/tenants/uploadPluginPaymentStateMachineConfig/stripe')
        .set(tenant.headers)
        .set('Content-Type', 'text/plain')
        .send(xml)
        .expect(201);
      const read = await t.http.get('/1.0/kb/tenants/uploadPluginPaymentStateMachineConfig/stripe').set(tenant.headers).expect(200);
      expect(read.body).toEqual({ key: 'PLUGIN_PAYMENT_STATE_MACHINE_stripe', values: [xml], auditLogs: [] });
      await t.http.delete('/1.0/kb/tenants/uploadPluginPaymentStateMachineConfig/stripe').set(tenant.headers).expect(204);
    });

    it('refuses XML that does not parse', async () => {
      await t.http
        .post('/1.0/kb/tenants/uploadPluginPaymentStateMachineConfig/stripe')
        .set(tenant.headers)
        .set('Content-Type', 'text/plain')
        .send('<broken')
        .expect(400);
    });
  });

  describe('user key values', () => {
    it('appends values, reads them in order and deletes the key', async () => {
      await t.http.post('/1.0/kb/tenants/userKeyValue/colors').set(tenant.headers).set('Content-Type', 'text/plain').send('red').expect(201);
      const second = await t.http.post('/1.0/kb/tenants/userKeyValue/colors').set(tenant.headers).set('Content-Type', 'text/plain').send('blue').expect(201);
      expect(second.headers.location).toMatch(/\/1\.0\/kb\/tenants\/userKeyValue\/colors$/);
      const read = await t.http.get('/1.0/kb/tenants/userKeyValue/colors').set(tenant.headers).expect(200);
      expect(read.body).toEqual({ key: 'colors', values: ['red', 'blue'], auditLogs: [] });
      await t.http.delete('/1.0/kb/tenants/userKeyValue/colors').set(tenant.headers).expect(204);
      expect((await t.http.get('/1.0/kb/tenants/userKeyValue/colors').set(tenant.headers).expect(200)).body.values).toEqual([]);
    });

    it('isolates tenants', async () => {
      const other = await t.createTenant();
      await t.http.post('/1.0/kb/tenants/userKeyValue/secret').set(tenant.headers).set('Content-Type', 'text/plain').send('mine').expect(201);
      expect((await t.http.get('/1.0/kb/tenants/userKeyValue/secret').set(other.headers).expect(200)).body.values).toEqual([]);
    });

    it('needs X-Killbill-CreatedBy to write', async () => {
      const { 'X-Killbill-CreatedBy': _, ...headers } = tenant.headers;
      await t.http.post('/1.0/kb/tenants/userKeyValue/colors').set(headers).set('Content-Type', 'text/plain').send('green').expect(400);
      await t.http.delete('/1.0/kb/tenants/userKeyValue/colors').set(headers).expect(400);
    });
  });
});
