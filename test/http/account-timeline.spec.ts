import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

describe('GET /1.0/kb/accounts/{accountId}/timeline (getAccountTimeline)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    accountId = await createAccount(t, tenant, { name: 'Timeline', currency: 'USD' });
    await t.http
      .post('/1.0/kb/subscriptions/createSubscriptionWithAddOns')
      .set(tenant.headers)
      .send([
        { accountId, planName: 'sports-monthly', bundleExternalKey: 'tl-1' },
        { accountId, planName: 'oilslick-monthly' },
      ])
      .expect(201);
    await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'standard-monthly', bundleExternalKey: 'tl-2' }).expect(201);
    // Invoicing runs on the subscriptions' events: wait for it, so the reads below see a settled account.
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
  });
  afterAll(() => t.close());

  it('the account, its bundles with their subscriptions and timelines, its invoices, and (with none made) no payments', async () => {
    const timeline = (await t.http.get(`/1.0/kb/accounts/${accountId}/timeline`).set(tenant.headers).expect(200)).body;
    expect(Object.keys(timeline)).toEqual(['account', 'bundles', 'invoices', 'payments']);
    expect(timeline.account).toMatchObject({ accountId, name: 'Timeline', currency: 'USD', accountBalance: null, accountCBA: null, auditLogs: [] });
    expect(timeline.bundles.map((b: { externalKey: string }) => b.externalKey)).toEqual(['tl-1', 'tl-2']);
    expect(timeline.bundles[0].subscriptions.map((s: { planName: string }) => s.planName)).toEqual(['sports-monthly', 'oilslick-monthly']);
    expect(timeline.bundles[0].timeline.events.map((e: { eventType: string }) => e.eventType)).toContain('PHASE');
    const invoices = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(tenant.headers).expect(200)).body as { invoiceId: string }[];
    expect(invoices.length).toBeGreaterThan(0);
    expect(timeline.invoices.map((invoice: { invoiceId: string }) => invoice.invoiceId)).toEqual(invoices.map((invoice) => invoice.invoiceId));
    expect(timeline.payments).toEqual([]);
    // The same answer as the bundle reads give.
    const bundles = (await t.http.get(`/1.0/kb/accounts/${accountId}/bundles`).set(tenant.headers).expect(200)).body;
    expect(timeline.bundles).toEqual(bundles);
  });

  it('parallel=true gives the same answer; audit=FULL carries the audit logs of the account, bundles and subscriptions', async () => {
    const sequential = (await t.http.get(`/1.0/kb/accounts/${accountId}/timeline`).set(tenant.headers).expect(200)).body;
    const parallel = (await t.http.get(`/1.0/kb/accounts/${accountId}/timeline`).query({ parallel: true }).set(tenant.headers).expect(200)).body;
    expect(parallel).toEqual(sequential);
    const audited = (await t.http.get(`/1.0/kb/accounts/${accountId}/timeline`).query({ audit: 'FULL' }).set(tenant.headers).expect(200)).body;
    expect(audited.account.auditLogs[0]).toMatchObject({ changeType: 'INSERT', objectType: 'ACCOUNT', objectId: accountId });
    expect(audited.bundles[0].auditLogs[0]).toMatchObject({ changeType: 'INSERT', objectType: 'BUNDLE' });
    expect(audited.bundles[0].subscriptions[0].auditLogs[0]).toMatchObject({ changeType: 'INSERT', objectType: 'SUBSCRIPTION' });
  });

  it('an account without bundles has an empty list', async () => {
    const lonely = await createAccount(t, tenant, { name: 'Lonely', currency: 'EUR' });
    expect((await t.http.get(`/1.0/kb/accounts/${lonely}/timeline`).set(tenant.headers).expect(200)).body).toMatchObject({
      bundles: [],
      invoices: [],
      payments: [],
    });
  });

  it('404 for an unknown account and for one of another tenant; 400 for a malformed id or audit level', async () => {
    const unknown = await t.http.get('/1.0/kb/accounts/00000000-0000-0000-0000-0000000000aa/timeline').set(tenant.headers).expect(404);
    expect(unknown.body.code).toBe(3002);
    await t.http.get(`/1.0/kb/accounts/${accountId}/timeline`).set(other.headers).expect(404);
    await t.http.get('/1.0/kb/accounts/nope/timeline').set(tenant.headers).expect(400);
    await t.http.get(`/1.0/kb/accounts/${accountId}/timeline`).query({ audit: 'LOUD' }).set(tenant.headers).expect(400);
  });
});
