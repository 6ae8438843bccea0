import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const EXTERNAL = '__EXTERNAL_PAYMENT__';
const TEST_PLUGIN = 'killbill-payment-test';

describe('Payment methods: /accounts/{id}/paymentMethods, /paymentMethods', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    other = await t.createTenant();
  });
  afterAll(() => t.close());

  const addMethod = async (accountId: string, body: Record<string, unknown>, query: Record<string, string> = {}) => {
    const response = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query(query).set(tenant.headers).send(body).expect(201);
    return String(response.headers.location).split('/').pop() as string;
  };
  const accountDefault = async (accountId: string) => (await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200)).body.paymentMethodId;

  it('adds an external payment method as the default: 201 + Location, the account points at it, its key is the plugin\'s "unknown"', async () => {
    const accountId = await createAccount(t, tenant);
    const id = await addMethod(accountId, { pluginName: EXTERNAL }, { isDefault: 'true' });
    const method = (await t.http.get(`/1.0/kb/paymentMethods/${id}`).set(tenant.headers).expect(200)).body;
    expect(method).toMatchObject({ paymentMethodId: id, accountId, isDefault: true, pluginName: EXTERNAL, pluginInfo: null });
    expect(await accountDefault(accountId)).toBe(id);
    const [history] = await t.query<{ count: string }>('SELECT count(*) FROM payment_methods_history WHERE id = $1', [id]);
    expect(Number(history.count)).toBe(1);
    const audited = (await t.http.get(`/1.0/kb/paymentMethods/${id}/auditLogsWithHistory`).set(tenant.headers).expect(200)).body;
    expect(audited[0]).toMatchObject({ changeType: 'INSERT', objectType: 'PAYMENT_METHOD', objectId: id });
  });

  it('refuses a second external method on one account (7023) and a plugin that is not registered (7028); writes nothing', async () => {
    const accountId = await createAccount(t, tenant);
    await addMethod(accountId, { pluginName: EXTERNAL, externalKey: `ext-${randomUUID()}` });
    const second = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: EXTERNAL }).expect(400);
    expect(second.body).toMatchObject({ code: 7023 });
    const unknown = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: 'no-such-plugin' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 7028 });
    await t.http.post(`/1.0/kb/accounts/${randomUUID()}/paymentMethods`).set(tenant.headers).send({ pluginName: EXTERNAL }).expect(404);
    const [rows] = await t.query<{ count: string }>('SELECT count(*) FROM payment_methods WHERE account_id = $1', [accountId]);
    expect(Number(rows.count)).toBe(1);
  });

  it('finds a method by external key, lists and pages them; a taken external key is refused', async () => {
    const accountId = await createAccount(t, tenant);
    const key = `pm-${randomUUID()}`;
    const id = await addMethod(accountId, { pluginName: TEST_PLUGIN, externalKey: key });
    expect((await t.http.get('/1.0/kb/paymentMethods').query({ externalKey: key }).set(tenant.headers).expect(200)).body.paymentMethodId).toBe(id);
    expect((await t.http.get('/1.0/kb/paymentMethods').query({ externalKey: 'missing' }).set(tenant.headers).expect(404)).body.code).toBe(7000);
    const list = (await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).expect(200)).body;
    expect(list.map((pm: { paymentMethodId: string }) => pm.paymentMethodId)).toEqual([id]);
    const page = await t.http.get('/1.0/kb/paymentMethods/pagination').query({ pluginName: TEST_PLUGIN }).set(tenant.headers).expect(200);
    expect(page.body.map((pm: { paymentMethodId: string }) => pm.paymentMethodId)).toContain(id);
    expect(page.headers['x-killbill-pagination-totalnbrecords']).toBeDefined();
    const found = (await t.http.get(`/1.0/kb/paymentMethods/search/${key}`).set(tenant.headers).expect(200)).body;
    expect(found.map((pm: { paymentMethodId: string }) => pm.paymentMethodId)).toEqual([id]);
    const byAccount = (await t.http.get(`/1.0/kb/paymentMethods/search/${accountId}`).set(tenant.headers).expect(200)).body;
    expect(byAccount).toHaveLength(1);
    const taken = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: TEST_PLUGIN, externalKey: key }).expect(400);
    expect(taken.body.code).toBe(7005);
    const withInfo = (await t.http.get(`/1.0/kb/paymentMethods/${id}`).query({ withPluginInfo: true }).set(tenant.headers).expect(200)).body;
    expect(withInfo.pluginInfo).toEqual({ externalPaymentMethodId: null, isDefaultPaymentMethod: false, properties: [] });
  });

  it('sets the default; deleting it needs a flag (7022), deleteDefaultPmWithAutoPayOff tags AUTO_PAY_OFF and clears the default', async () => {
    const accountId = await createAccount(t, tenant);
    const first = await addMethod(accountId, { pluginName: TEST_PLUGIN });
    const second = await addMethod(accountId, { pluginName: TEST_PLUGIN });
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/${second}/setDefault`).set(tenant.headers).expect(204);
    expect(await accountDefault(accountId)).toBe(second);
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/${randomUUID()}/setDefault`).set(tenant.headers).expect(404);
    const refused = await t.http.delete(`/1.0/kb/paymentMethods/${second}`).set(tenant.headers).expect(400);
    expect(refused.body.code).toBe(7022);
    await t.http.delete(`/1.0/kb/paymentMethods/${first}`).set(tenant.headers).expect(204);
    await t.http.get(`/1.0/kb/paymentMethods/${first}`).set(tenant.headers).expect(404);
    expect((await t.http.get(`/1.0/kb/paymentMethods/${first}`).query({ includedDeleted: true }).set(tenant.headers).expect(200)).body.paymentMethodId).toBe(first);
    await t.http.delete(`/1.0/kb/paymentMethods/${second}`).query({ deleteDefaultPmWithAutoPayOff: true }).set(tenant.headers).expect(204);
    expect(await accountDefault(accountId)).toBeNull();
    const tags = (await t.http.get(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).expect(200)).body;
    expect(tags.map((tag: { tagDefinitionName: string }) => tag.tagDefinitionName)).toContain('AUTO_PAY_OFF');
    expect((await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ includedDeleted: true }).set(tenant.headers).expect(200)).body).toHaveLength(2);
  });

  it('refresh keeps what the plugin reports and deletes the rest of that plugin (the external plugin reports none)', async () => {
    const accountId = await createAccount(t, tenant);
    const kept = await addMethod(accountId, { pluginName: TEST_PLUGIN }, { isDefault: 'true' });
    const external = await addMethod(accountId, { pluginName: EXTERNAL, externalKey: `ext-${randomUUID()}` });
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/refresh`).query({ pluginName: TEST_PLUGIN }).set(tenant.headers).expect(204);
    let ids = (await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).expect(200)).body.map((pm: { paymentMethodId: string }) => pm.paymentMethodId);
    expect(ids.sort()).toEqual([kept, external].sort());
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/refresh`).query({ pluginName: EXTERNAL }).set(tenant.headers).expect(204);
    ids = (await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).expect(200)).body.map((pm: { paymentMethodId: string }) => pm.paymentMethodId);
    expect(ids).toEqual([kept]);
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/refresh`).query({ pluginName: 'nope' }).set(tenant.headers).expect(400);
  });

  it('custom fields work on payment methods through the generic routes', async () => {
    const accountId = await createAccount(t, tenant);
    const id = await addMethod(accountId, { pluginName: TEST_PLUGIN });
    await t.http.post(`/1.0/kb/paymentMethods/${id}/customFields`).set(tenant.headers).send([{ name: 'bank', value: 'acme' }]).expect(201);
    const fields = (await t.http.get(`/1.0/kb/paymentMethods/${id}/customFields`).set(tenant.headers).expect(200)).body;
    expect(fields).toMatchObject([{ objectType: 'PAYMENT_METHOD', objectId: id, name: 'bank', value: 'acme' }]);
  });

  it('is tenant-isolated: another tenant sees none of these methods', async () => {
    const accountId = await createAccount(t, tenant);
    const key = `iso-${randomUUID()}`;
    const id = await addMethod(accountId, { pluginName: TEST_PLUGIN, externalKey: key });
    await t.http.get(`/1.0/kb/paymentMethods/${id}`).set(other.headers).expect(404);
    await t.http.get('/1.0/kb/paymentMethods').query({ externalKey: key }).set(other.headers).expect(404);
    await t.http.delete(`/1.0/kb/paymentMethods/${id}`).set(other.headers).expect(404);
    await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(other.headers).expect(404);
    expect((await t.http.get(`/1.0/kb/paymentMethods/search/${key}`).set(other.headers).expect(200)).body).toEqual([]);
    // The same external key in another tenant is a method of its own.
    const otherAccount = await createAccount(t, other);
    await t.http.post(`/1.0/kb/accounts/${otherAccount}/paymentMethods`).set(other.headers).send({ pluginName: TEST_PLUGIN, externalKey: key }).expect(201);
  });
});
