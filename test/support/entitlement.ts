import type { TestApp, TestTenant } from './test-app';

let created = 0;

/** A tenant reading the default global catalog (SpyCarAdvanced), as Kill Bill's `useGlobalDefault=true`. */
export async function globalCatalogTenant(t: TestApp): Promise<TestTenant> {
  const apiKey = `ent-${++created}-${Date.now()}`;
  const apiSecret = 'secret';
  const response = await t.http.post('/1.0/kb/tenants').query({ useGlobalDefault: true }).set(t.adminHeaders).send({ apiKey, apiSecret }).expect(201);
  const id = String(response.headers.location).split('/').pop() ?? '';
  return { id, apiKey, apiSecret, headers: { ...t.adminHeaders, 'X-Killbill-ApiKey': apiKey, 'X-Killbill-ApiSecret': apiSecret } };
}
