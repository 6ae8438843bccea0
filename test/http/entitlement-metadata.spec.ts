import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const idOf = (location: unknown) => String(location).split('/').pop() ?? '';
const UNKNOWN = '00000000-0000-0000-0000-0000000000aa';

describe('Tags, custom fields and audit logs of bundles and subscriptions', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;
  let bundleId: string;
  let subscriptionId: string;
  let definitionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    accountId = await createAccount(t, tenant, { name: 'Meta', currency: 'USD' });
    const created = await t.http
      .post('/1.0/kb/subscriptions')
      .set(tenant.headers)
      .send({ accountId, planName: 'sports-monthly', bundleExternalKey: 'meta-1' })
      .expect(201);
    subscriptionId = idOf(created.headers.location);
    bundleId = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body.bundleId;
    const definition = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name: 'gold', description: 'Gold', applicableObjectTypes: ['BUNDLE', 'SUBSCRIPTION'] })
      .expect(201);
    definitionId = idOf(definition.headers.location);
  });
  afterAll(() => t.close());

  describe.each([
    ['bundles', 'BUNDLE', () => bundleId],
    ['subscriptions', 'SUBSCRIPTION', () => subscriptionId],
  ])('%s', (path, objectType, id) => {
    it('adds, lists and removes tags (201 with Location, 204), with the tag in the history', async () => {
      const added = await t.http.post(`/1.0/kb/${path}/${id()}/tags`).set(tenant.headers).send([definitionId]).expect(201);
      expect(added.headers.location).toMatch(new RegExp(`/1\\.0/kb/${path}/${id()}/tags$`));
      const tags = (await t.http.get(`/1.0/kb/${path}/${id()}/tags`).set(tenant.headers).expect(200)).body;
      expect(tags).toEqual([
        { tagId: expect.any(String), objectType, objectId: id(), tagDefinitionId: definitionId, tagDefinitionName: 'gold', auditLogs: [] },
      ]);
      await t.http.delete(`/1.0/kb/${path}/${id()}/tags`).query({ tagDef: definitionId }).set(tenant.headers).expect(204);
      expect((await t.http.get(`/1.0/kb/${path}/${id()}/tags`).set(tenant.headers).expect(200)).body).toEqual([]);
      const withDeleted = (await t.http.get(`/1.0/kb/${path}/${id()}/tags`).query({ includedDeleted: true }).set(tenant.headers).expect(200)).body;
      expect(withDeleted).toHaveLength(1);
      // tag them again for the account-wide lists
      await t.http.post(`/1.0/kb/${path}/${id()}/tags`).set(tenant.headers).send([definitionId]).expect(201);
    });

    it('adds, modifies and removes custom fields', async () => {
      await t.http
        .post(`/1.0/kb/${path}/${id()}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'color', value: 'red' }])
        .expect(201);
      const [field] = (await t.http.get(`/1.0/kb/${path}/${id()}/customFields`).set(tenant.headers).expect(200)).body;
      expect(field).toMatchObject({ objectType, objectId: id(), name: 'color', value: 'red' });
      await t.http
        .put(`/1.0/kb/${path}/${id()}/customFields`)
        .set(tenant.headers)
        .send([{ customFieldId: field.customFieldId, value: 'blue' }])
        .expect(204);
      expect((await t.http.get(`/1.0/kb/${path}/${id()}/customFields`).set(tenant.headers).expect(200)).body[0].value).toBe('blue');
      await t.http.delete(`/1.0/kb/${path}/${id()}/customFields`).query({ customField: field.customFieldId }).set(tenant.headers).expect(204);
      expect((await t.http.get(`/1.0/kb/${path}/${id()}/customFields`).set(tenant.headers).expect(200)).body).toEqual([]);
      await t.http
        .post(`/1.0/kb/${path}/${id()}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'size', value: 'L' }])
        .expect(201);
    });

    it('answers the audit logs with history of the object', async () => {
      const logs = (await t.http.get(`/1.0/kb/${path}/${id()}/auditLogsWithHistory`).set(tenant.headers).expect(200)).body;
      expect(logs[0]).toMatchObject({ changeType: 'INSERT', objectType, objectId: id() });
      expect(logs[0].history).toMatchObject({ id: id() });
    });

    it('404 for an unknown id and for another tenant, 400 for a malformed id', async () => {
      const missing = await t.http.get(`/1.0/kb/${path}/${UNKNOWN}/tags`).set(tenant.headers).expect(404);
      expect(missing.body.message).toBe(`Object id=${UNKNOWN} type=${objectType} doesn't exist!`);
      await t.http.get(`/1.0/kb/${path}/${id()}/tags`).set(other.headers).expect(404);
      await t.http
        .post(`/1.0/kb/${path}/${id()}/customFields`)
        .set(other.headers)
        .send([{ name: 'x', value: 'y' }])
        .expect(404);
      await t.http.get(`/1.0/kb/${path}/${id()}/auditLogsWithHistory`).set(other.headers).expect(404);
      await t.http.get(`/1.0/kb/${path}/not-a-uuid/tags`).set(tenant.headers).expect(400);
    });
  });

  it('the account-wide allTags and allCustomFields include the bundle and the subscription', async () => {
    const tags = (await t.http.get(`/1.0/kb/accounts/${accountId}/allTags`).set(tenant.headers).expect(200)).body;
    expect(tags.map((tag: { objectType: string }) => tag.objectType).sort()).toEqual(['BUNDLE', 'SUBSCRIPTION']);
    const onlyBundles = (await t.http.get(`/1.0/kb/accounts/${accountId}/allTags`).query({ objectType: 'BUNDLE' }).set(tenant.headers).expect(200)).body;
    expect(onlyBundles.map((tag: { objectId: string }) => tag.objectId)).toEqual([bundleId]);
    const fields = (await t.http.get(`/1.0/kb/accounts/${accountId}/allCustomFields`).set(tenant.headers).expect(200)).body;
    expect(fields.map((f: { objectType: string; name: string }) => `${f.objectType}:${f.name}`).sort()).toEqual(['BUNDLE:size', 'SUBSCRIPTION:size']);
  });

  it('getSubscriptionEventAuditLogsWithHistory: the history of one event; 404 unknown or in another tenant', async () => {
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body;
    const phase = subscription.events.find((e: { eventType: string }) => e.eventType === 'PHASE');
    const logs = (await t.http.get(`/1.0/kb/subscriptions/events/${phase.eventId}/auditLogsWithHistory`).set(tenant.headers).expect(200)).body;
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ changeType: 'INSERT', objectType: 'SUBSCRIPTION_EVENT', objectId: phase.eventId });
    await t.http.get(`/1.0/kb/subscriptions/events/${UNKNOWN}/auditLogsWithHistory`).set(tenant.headers).expect(404);
    await t.http.get(`/1.0/kb/subscriptions/events/${phase.eventId}/auditLogsWithHistory`).set(other.headers).expect(404);
  });
});
