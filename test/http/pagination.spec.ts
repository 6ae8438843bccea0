import { buildOpenApiDocument } from '../../apps/killbill/src/openapi';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';
import { insertInvoice } from '../support/invoices';

/** Every paginated endpoint, with a request that would otherwise succeed. */
const PAGINATED: Readonly<Record<string, string>> = {
  '/1.0/kb/accounts/pagination': '/1.0/kb/accounts/pagination',
  '/1.0/kb/accounts/search/{searchKey}': '/1.0/kb/accounts/search/jane',
  '/1.0/kb/tags/pagination': '/1.0/kb/tags/pagination',
  '/1.0/kb/tags/search/{searchKey}': '/1.0/kb/tags/search/TEST',
  '/1.0/kb/customFields/pagination': '/1.0/kb/customFields/pagination',
  '/1.0/kb/customFields/search': '/1.0/kb/customFields/search?objectType=ACCOUNT&fieldName=color',
  '/1.0/kb/customFields/search/{searchKey}': '/1.0/kb/customFields/search/color',
  '/1.0/kb/bundles/pagination': '/1.0/kb/bundles/pagination',
  '/1.0/kb/bundles/search/{searchKey}': '/1.0/kb/bundles/search/pg-bundle',
  '/1.0/kb/accounts/{accountId}/bundles/pagination': '/1.0/kb/accounts/{accountId}/bundles/pagination',
  '/1.0/kb/accounts/{accountId}/invoices/pagination': '/1.0/kb/accounts/{accountId}/invoices/pagination',
  '/1.0/kb/invoices/pagination': '/1.0/kb/invoices/pagination',
  '/1.0/kb/invoices/search/{searchKey}': '/1.0/kb/invoices/search/USD',
  '/1.0/kb/paymentMethods/pagination': '/1.0/kb/paymentMethods/pagination',
  '/1.0/kb/paymentMethods/search/{searchKey}': '/1.0/kb/paymentMethods/search/EXTERNAL',
};

const BAD_BOUNDS: readonly (readonly [string, string])[] = [
  ['offset', '-1'],
  ['limit', '-1'],
  ['offset', 'abc'],
  ['limit', 'abc'],
  ['offset', '1.5'],
  ['limit', '99999999999999999999'],
  ['offset', '9223372036854775808'],
  ['limit', '9007199254740992'],
];

describe('Pagination bounds on every paginated endpoint', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    accountId = await createAccount(t, tenant);
    // Starting in the future: nothing is invoiced, so the one inserted invoice is all there is.
    await t.http
      .post('/1.0/kb/subscriptions')
      .query({ entitlementDate: '2099-01-01', billingDate: '2099-01-01' })
      .set(tenant.headers)
      .send({ accountId, planName: 'sports-monthly', bundleExternalKey: 'pg-bundle' })
      .expect(201);
    await insertInvoice(t, { accountId, items: [{ type: 'EXTERNAL_CHARGE', amount: '1' }] });
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send(['00000000-0000-0000-0000-000000000006']).expect(201);
    await t.http
      .post(`/1.0/kb/accounts/${accountId}/customFields`)
      .set(tenant.headers)
      .send([{ name: 'color', value: 'blue' }])
      .expect(201);
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: '__EXTERNAL_PAYMENT__' }).expect(201);
  });
  afterAll(() => t.close());

  it('covers every operation that declares offset/limit', () => {
    const document = buildOpenApiDocument(t.app);
    const paginated = Object.entries(document.paths)
      .filter(([, item]) => (item.get?.parameters ?? []).some((parameter) => 'name' in parameter && parameter.name === 'offset'))
      .map(([path]) => path);
    expect(paginated.sort()).toEqual(Object.keys(PAGINATED).sort());
  });

  describe.each(Object.entries(PAGINATED))('%s', (_operation, url) => {
    const withQuery = (query: string) => `${url.replace('{accountId}', accountId)}${url.includes('?') ? '&' : '?'}${query}`;

    it('answers 200 with the pagination headers for valid bounds', async () => {
      const response = await t.http.get(withQuery('offset=0&limit=9007199254740991')).set(tenant.headers).expect(200);
      expect(response.headers['x-killbill-pagination-currentoffset']).toBe('0');
      expect(response.body).toHaveLength(1);
    });

    it.each(BAD_BOUNDS)('answers 400 in Kill Bill error JSON for %s=%s', async (name, value) => {
      const response = await t.http
        .get(withQuery(`${name}=${value}`))
        .set(tenant.headers)
        .expect(400);
      expect(response.body).toMatchObject({ className: 'java.lang.IllegalArgumentException', message: expect.stringContaining(`Invalid ${name}: ${value}`) });
    });
  });

  it('keeps the exact-match account search offset=-1&limit=1', async () => {
    await t.http.get('/1.0/kb/accounts/search/Jane?offset=-1&limit=1').set(tenant.headers).expect(200);
    await t.http.get('/1.0/kb/tags/search/TEST?offset=-1&limit=1').set(tenant.headers).expect(400);
  });
});
