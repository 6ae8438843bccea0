import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

describe('Catalog entries of a subscription at a date (getPlan/Phase/PriceList/ProductForSubscriptionAndDate)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let subscriptionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    const accountId = await createAccount(t, tenant, { name: 'Cat', currency: 'USD' });
    const created = await t.http
      .post('/1.0/kb/subscriptions')
      .query({ entitlementDate: '2013-08-01T00:00:00Z', billingDate: '2013-08-01T00:00:00Z' })
      .set(tenant.headers)
      .send({ accountId, planName: 'sports-monthly' })
      .expect(201);
    subscriptionId = idOf(created.headers.location);
  });
  afterAll(() => t.close());

  const get = (what: string, requestedDate?: string, headers = tenant.headers) =>
    t.http
      .get(`/1.0/kb/catalog/${what}`)
      .query({ subscriptionId, ...(requestedDate ? { requestedDate } : {}) })
      .set(headers);

  it('the plan in force, as the catalog JSON shows it', async () => {
    const plan = (await get('plan', '2013-08-15').expect(200)).body;
    expect(plan).toMatchObject({ name: 'sports-monthly', prettyName: 'sports-monthly', billingPeriod: 'MONTHLY' });
    expect(plan.phases.map((p: { type: string }) => p.type)).toEqual(['TRIAL', 'EVERGREEN']);
  });

  it('the phase: TRIAL during the trial, EVERGREEN after it (a bare date is midnight UTC, as Kill Bill reads it)', async () => {
    expect((await get('phase', '2013-08-15').expect(200)).body).toEqual({
      type: 'TRIAL',
      prices: [],
      fixedPrices: [],
      duration: { unit: 'DAYS', number: 30 },
      usages: [],
    });
    const evergreen = (await get('phase', '2013-8-31').expect(200)).body;
    expect(evergreen.type).toBe('EVERGREEN');
    expect(evergreen.prices).toContainEqual({ currency: 'USD', value: 500 });
    expect((await get('phase', '2013-08-30T23:59:59Z').expect(200)).body.type).toBe('TRIAL');
    expect((await get('phase').expect(200)).body.type).toBe('EVERGREEN');
  });

  it('the price list and the product (without its plans)', async () => {
    const priceList = (await get('priceList', '2013-08-15').expect(200)).body;
    expect(priceList.name).toBe('DEFAULT');
    expect(priceList.plans).toContain('sports-monthly');
    expect((await get('product', '2013-08-15').expect(200)).body).toEqual({
      type: 'BASE',
      name: 'Sports',
      prettyName: 'Sports',
      plans: [],
      included: [],
      available: expect.arrayContaining(['OilSlick', 'RemoteControl']),
    });
  });

  it('400 text/plain before the start and after the cancel; 400 without id; 404 unknown or in another tenant', async () => {
    const before = await get('plan', '2013-07-01').expect(400);
    expect(before.headers['content-type']).toMatch(/^text\/plain/);
    expect(before.text).toBe('2013-07-01 is before the subscription start date');
    await t.query(
      `INSERT INTO blocking_states (id, blockable_id, type, state, service, block_change, block_entitlement, block_billing, effective_date, is_active,
                                    created_date, created_by, updated_date, updated_by, tenant_record_id, account_record_id)
       SELECT gen_random_uuid(), blockable_id, type, 'ENT_CANCELLED', service, true, true, false, '2013-10-01T00:00:00Z', true,
              created_date, created_by, updated_date, updated_by, tenant_record_id, account_record_id
       FROM blocking_states WHERE blockable_id = $1 AND state = 'ENT_STARTED'`,
      [subscriptionId],
    );
    const after = await get('product', '2013-10-02').expect(400);
    expect(after.text).toBe('2013-10-02 is after the subscription cancel date');
    expect((await get('product', '2013-09-30').expect(200)).body.name).toBe('Sports');
    const missing = await t.http.get('/1.0/kb/catalog/plan').set(tenant.headers).expect(400);
    expect(missing.body.message).toBe('Subscription id needs to be specified');
    await get('phase', 'not-a-date').expect(400);
    await get('plan', '2013-08-15', other.headers).expect(404);
    const unknown = await t.http.get('/1.0/kb/catalog/plan').query({ subscriptionId: '00000000-0000-0000-0000-0000000000aa' }).set(tenant.headers).expect(404);
    expect(unknown.body.message).toBe("Object id=00000000-0000-0000-0000-0000000000aa type=SUBSCRIPTION doesn't exist!");
  });
});
