import { basicAuth, startTestApp, type TestApp } from '../support/test-app';

describe('Security resource', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const asUser = (username: string, password: string) => ({ Authorization: basicAuth(username, password), 'X-Killbill-CreatedBy': username });

  it('getCurrentUserPermissions and getCurrentUserSubject describe the authenticated admin', async () => {
    expect((await t.http.get('/1.0/kb/security/permissions').set(t.adminHeaders).expect(200)).body).toEqual(['*']);
    expect((await t.http.get('/1.0/kb/security/subject').set(t.adminHeaders).expect(200)).body).toEqual({
      principal: 'admin',
      isAuthenticated: true,
      isRemembered: false,
      session: null,
    });
  });

  it('answers 401 without credentials or with a wrong password', async () => {
    const missing = await t.http.get('/1.0/kb/security/permissions').expect(401);
    expect(missing.headers['www-authenticate']).toMatch(/basic/i);
    await t.http.get('/1.0/kb/security/permissions').set('Authorization', basicAuth('admin', 'wrong')).expect(401);
  });

  it('addRoleDefinition normalises permissions and getRoleDefinition reads them back', async () => {
    const created = await t.http
      .post('/1.0/kb/security/roles')
      .set(t.adminHeaders)
      .send({ role: 'accountant', permissions: ['account', 'invoice:credit', 'invoice:item_adjust', 'tenant_kvs:add'] })
      .expect(201);
    expect(created.headers.location).toMatch(/\/1\.0\/kb\/security\/roles\/accountant$/);
    const read = await t.http.get('/1.0/kb/security/roles/accountant').set(t.adminHeaders).expect(200);
    expect(read.body.role).toBe('accountant');
    expect([...read.body.permissions].sort()).toEqual(['account:*', 'invoice:credit', 'invoice:item_adjust', 'tenant_kvs:add']);
  });

  it('refuses a duplicate role (40004) and a malformed permission (40005) with 400', async () => {
    const duplicate = await t.http
      .post('/1.0/kb/security/roles')
      .set(t.adminHeaders)
      .send({ role: 'accountant', permissions: ['*'] })
      .expect(400);
    expect(duplicate.body.code).toBe(40004);
    const malformed = await t.http
      .post('/1.0/kb/security/roles')
      .set(t.adminHeaders)
      .send({ role: 'bad', permissions: ['a:b:c'] })
      .expect(400);
    expect(malformed.body).toMatchObject({ code: 40005, message: 'The permission a:b:c is invalid' });
    expect((await t.http.get('/1.0/kb/security/roles/bad').set(t.adminHeaders).expect(200)).body.permissions).toEqual([]);
  });

  it('updateRoleDefinition replaces the permissions of a role', async () => {
    await t.http
      .put('/1.0/kb/security/roles')
      .set(t.adminHeaders)
      .send({ role: 'accountant', permissions: ['account:create', 'tenant_kvs:add'] })
      .expect(204);
    const read = await t.http.get('/1.0/kb/security/roles/accountant').set(t.adminHeaders).expect(200);
    expect([...read.body.permissions].sort()).toEqual(['account:create', 'tenant_kvs:add']);
  });

  it('addUserRoles creates a user who can then authenticate with their permissions', async () => {
    const created = await t.http
      .post('/1.0/kb/security/users')
      .set(t.adminHeaders)
      .send({ username: 'anna', password: 'pw1', roles: ['accountant'] })
      .expect(201);
    expect(created.headers.location).toMatch(/\/1\.0\/kb\/security\/users\/anna\/roles$/);
    expect((await t.http.get('/1.0/kb/security/users/anna/roles').set(t.adminHeaders).expect(200)).body).toEqual({
      username: 'anna',
      password: null,
      roles: ['accountant'],
    });
    const permissions = await t.http.get('/1.0/kb/security/permissions').set(asUser('anna', 'pw1')).expect(200);
    expect([...permissions.body].sort()).toEqual(['account:create', 'tenant_kvs:add']);
  });

  it('refuses a duplicate user (40002) and a user without password', async () => {
    expect((await t.http.post('/1.0/kb/security/users').set(t.adminHeaders).send({ username: 'anna', password: 'x', roles: [] }).expect(400)).body.code).toBe(
      40002,
    );
    const noPassword = await t.http.post('/1.0/kb/security/users').set(t.adminHeaders).send({ username: 'bert', roles: [] }).expect(400);
    expect(noPassword.body.message).toContain('password');
  });

  it('a user lacking a permission gets 401 with the error JSON; granting the role lets them through', async () => {
    const tenant = await t.createTenant();
    const anna = { ...asUser('anna', 'pw1'), 'X-Killbill-ApiKey': tenant.apiKey, 'X-Killbill-ApiSecret': tenant.apiSecret };
    await t.http.post('/1.0/kb/tenants/userKeyValue/k').set(anna).set('Content-Type', 'text/plain').send('v').expect(201);
    const denied = await t.http.delete('/1.0/kb/tenants/userKeyValue/k').set(anna).expect(401);
    expect(denied.body.className).toBe('org.apache.shiro.authz.UnauthorizedException');
    await t.http
      .post('/1.0/kb/security/roles')
      .set(t.adminHeaders)
      .send({ role: 'kv-admin', permissions: ['tenant_kvs'] })
      .expect(201);
    await t.http
      .put('/1.0/kb/security/users/anna/roles')
      .set(t.adminHeaders)
      .send({ roles: ['accountant', 'kv-admin'] })
      .expect(204);
    await t.http.delete('/1.0/kb/tenants/userKeyValue/k').set(anna).expect(204);
  });

  it('updateUserPassword changes the password: the old one stops working', async () => {
    await t.http.put('/1.0/kb/security/users/anna/password').set(t.adminHeaders).send({ password: 'pw2' }).expect(204);
    await t.http.get('/1.0/kb/security/permissions').set(asUser('anna', 'pw1')).expect(401);
    await t.http.get('/1.0/kb/security/permissions').set(asUser('anna', 'pw2')).expect(200);
  });

  it('updateUserPassword, updateUserRoles and getUserRoles refuse an unknown user with 40001', async () => {
    expect((await t.http.put('/1.0/kb/security/users/ghost/password').set(t.adminHeaders).send({ password: 'x' }).expect(400)).body.code).toBe(40001);
    expect((await t.http.put('/1.0/kb/security/users/ghost/roles').set(t.adminHeaders).send({ roles: [] }).expect(400)).body.code).toBe(40001);
    expect((await t.http.get('/1.0/kb/security/users/ghost/roles').set(t.adminHeaders).expect(400)).body.code).toBe(40001);
  });

  it('invalidateUser: the user gets 401 on the next call', async () => {
    await t.http.delete('/1.0/kb/security/users/anna').set(t.adminHeaders).expect(204);
    await t.http.get('/1.0/kb/security/permissions').set(asUser('anna', 'pw2')).expect(401);
    expect((await t.http.delete('/1.0/kb/security/users/anna').set(t.adminHeaders).expect(400)).body.code).toBe(40001);
  });

  it('creating users and roles needs user:create', async () => {
    await t.http
      .post('/1.0/kb/security/users')
      .set(t.adminHeaders)
      .send({ username: 'limited', password: 'pw', roles: ['accountant'] })
      .expect(201);
    await t.http
      .post('/1.0/kb/security/roles')
      .set(asUser('limited', 'pw'))
      .send({ role: 'x', permissions: ['*'] })
      .expect(401);
    await t.http.post('/1.0/kb/security/users').set(asUser('limited', 'pw')).send({ username: 'y', password: 'pw', roles: [] }).expect(401);
  });

  it('writes history and audit rows for users, never the password', async () => {
    const rows = await t.query<{ change_type: string; created_by: string }>(
      `SELECT a.change_type, a.created_by FROM audit_log a JOIN users_history h ON h.record_id = a.target_record_id WHERE a.table_name = 'users' AND h.username = 'anna' ORDER BY a.record_id`,
    );
    expect(rows.map((r) => r.change_type)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    const columns = await t.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'users_history'`);
    expect(columns.map((c) => c.column_name)).not.toContain('password');
  });
});
