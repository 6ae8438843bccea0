import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

describe('DELETE /1.0/kb/admin/cache/accounts/{accountId} (invalidatesCacheByAccount)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    accountId = await createAccount(t, tenant);
  });
  afterAll(() => t.close());

  it('answers 204 for an account of the tenant, which stays readable', async () => {
    await t.http.delete(`/1.0/kb/admin/cache/accounts/${accountId}`).set(tenant.headers).expect(204);
    await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200);
  });

  it('resolves the account as Kill Bill does: 404 for an unknown one or another tenant\'s, 400 for a malformed id', async () => {
    const unknown = randomUUID();
    const response = await t.http.delete(`/1.0/kb/admin/cache/accounts/${unknown}`).set(tenant.headers).expect(404);
    expect(response.body).toMatchObject({ code: 3002, message: `Account does not exist for id ${unknown}` });
    const other = await t.createTenant();
    await t.http.delete(`/1.0/kb/admin/cache/accounts/${accountId}`).set(other.headers).expect(404);
    await t.http.delete('/1.0/kb/admin/cache/accounts/not-a-uuid').set(tenant.headers).expect(400);
  });
});
