import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const SPY_CAR_BASIC = readFileSync(join(__dirname, '../fixtures/catalogs/SpyCarBasic.xml'), 'utf8');

describe('Admin cache endpoints', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let price = 100;

  const standardMonthlyUsd = async (): Promise<number> => {
    const response = await t.http.get('/1.0/kb/catalog').set(tenant.headers).expect(200);
    const plan = response.body[0].products.flatMap((p: { plans: unknown[] }) => p.plans).find((p: { name: string }) => p.name === 'standard-monthly');
    return plan.phases[1].prices.find((p: { currency: string }) => p.currency === 'USD').value;
  };

  /** Changes the stored document behind the server's back (as another node or a DBA would). */
  const rewriteStoredPrice = async (): Promise<number> => {
    const next = price + 1;
    await t.query(
      `UPDATE tenant_kvs SET tenant_value = replace(tenant_value, '<value>${price}.00</value>', '<value>${next}.00</value>')
        WHERE tenant_key = 'CATALOG' AND is_active AND tenant_value LIKE '%SpyCarBasic%' AND tenant_record_id = (SELECT record_id FROM tenants WHERE id = $1)`,
      [tenant.id],
    );
    price = next;
    return next;
  };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    await t.http.post('/1.0/kb/catalog/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(SPY_CAR_BASIC).expect(201);
    expect(await standardMonthlyUsd()).toBe(100);
  });
  afterAll(() => t.close());

  it('DELETE /admin/cache?cacheName=tenant-catalog drops the parsed catalogs', async () => {
    const next = await rewriteStoredPrice();
    expect(await standardMonthlyUsd()).toBe(100); // served from the cache
    await t.http.delete('/1.0/kb/admin/cache').query({ cacheName: 'tenant-catalog' }).set(tenant.headers).expect(204);
    expect(await standardMonthlyUsd()).toBe(next);
  });

  it('DELETE /admin/cache without a name drops every cache', async () => {
    const previous = price;
    const next = await rewriteStoredPrice();
    expect(await standardMonthlyUsd()).toBe(previous);
    await t.http.delete('/1.0/kb/admin/cache').set(tenant.headers).expect(204);
    expect(await standardMonthlyUsd()).toBe(next);
  });

  it('DELETE /admin/cache/tenants drops the caches of the tenant', async () => {
    const previous = price;
    const next = await rewriteStoredPrice();
    expect(await standardMonthlyUsd()).toBe(previous);
    await t.http.delete('/1.0/kb/admin/cache/tenants').set(tenant.headers).expect(204);
    expect(await standardMonthlyUsd()).toBe(next);
  });

  it('DELETE /admin/cache?cacheName=tenant-overdue-config drops the parsed overdue configurations', async () => {
    const overdueXml = readFileSync(join(__dirname, '../fixtures/overdue/OverdueConfig.xml'), 'utf8');
    await t.http.post('/1.0/kb/overdue/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(overdueXml).expect(201);
    // The upload's TENANT_CONFIG_CHANGE drops the parsed configuration when delivered: delivered first, it cannot do so mid-test.
    while ((await t.query(`SELECT 1 FROM bus_deliveries LIMIT 1`)).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const firstStateName = async (): Promise<string> => (await t.http.get('/1.0/kb/overdue').set(tenant.headers).expect(200)).body.overdueStates[0].name;
    const before = await firstStateName();
    await t.query(
      `UPDATE tenant_kvs SET tenant_value = replace(tenant_value, 'name="${before}"', 'name="${before}X"')
        WHERE tenant_key = 'OVERDUE_CONFIG' AND is_active AND tenant_record_id = (SELECT record_id FROM tenants WHERE id = $1)`,
      [tenant.id],
    );
    expect(await firstStateName()).toBe(before); // served from the cache
    await t.http.delete('/1.0/kb/admin/cache').query({ cacheName: 'tenant-overdue-config' }).set(tenant.headers).expect(204);
    expect(await firstStateName()).toBe(`${before}X`);
  });

  it('accepts every Kill Bill cache name and refuses an unknown one with 400', async () => {
    for (const cacheName of ['tenant', 'tenant-kv', 'account-immutable', 'record-id']) {
      await t.http.delete('/1.0/kb/admin/cache').query({ cacheName }).set(tenant.headers).expect(204);
    }
    await t.http.delete('/1.0/kb/admin/cache').query({ cacheName: 'no-such-cache' }).set(tenant.headers).expect(400);
  });

  it('needs credentials', async () => {
    await t.http.delete('/1.0/kb/admin/cache').expect(401);
    await t.http.delete('/1.0/kb/admin/cache/tenants').set({ Authorization: tenant.headers.Authorization }).expect(401);
  });
});
