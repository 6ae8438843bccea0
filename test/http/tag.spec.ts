import { randomUUID } from 'node:crypto';
import { createAccount as createTestAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const AUTO_PAY_OFF = '00000000-0000-0000-0000-000000000001';
const TEST_TAG = '00000000-0000-0000-0000-000000000006';

describe('Tag resource', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let createAccount: (tenant: TestTenant) => Promise<string>;
  let goldId: string;
  const accounts: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    // With a default payment method, as Kill Bill requires before AUTO_PAY_OFF may be removed.
    createAccount = (owner) => createTestAccount(t, owner, { name: 'Jane', currency: 'USD', paymentMethodId: randomUUID() });
    const gold = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name: 'gold', description: 'Premium customers', applicableObjectTypes: ['ACCOUNT'] })
      .expect(201);
    goldId = String(gold.headers.location).split('/').pop() ?? '';
    // 3 accounts: AUTO_PAY_OFF + gold, TEST, and AUTO_PAY_OFF removed again (inactive tags are not listed)
    for (let i = 0; i < 3; i++) accounts.push(await createAccount(tenant));
    await t.http.post(`/1.0/kb/accounts/${accounts[0]}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, goldId]).expect(201);
    await t.http.post(`/1.0/kb/accounts/${accounts[1]}/tags`).set(tenant.headers).send([TEST_TAG]).expect(201);
    await t.http.post(`/1.0/kb/accounts/${accounts[2]}/tags`).set(tenant.headers).send([AUTO_PAY_OFF]).expect(201);
    await t.http.delete(`/1.0/kb/accounts/${accounts[2]}/tags?tagDef=${AUTO_PAY_OFF}`).set(tenant.headers).expect(204);
  });
  afterAll(() => t.close());

  describe('getTags', () => {
    it('pages the active tags of the tenant in record order, with the pagination headers', async () => {
      const first = await t.http.get('/1.0/kb/tags/pagination?offset=0&limit=2').set(tenant.headers).expect(200);
      expect(first.body.map((tag: { tagDefinitionName: string }) => tag.tagDefinitionName)).toEqual(['AUTO_PAY_OFF', 'gold']);
      expect(first.body[0]).toEqual({
        tagId: expect.any(String),
        objectType: 'ACCOUNT',
        objectId: accounts[0],
        tagDefinitionId: AUTO_PAY_OFF,
        tagDefinitionName: 'AUTO_PAY_OFF',
        auditLogs: [],
      });
      expect(first.headers['x-killbill-pagination-currentoffset']).toBe('0');
      expect(first.headers['x-killbill-pagination-totalnbrecords']).toBe('3');
      expect(first.headers['x-killbill-pagination-maxnbrecords']).toBe('3');
      expect(first.headers['x-killbill-pagination-nextoffset']).toBe('2');
      expect(first.headers['x-killbill-pagination-nextpageuri']).toBe('/1.0/kb/tags/pagination?offset=2&limit=2');
      const second = await t.http.get(first.headers['x-killbill-pagination-nextpageuri']).set(tenant.headers).expect(200);
      expect(second.body.map((tag: { tagDefinitionName: string }) => tag.tagDefinitionName)).toEqual(['TEST']);
      expect(second.headers['x-killbill-pagination-nextoffset']).toBeUndefined();
      expect(second.headers['x-killbill-pagination-nextpageuri']).toBeUndefined();
    });

    it('adds audit logs on request and defaults to offset 0, limit 100', async () => {
      const response = await t.http.get('/1.0/kb/tags/pagination?audit=MINIMAL').set(tenant.headers).expect(200);
      expect(response.body).toHaveLength(3);
      expect(response.body[0].auditLogs).toEqual([expect.objectContaining({ changeType: 'INSERT', objectType: 'TAG', objectId: response.body[0].tagId })]);
      await t.http.get('/1.0/kb/tags/pagination?offset=abc').set(tenant.headers).expect(400);
    });

    it('shows nothing of another tenant', async () => {
      const other = await t.createTenant();
      const response = await t.http.get('/1.0/kb/tags/pagination').set(other.headers).expect(200);
      expect(response.body).toEqual([]);
      expect(response.headers['x-killbill-pagination-totalnbrecords']).toBe('0');
      expect(response.headers['x-killbill-pagination-maxnbrecords']).toBe('0');
    });
  });

  describe('searchTags', () => {
    it('finds tags by definition name or description, with the pagination headers', async () => {
      const byName = await t.http.get('/1.0/kb/tags/search/AUTO_PAY').set(tenant.headers).expect(200);
      expect(byName.body.map((tag: { objectId: string }) => tag.objectId)).toEqual([accounts[0]]);
      expect(byName.headers['x-killbill-pagination-totalnbrecords']).toBe('1');
      expect(byName.headers['x-killbill-pagination-maxnbrecords']).toBe('3');
      const byDescription = await t.http.get('/1.0/kb/tags/search/Premium').set(tenant.headers).expect(200);
      expect(byDescription.body.map((tag: { tagDefinitionName: string }) => tag.tagDefinitionName)).toEqual(['gold']);
      const byObjectType = await t.http.get('/1.0/kb/tags/search/ACCOUNT?limit=1').set(tenant.headers).expect(200);
      expect(byObjectType.body).toHaveLength(1);
      expect(byObjectType.headers['x-killbill-pagination-totalnbrecords']).toBe('3');
      expect(byObjectType.headers['x-killbill-pagination-nextpageuri']).toBe('/1.0/kb/tags/search/ACCOUNT?limit=1&offset=1');
    });

    it('finds a tag by its id, and nothing for an unknown key', async () => {
      const all = await t.http.get('/1.0/kb/tags/pagination').set(tenant.headers).expect(200);
      const byId = await t.http.get(`/1.0/kb/tags/search/${all.body[1].tagId}`).set(tenant.headers).expect(200);
      expect(byId.body).toEqual([all.body[1]]);
      const none = await t.http.get('/1.0/kb/tags/search/nothing-like-this').set(tenant.headers).expect(200);
      expect(none.body).toEqual([]);
      expect(none.headers['x-killbill-pagination-totalnbrecords']).toBe('0');
    });
  });

  describe('getTagAuditLogsWithHistory', () => {
    it('returns every change of a tag with its row as it was', async () => {
      const [tag] = (await t.http.get(`/1.0/kb/accounts/${accounts[2]}/tags?includedDeleted=true`).set(tenant.headers).expect(200)).body;
      const response = await t.http.get(`/1.0/kb/tags/${tag.tagId}/auditLogsWithHistory`).set(tenant.headers).expect(200);
      expect(response.body).toHaveLength(2);
      expect(response.body[0]).toMatchObject({ changeType: 'INSERT', objectType: 'TAG', objectId: tag.tagId, changedBy: 'test' });
      expect(response.body[0].history).toMatchObject({
        id: tag.tagId,
        objectId: accounts[2],
        objectType: 'ACCOUNT',
        tagDefinitionId: AUTO_PAY_OFF,
        isActive: true,
      });
      expect(response.body[1].history).toMatchObject({ id: tag.tagId, isActive: false });
    });

    it('answers 404 for an unknown tag or a tag of another tenant, 400 for a malformed id', async () => {
      await t.http.get(`/1.0/kb/tags/${randomUUID()}/auditLogsWithHistory`).set(tenant.headers).expect(404);
      const [tag] = (await t.http.get(`/1.0/kb/accounts/${accounts[0]}/tags`).set(tenant.headers).expect(200)).body;
      const other = await t.createTenant();
      await t.http.get(`/1.0/kb/tags/${tag.tagId}/auditLogsWithHistory`).set(other.headers).expect(404);
      await t.http.get('/1.0/kb/tags/xyz/auditLogsWithHistory').set(tenant.headers).expect(400);
    });
  });
});
