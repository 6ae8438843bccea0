import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/** The value decorators and the kernel's parsers at the HTTP edge: Kill Bill's 400s, exact money. */
describe('value decorators', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ 'org.killbill.server.test.mode': 'true' });
    tenant = await t.createTenant();
  });

  afterAll(async () => {
    await t.close();
  });

  const illegalArgument = (message: string) => ({ className: 'java.lang.IllegalArgumentException', code: null, message });

  it.each([
    [{ currency: 'XXX' }, 'Invalid currency for currency: XXX'],
    [{ currency: 42 }, 'Invalid currency for currency: 42'],
    [{ referenceTime: '2021-02-30T00:00:00.000Z' }, 'Invalid format: "2021-02-30T00:00:00.000Z" for referenceTime'],
    [{ referenceTime: '275760-09-13T00:00:00.000Z' }, 'Invalid format: "275760-09-13T00:00:00.000Z" for referenceTime'],
    [{ parentAccountId: '6b4e8bdb-36c5-4a8c-a0a2' }, 'parentAccountId must be a UUID'],
  ])('an account with %j is a 400: %s', async (body, message) => {
    const response = await t.http.post('/1.0/kb/accounts').set(tenant.headers).send(body).expect(400);
    expect(response.body).toMatchObject(illegalArgument(message));
  });

  it('accepts every Kill Bill date-time form for referenceTime', async () => {
    for (const [referenceTime, stored] of [
      ['2013-08-01T08:00:00+02:00', '2013-08-01T06:00:00.000Z'],
      ['2013-08-01T06:00:00', '2013-08-01T06:00:00.000Z'],
      ['2013-08-01', '2013-08-01T00:00:00.000Z'],
    ]) {
      const id = await createAccount(t, tenant, { referenceTime });
      const account = await t.http.get(`/1.0/kb/accounts/${id}`).set(tenant.headers).expect(200);
      expect(account.body.referenceTime).toBe(stored);
    }
  });

  it.each(['2021-02-30', '2020-13-45', '275760-09-13', 'tomorrow'])('a catalog requestedDate of %s is a 400, not a NaN date', async (requestedDate) => {
    const response = await t.http.get('/1.0/kb/catalog').query({ requestedDate }).set(tenant.headers).expect(400);
    expect(response.body).toMatchObject(illegalArgument(`Invalid format: "${requestedDate}" for requestedDate`));
  });

  it.each(['2021-02-30', '2021-02-30T00:00:00Z'])('a blocking state requestedDate of %s is a 400', async (requestedDate) => {
    const id = await createAccount(t, tenant);
    const response = await t.http
      .post(`/1.0/kb/accounts/${id}/block`)
      .query({ requestedDate })
      .set(tenant.headers)
      .send({ stateName: 'STOP', service: 'svc', isBlockChange: false, isBlockEntitlement: false, isBlockBilling: false, type: 'ACCOUNT' })
      .expect(400);
    expect(response.body).toMatchObject(illegalArgument(`Invalid format: "${requestedDate}" for requestedDate`));
  });

  it('a test clock requestedDate that is no date is a 400 (no longer read by the JS Date parser)', async () => {
    const response = await t.http.post('/1.0/kb/test/clock').query({ requestedDate: 'Aug 1, 2013' }).set(tenant.headers).expect(400);
    expect(response.body).toMatchObject(illegalArgument('Invalid format: "Aug 1, 2013" for requestedDate'));
  });

  describe('money', () => {
    const plan = (amount: unknown, currency: unknown = 'USD') => ({
      planId: 'exact-monthly',
      productName: 'Exact',
      productCategory: 'BASE',
      currency,
      amount,
      billingPeriod: 'MONTHLY',
    });

    it('reads a JSON number a double cannot hold digit for digit (12345678901234567.89)', async () => {
      const own = await t.createTenant();
      const body = JSON.stringify(plan(0)).replace('"amount":0', '"amount":12345678901234567.89');
      await t.http.post('/1.0/kb/catalog/simplePlan').set(own.headers).set('Content-Type', 'application/json').send(body).expect(201);
      const xml = await t.http.get('/1.0/kb/catalog/xml').set(own.headers).expect(200);
      expect(xml.text).toContain('<value>12345678901234567.89</value>');
    });

    it('reads an amount sent as a decimal string', async () => {
      const own = await t.createTenant();
      await t.http.post('/1.0/kb/catalog/simplePlan').set(own.headers).send(plan('0.10000000000000000001')).expect(201);
      const xml = await t.http.get('/1.0/kb/catalog/xml').set(own.headers).expect(200);
      expect(xml.text).toContain('<value>0.10000000000000000001</value>');
    });

    it.each([
      [plan('ten'), 'Invalid amount for amount: ten'],
      [plan(true), 'Invalid amount for amount: true'],
      [plan('NaN'), 'Invalid amount for amount: NaN'],
      [plan(10, 'XXX'), 'Invalid currency for currency: XXX'],
    ])('a simple plan %j is a 400: %s', async (body, message) => {
      const response = await t.http.post('/1.0/kb/catalog/simplePlan').set(tenant.headers).send(body).expect(400);
      expect(response.body).toMatchObject(illegalArgument(message));
    });
  });
});
