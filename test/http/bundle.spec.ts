import { EntitlementStore, SubscriptionService } from '@kb/entitlement';
import { newRequestContext, runWithContext, Transactions } from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const BUNDLES = '/1.0/kb/bundles';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

describe('Bundle resource and account bundles', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;
  let bundleId: string;
  let baseId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    accountId = await createAccount(t, tenant, { name: 'Bundles', currency: 'USD' });
    const created = await t.http
      .post('/1.0/kb/subscriptions/createSubscriptionWithAddOns')
      .set(tenant.headers)
      .send([
        { accountId, planName: 'sports-monthly', bundleExternalKey: 'bk-1', externalKey: 'bk-1-base' },
        { accountId, planName: 'oilslick-monthly' },
      ])
      .expect(201);
    bundleId = idOf(created.headers.location);
    for (const key of ['bk-2', 'bk-3']) {
      await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'standard-monthly', bundleExternalKey: key }).expect(201);
    }
    baseId = (await t.http.get('/1.0/kb/subscriptions').query({ externalKey: 'bk-1-base' }).set(tenant.headers).expect(200)).body.subscriptionId;
  });
  afterAll(() => t.close());

  it('getBundle: the Bundle JSON with its subscriptions and the merged timeline; 404 unknown and across tenants', async () => {
    const bundle = (await t.http.get(`${BUNDLES}/${bundleId}`).set(tenant.headers).expect(200)).body;
    expect(Object.keys(bundle)).toEqual(['accountId', 'bundleId', 'externalKey', 'subscriptions', 'timeline', 'auditLogs']);
    expect(Object.keys(bundle.timeline)).toEqual(['accountId', 'bundleId', 'externalKey', 'events', 'auditLogs']);
    expect(bundle).toMatchObject({ accountId, bundleId, externalKey: 'bk-1' });
    expect(bundle.subscriptions).toHaveLength(2);
    const dates = bundle.timeline.events.map((e: { effectiveDate: string }) => e.effectiveDate);
    expect([...dates].sort()).toEqual(dates);
    expect(bundle.timeline.events).toHaveLength(6);
    const missing = await t.http.get(`${BUNDLES}/00000000-0000-0000-0000-000000000003`).set(tenant.headers).expect(404);
    expect(missing.body.message).toBe("Object id=00000000-0000-0000-0000-000000000003 type=BUNDLE doesn't exist!");
    await t.http.get(`${BUNDLES}/${bundleId}`).set(other.headers).expect(404);
  });

  it('getBundleByKey: the active bundle in a list; 404/1084 for an unknown key', async () => {
    const found = (await t.http.get(BUNDLES).query({ externalKey: 'bk-1' }).set(tenant.headers).expect(200)).body;
    expect(found.map((b: { bundleId: string }) => b.bundleId)).toEqual([bundleId]);
    const unknown = await t.http.get(BUNDLES).query({ externalKey: 'nope' }).set(tenant.headers).expect(404);
    expect(unknown.body.code).toBe(1084);
    await t.http.get(BUNDLES).query({ externalKey: 'bk-1' }).set(other.headers).expect(404);
  });

  it('getBundles and searchBundles page in SQL with the pagination headers', async () => {
    const page = await t.http.get(`${BUNDLES}/pagination`).query({ offset: 1, limit: 1 }).set(tenant.headers).expect(200);
    expect(page.body).toHaveLength(1);
    expect(page.body[0].externalKey).toBe('bk-2');
    expect(page.headers['x-killbill-pagination-totalnbrecords']).toBe('3');
    expect(page.headers['x-killbill-pagination-nextoffset']).toBe('2');
    const search = await t.http.get(`${BUNDLES}/search/bk-`).set(tenant.headers).expect(200);
    expect(search.body.map((b: { externalKey: string }) => b.externalKey)).toEqual(['bk-1', 'bk-2', 'bk-3']);
    const byAccount = await t.http.get(`${BUNDLES}/search/${accountId}`).set(tenant.headers).expect(200);
    expect(byAccount.body).toHaveLength(3);
    expect((await t.http.get(`${BUNDLES}/search/bk-`).set(other.headers).expect(200)).body).toEqual([]);
  });

  it('getAccountBundles (externalKey, bundlesFilter) and getAccountBundlesPaginated; 404 for an unknown account', async () => {
    const all = (await t.http.get(`/1.0/kb/accounts/${accountId}/bundles`).set(tenant.headers).expect(200)).body;
    expect(all.map((b: { externalKey: string }) => b.externalKey)).toEqual(['bk-1', 'bk-2', 'bk-3']);
    const one = (await t.http.get(`/1.0/kb/accounts/${accountId}/bundles`).query({ externalKey: 'bk-2' }).set(tenant.headers).expect(200)).body;
    expect(one.map((b: { externalKey: string }) => b.externalKey)).toEqual(['bk-2']);
    const filtered = (await t.http.get(`/1.0/kb/accounts/${accountId}/bundles`).query({ bundlesFilter: `${bundleId},${all[2].bundleId}` }).set(tenant.headers).expect(200)).body;
    expect(filtered.map((b: { externalKey: string }) => b.externalKey)).toEqual(['bk-1', 'bk-3']);
    const paged = await t.http.get(`/1.0/kb/accounts/${accountId}/bundles/pagination`).query({ limit: 2 }).set(tenant.headers).expect(200);
    expect(paged.body).toHaveLength(2);
    expect(paged.headers['x-killbill-pagination-totalnbrecords']).toBe('3');
    const unknown = await t.http.get('/1.0/kb/accounts/00000000-0000-0000-0000-000000000004/bundles').set(tenant.headers).expect(404);
    expect(unknown.body.code).toBe(3002);
  });

  it('loads an account’s bundles in one batch (four queries), not one load per bundle', async () => {
    const store = t.app.get(EntitlementStore, { strict: false });
    const load = jest.spyOn(store, 'loadBundles');
    try {
      await t.http.get(`/1.0/kb/accounts/${accountId}/bundles`).set(tenant.headers).expect(200);
      expect(load).toHaveBeenCalledTimes(1);
      expect(load.mock.calls[0][2]).toHaveLength(3);
    } finally {
      load.mockRestore();
    }
  });

  it('setChargedThroughDate writes the CTD (with history) that getSubscription shows as a local date', async () => {
    const service = t.app.get(SubscriptionService, { strict: false });
    const transactions = t.app.get(Transactions);
    const historyOf = () =>
      t.query<{ change_type: string }>(
        `SELECT h.change_type FROM subscriptions_history h JOIN subscriptions s ON s.record_id = h.target_record_id WHERE s.id = $1 ORDER BY h.record_id`,
        [baseId],
      );
    // Invoicing has already written the trial's CTD: this write is one UPDATE more.
    const before = await historyOf();
    const [tenantRow] = await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]);
    await runWithContext({ ...newRequestContext(), tenant: { recordId: Number(tenantRow.record_id) } }, () =>
      transactions.run(() => service.setChargedThroughDate(baseId, new Date('2013-09-30T10:00:00.000Z'))),
    );
    const sub = (await t.http.get(`/1.0/kb/subscriptions/${baseId}`).set(tenant.headers).expect(200)).body;
    expect(sub.chargedThroughDate).toBe('2013-09-30');
    expect((await historyOf()).map((h) => h.change_type)).toEqual([...before.map((h) => h.change_type), 'UPDATE']);
  });
});
