import { basicAuth, createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const ACCOUNTS = '/1.0/kb/accounts';

/** Input no resource can use is refused at the edge with a 400 (or 405/415) naming it, and writes nothing. */
describe('Bad input at the edge', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;

  const accountCount = async (): Promise<number> => Number((await t.query<{ n: string }>('SELECT count(*) AS n FROM accounts'))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    accountId = await createAccount(t, tenant);
  });
  afterAll(() => t.close());

  describe('bodies', () => {
    it('refuses a JSON write without Content-Type with 415 and creates nothing', async () => {
      const before = await accountCount();
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).send(Buffer.from('{"name":"x","currency":"USD"}')).expect(415);
      expect(response.body).toEqual(expect.objectContaining({ message: expect.stringContaining('Unsupported Media Type') }));
      await t.http.post(ACCOUNTS).set(tenant.headers).set('Content-Type', 'text/plain').send('{"name":"x"}').expect(415);
      expect(await accountCount()).toBe(before);
    });

    it('refuses an empty JSON body with 400 and creates nothing', async () => {
      const before = await accountCount();
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).set('Content-Type', 'application/json').send('').expect(400);
      expect(response.body.message).toBe('AccountJson body should be specified');
      expect(await accountCount()).toBe(before);
    });

    it('refuses a NUL character in a body field, a field name or a text body', async () => {
      const before = await accountCount();
      expect((await t.http.post(ACCOUNTS).set(tenant.headers).send({ name: 'a\u0000b', currency: 'USD' }).expect(400)).body.message).toContain('body.name');
      await t.http.post(ACCOUNTS).set(tenant.headers).send({ 'na\u0000me': 'a', currency: 'USD' }).expect(400);
      await t.http.post('/1.0/kb/tenants/userKeyValue/k').set(tenant.headers).set('Content-Type', 'text/plain').send('v\u0000').expect(400);
      expect(await accountCount()).toBe(before);
    });

    it('refuses an unpaired UTF-16 surrogate and writes no user or role', async () => {
      const lone = '{"username":"bad\\ud800","password":"p","roles":[]}';
      await t.http.post('/1.0/kb/security/users').set(t.adminHeaders).set('Content-Type', 'application/json').send(lone).expect(400);
      await t.http.post('/1.0/kb/security/roles').set(t.adminHeaders).set('Content-Type', 'application/json').send('{"role":"r\\udc00","permissions":[]}').expect(400);
      expect(await t.query(`SELECT 1 FROM users WHERE username LIKE 'bad%'`)).toEqual([]);
      // a proper pair is fine
      await t.http.post('/1.0/kb/security/roles').set(t.adminHeaders).set('Content-Type', 'application/json').send('{"role":"r\\ud83d\\ude00","permissions":["account:*"]}').expect(201);
    });

    it('refuses JSON nested 5,000 levels deep with 400', async () => {
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).set('Content-Type', 'application/json').send(deep).expect(400);
      expect(response.body.message).toContain('nested deeper');
    });
  });

  describe('paths, queries and headers', () => {
    it('refuses a NUL character in a path or a query parameter', async () => {
      await t.http.get(`${ACCOUNTS}/a%00b`).set(tenant.headers).expect(400);
      await t.http.get(`${ACCOUNTS}/search/a%00b`).set(tenant.headers).expect(400);
      await t.http.get(`${ACCOUNTS}/${accountId}?audit=FULL%00`).set(tenant.headers).expect(400);
    });

    it('refuses a single-valued query parameter given twice, and accepts a list parameter repeated', async () => {
      const response = await t.http.get(`${ACCOUNTS}/${accountId}?audit=FULL&audit=NONE`).set(tenant.headers).expect(400);
      expect(response.body.message).toBe('Query parameter audit is given more than once');
      await t.http.post(`/1.0/kb/test/clock?requestedDate=2020-01-01&requestedDate=2021-01-01`).set(tenant.headers).expect(400);
      await t.http.get(`${ACCOUNTS}/${accountId}/block?blockingStateTypes=ACCOUNT&blockingStateTypes=SUBSCRIPTION`).set(tenant.headers).expect(200);
    });

    it('refuses X-Killbill-Reason or X-Killbill-Comment over 255 characters on a write, writing nothing', async () => {
      const before = await accountCount();
      for (const header of ['X-Killbill-Reason', 'X-Killbill-Comment']) {
        const response = await t.http
          .post(ACCOUNTS)
          .set({ ...tenant.headers, [header]: 'r'.repeat(256) })
          .send({ name: 'x', currency: 'USD' })
          .expect(400);
        expect(response.body.message).toBe(`Header ${header} is longer than 255 characters`);
      }
      await t.http
        .post(ACCOUNTS)
        .set({ ...tenant.headers, 'X-Killbill-Reason': 'r'.repeat(255) })
        .send({ name: 'x', currency: 'USD' })
        .expect(201);
      expect(await accountCount()).toBe(before + 1);
    });

    it('answers a wrong method on a known path with 405 and Allow', async () => {
      const response = await t.http.put(`${ACCOUNTS}/${accountId}/emails`).set(tenant.headers).send({}).expect(405);
      expect(response.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
      expect(response.body.className).toBe('javax.ws.rs.NotAllowedException');
      await t.http.delete('/1.0/kb/tenants').set({ Authorization: basicAuth('admin', 'password') }).expect(405);
      await t.http.get('/1.0/kb/no-such-resource').set(tenant.headers).expect(404);
    });
  });
});
