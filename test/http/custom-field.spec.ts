import { randomUUID } from 'node:crypto';
import { createAccount as createTestAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

describe('CustomField resource', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let createAccount: (tenant: TestTenant) => Promise<string>;
  const accounts: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    createAccount = (owner) => createTestAccount(t, owner);
    for (let i = 0; i < 2; i++) accounts.push(await createAccount(tenant));
    await t.http
      .post(`/1.0/kb/accounts/${accounts[0]}/customFields`)
      .set(tenant.headers)
      .send([
        { name: 'color', value: 'red' },
        { name: 'size', value: 'large' },
      ])
      .expect(201);
    await t.http
      .post(`/1.0/kb/accounts/${accounts[1]}/customFields`)
      .set(tenant.headers)
      .send([
        { name: 'color', value: 'blue' },
        { name: 'removed', value: 'x' },
      ])
      .expect(201);
    const fields = (await t.http.get(`/1.0/kb/accounts/${accounts[1]}/customFields`).set(tenant.headers).expect(200)).body;
    await t.http.delete(`/1.0/kb/accounts/${accounts[1]}/customFields?customField=${fields[1].customFieldId}`).set(tenant.headers).expect(204);
  });
  afterAll(() => t.close());

  const names = (body: { name: string; value: string }[]) => body.map((field) => `${field.name}=${field.value}`);

  describe('getCustomFields', () => {
    it('pages the active fields of the tenant in record order, with the pagination headers', async () => {
      const first = await t.http.get('/1.0/kb/customFields/pagination?offset=0&limit=2').set(tenant.headers).expect(200);
      expect(names(first.body)).toEqual(['color=red', 'size=large']);
      expect(first.body[0]).toEqual({
        customFieldId: expect.any(String),
        objectId: accounts[0],
        objectType: 'ACCOUNT',
        name: 'color',
        value: 'red',
        auditLogs: [],
      });
      expect(first.headers['x-killbill-pagination-currentoffset']).toBe('0');
      expect(first.headers['x-killbill-pagination-totalnbrecords']).toBe('3');
      expect(first.headers['x-killbill-pagination-maxnbrecords']).toBe('3');
      expect(first.headers['x-killbill-pagination-nextoffset']).toBe('2');
      expect(first.headers['x-killbill-pagination-nextpageuri']).toBe('/1.0/kb/customFields/pagination?offset=2&limit=2');
      const second = await t.http.get('/1.0/kb/customFields/pagination?offset=2&limit=2&audit=MINIMAL').set(tenant.headers).expect(200);
      expect(names(second.body)).toEqual(['color=blue']);
      expect(second.body[0].auditLogs).toEqual([
        expect.objectContaining({ changeType: 'INSERT', objectType: 'CUSTOM_FIELD', objectId: second.body[0].customFieldId }),
      ]);
      expect(second.headers['x-killbill-pagination-nextoffset']).toBeUndefined();
    });

    it('shows nothing of another tenant', async () => {
      const other = await t.createTenant();
      const response = await t.http.get('/1.0/kb/customFields/pagination').set(other.headers).expect(200);
      expect(response.body).toEqual([]);
      expect(response.headers['x-killbill-pagination-totalnbrecords']).toBe('0');
    });
  });

  describe('searchCustomFields', () => {
    it('finds fields whose name, value, object type or object id contains the key, or whose id is the key', async () => {
      const byName = await t.http.get('/1.0/kb/customFields/search/colo').set(tenant.headers).expect(200);
      expect(names(byName.body)).toEqual(['color=red', 'color=blue']);
      expect(byName.headers['x-killbill-pagination-totalnbrecords']).toBe('2');
      expect(byName.headers['x-killbill-pagination-maxnbrecords']).toBe('3');
      expect(names((await t.http.get('/1.0/kb/customFields/search/larg').set(tenant.headers).expect(200)).body)).toEqual(['size=large']);
      expect(names((await t.http.get(`/1.0/kb/customFields/search/${accounts[1]}`).set(tenant.headers).expect(200)).body)).toEqual(['color=blue']);
      const paged = await t.http.get('/1.0/kb/customFields/search/ACCOUNT?offset=0&limit=1').set(tenant.headers).expect(200);
      expect(paged.body).toHaveLength(1);
      expect(paged.headers['x-killbill-pagination-nextpageuri']).toBe('/1.0/kb/customFields/search/ACCOUNT?offset=1&limit=1');
      const id = byName.body[1].customFieldId;
      expect((await t.http.get(`/1.0/kb/customFields/search/${id}`).set(tenant.headers).expect(200)).body).toEqual([byName.body[1]]);
      expect((await t.http.get('/1.0/kb/customFields/search/removed').set(tenant.headers).expect(200)).body).toEqual([]);
    });
  });

  describe('searchCustomFieldsByTypeName', () => {
    it('finds fields by object type and exact name, optionally exact value', async () => {
      const byName = await t.http.get('/1.0/kb/customFields/search?objectType=ACCOUNT&fieldName=color').set(tenant.headers).expect(200);
      expect(names(byName.body)).toEqual(['color=red', 'color=blue']);
      expect(byName.headers['x-killbill-pagination-totalnbrecords']).toBe('2');
      const byValue = await t.http.get('/1.0/kb/customFields/search?objectType=ACCOUNT&fieldName=color&fieldValue=blue').set(tenant.headers).expect(200);
      expect(names(byValue.body)).toEqual(['color=blue']);
      const otherType = await t.http.get('/1.0/kb/customFields/search?objectType=INVOICE&fieldName=color').set(tenant.headers).expect(200);
      expect(otherType.body).toEqual([]);
      const partial = await t.http.get('/1.0/kb/customFields/search?objectType=ACCOUNT&fieldName=colo').set(tenant.headers).expect(200);
      expect(partial.body).toEqual([]);
    });

    it('needs objectType and fieldName, and a known object type (400)', async () => {
      await t.http.get('/1.0/kb/customFields/search?fieldName=color').set(tenant.headers).expect(400);
      const noName = await t.http.get('/1.0/kb/customFields/search?objectType=ACCOUNT').set(tenant.headers).expect(400);
      expect(noName.body.className).toBe('java.lang.IllegalArgumentException');
      await t.http.get('/1.0/kb/customFields/search?objectType=WHATEVER&fieldName=color').set(tenant.headers).expect(400);
    });
  });

  describe('getCustomFieldAuditLogsWithHistory', () => {
    it('returns every change of a field with its row as it was (INSERT, UPDATE)', async () => {
      const [field] = (await t.http.get(`/1.0/kb/accounts/${accounts[0]}/customFields`).set(tenant.headers).expect(200)).body;
      await t.http
        .put(`/1.0/kb/accounts/${accounts[0]}/customFields`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'gina', 'X-Killbill-Comment': 'recolor' })
        .send([{ customFieldId: field.customFieldId, value: 'green' }])
        .expect(204);
      const response = await t.http.get(`/1.0/kb/customFields/${field.customFieldId}/auditLogsWithHistory`).set(tenant.headers).expect(200);
      expect(response.body).toHaveLength(2);
      expect(response.body[0]).toMatchObject({ changeType: 'INSERT', objectType: 'CUSTOM_FIELD', objectId: field.customFieldId, changedBy: 'test' });
      expect(response.body[0].history).toMatchObject({
        id: field.customFieldId,
        objectId: accounts[0],
        objectType: 'ACCOUNT',
        fieldName: 'color',
        fieldValue: 'red',
        isActive: true,
      });
      expect(response.body[1]).toMatchObject({ changeType: 'UPDATE', changedBy: 'gina', comments: 'recolor' });
      expect(response.body[1].history).toMatchObject({ fieldValue: 'green' });
    });

    it('answers 404 for an unknown field or one of another tenant', async () => {
      await t.http.get(`/1.0/kb/customFields/${randomUUID()}/auditLogsWithHistory`).set(tenant.headers).expect(404);
      const [field] = (await t.http.get(`/1.0/kb/accounts/${accounts[1]}/customFields`).set(tenant.headers).expect(200)).body;
      const other = await t.createTenant();
      await t.http.get(`/1.0/kb/customFields/${field.customFieldId}/auditLogsWithHistory`).set(other.headers).expect(404);
    });
  });
});
