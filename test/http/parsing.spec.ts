import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/** Input that does not say what it means is a 400 naming the problem, never a guess. */
describe('Parsing that does not guess', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  it.each(['0', '1', '2021', '20210101', '2021-1', '1e3'])('refuses blocking-state requestedDate=%s (a date is yyyy-MM-dd)', async (requestedDate) => {
    const accountId = await createAccount(t, tenant);
    const response = await t.http
      .post(`/1.0/kb/accounts/${accountId}/block?requestedDate=${requestedDate}`)
      .set(tenant.headers)
      .send({ stateName: 'STOP', service: 'svc', isBlockChange: true, isBlockEntitlement: false, isBlockBilling: false });
    expect([response.status, response.body.message]).toEqual([400, `Invalid format: "${requestedDate}" for requestedDate`]);
    expect(await t.query(`SELECT 1 FROM blocking_states WHERE blockable_id = $1`, [accountId])).toEqual([]);
  });

  it('refuses an advanced account search on an unknown column instead of answering every account', async () => {
    await createAccount(t, tenant);
    const response = await t.http.get(`/1.0/kb/accounts/search/${encodeURIComponent('_q=1&no_such_column=1')}`).set(tenant.headers);
    expect([response.status, response.body.message]).toEqual([400, expect.stringContaining('Invalid search column no_such_column')]);
  });

  describe('PUT /security/users/{username}/roles', () => {
    beforeAll(async () => {
      await t.http
        .post('/1.0/kb/security/roles')
        .set(t.adminHeaders)
        .send({ role: 'keeper', permissions: ['account:create'] })
        .expect(201);
      await t.http
        .post('/1.0/kb/security/users')
        .set(t.adminHeaders)
        .send({ username: 'kept', password: 'pw', roles: ['keeper'] })
        .expect(201);
    });

    it('refuses a body without roles, and keeps the roles', async () => {
      const response = await t.http.put('/1.0/kb/security/users/kept/roles').set(t.adminHeaders).send({});
      expect([response.status, response.body.message]).toEqual([400, 'UserRolesJson roles needs to be set']);
      expect((await t.http.get('/1.0/kb/security/users/kept/roles').set(t.adminHeaders).expect(200)).body.roles).toEqual(['keeper']);
    });

    it('takes an explicit empty list as "no roles", as Kill Bill', async () => {
      await t.http.put('/1.0/kb/security/users/kept/roles').set(t.adminHeaders).send({ roles: [] }).expect(204);
      expect((await t.http.get('/1.0/kb/security/users/kept/roles').set(t.adminHeaders).expect(200)).body.roles).toEqual([]);
    });
  });

  describe('GET /catalog/xml', () => {
    it('sends an error as JSON with a JSON content type', async () => {
      const response = await t.http.get('/1.0/kb/catalog/xml?requestedDate=nonsense').set(tenant.headers).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body.message).toBe('Invalid format: "nonsense" for requestedDate');
    });

    it('still sends a catalog as text/xml', async () => {
      const response = await t.http.get('/1.0/kb/catalog/xml').set(tenant.headers).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/xml/);
    });
  });
});
