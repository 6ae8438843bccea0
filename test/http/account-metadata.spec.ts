import { randomUUID } from 'node:crypto';
import { createAccount as createTestAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const AUTO_PAY_OFF = '00000000-0000-0000-0000-000000000001';
const AUTO_INVOICING_OFF = '00000000-0000-0000-0000-000000000002';
const WRITTEN_OFF = '00000000-0000-0000-0000-000000000004';
const PARK = '00000000-0000-0001-0000-000000000001';

/**
 * Accounts come from POST /1.0/kb/accounts. While the Account resource is not registered yet, a stand-in
 * ACCOUNT lookup lets these tests run; it is used only when nothing registered ACCOUNT.
 */

describe('Account tags and custom fields', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let otherTenant: TestTenant;
  let createAccount: (tenant: TestTenant) => Promise<string>;
  let userDefinitionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    otherTenant = await t.createTenant();
    // With a default payment method, as Kill Bill requires before AUTO_PAY_OFF may be removed.
    createAccount = (owner) => createTestAccount(t, owner, { name: 'Jane', currency: 'USD', paymentMethodId: randomUUID() });
    const created = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name: 'vip', description: 'Very important', applicableObjectTypes: ['ACCOUNT'] })
      .expect(201);
    userDefinitionId = String(created.headers.location).split('/').pop() ?? '';
  });
  afterAll(() => t.close());

  const tagsOf = async (accountId: string, query = '') =>
    (await t.http.get(`/1.0/kb/accounts/${accountId}/tags${query}`).set(tenant.headers).expect(200)).body as Record<string, unknown>[];

  describe('tags', () => {
    it('adds control and user tags, answers 201 with the Location of the list, and lists them', async () => {
      const accountId = await createAccount(tenant);
      expect(await tagsOf(accountId)).toEqual([]);
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, userDefinitionId]).expect(201);
      expect(response.text).toBe('');
      expect(response.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/1\\.0/kb/accounts/${accountId}/tags$`));
      const tags = await tagsOf(accountId);
      expect(tags).toEqual([
        {
          tagId: expect.any(String),
          objectType: 'ACCOUNT',
          objectId: accountId,
          tagDefinitionId: AUTO_PAY_OFF,
          tagDefinitionName: 'AUTO_PAY_OFF',
          auditLogs: [],
        },
        { tagId: expect.any(String), objectType: 'ACCOUNT', objectId: accountId, tagDefinitionId: userDefinitionId, tagDefinitionName: 'vip', auditLogs: [] },
      ]);
    });

    it('is idempotent: adding a tag the account already has changes nothing', async () => {
      const accountId = await createAccount(tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_INVOICING_OFF]).expect(201);
      const first = await tagsOf(accountId);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_INVOICING_OFF, AUTO_INVOICING_OFF]).expect(201);
      expect(await tagsOf(accountId)).toEqual(first);
      expect(first).toHaveLength(1);
    });

    it('posts TAG_CREATION and TAG_DELETION bus events in the transaction of the change', async () => {
      const accountId = await createAccount(tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF]).expect(201);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${AUTO_PAY_OFF}`).set(tenant.headers).expect(204);
      const events = await t.query<{ class_name: string; event_json: string }>(
        `SELECT class_name, event_json FROM (SELECT record_id, class_name, event_json FROM bus_events UNION ALL SELECT record_id, class_name, event_json FROM bus_events_history) e
          WHERE class_name LIKE 'TAG_%' AND event_json LIKE $1 ORDER BY record_id`,
        [`%${accountId}%`],
      );
      expect(events.map((event) => event.class_name)).toEqual(['TAG_CREATION', 'TAG_DELETION']);
      expect(JSON.parse(events[0].event_json)).toMatchObject({
        objectType: 'TAG',
        taggedObjectId: accountId,
        taggedObjectType: 'ACCOUNT',
        tagDefinitionId: AUTO_PAY_OFF,
        tagDefinitionName: 'AUTO_PAY_OFF',
        isControlTag: true,
      });
    });

    it('refuses a control tag on an object type it does not apply to with a 500, writing nothing', async () => {
      const accountId = await createAccount(tenant);
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, WRITTEN_OFF]).expect(500);
      expect(response.body).toMatchObject({ className: 'java.lang.IllegalStateException', stackTrace: [] });
      expect(response.body.message).toContain('WRITTEN_OFF');
      expect(await tagsOf(accountId)).toEqual([]);
    });

    it('refuses the system tag __PARK__ with 400 TAG_IS_SYSTEM', async () => {
      const accountId = await createAccount(tenant);
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([PARK]).expect(400);
      expect(response.body).toMatchObject({ code: 3953, className: 'org.killbill.billing.util.api.TagApiException' });
      expect(await tagsOf(accountId)).toEqual([]);
    });

    it('refuses an unknown tag definition with 400 TAG_DEFINITION_DOES_NOT_EXIST raised as a tag error', async () => {
      const accountId = await createAccount(tenant);
      const unknown = randomUUID();
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, unknown]).expect(400);
      expect(response.body).toMatchObject({
        code: 3902,
        className: 'org.killbill.billing.util.api.TagApiException',
        message: `The tag definition ${unknown} does not exist`,
      });
      expect(await tagsOf(accountId)).toEqual([]);
    });

    it('refuses a body that is not an array of UUIDs with a 400', async () => {
      const accountId = await createAccount(tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send({ id: AUTO_PAY_OFF }).expect(400);
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send(['not-a-uuid']).expect(400);
      expect(response.body.className).toBe('java.lang.IllegalArgumentException');
    });

    it('answers 404 ACCOUNT_DOES_NOT_EXIST_FOR_ID for an unknown account, and 400 for a malformed id', async () => {
      const unknown = randomUUID();
      const read = await t.http.get(`/1.0/kb/accounts/${unknown}/tags`).set(tenant.headers).expect(404);
      expect(read.body).toMatchObject({ code: 3002, className: 'org.killbill.billing.account.api.AccountApiException' });
      await t.http.post(`/1.0/kb/accounts/${unknown}/tags`).set(tenant.headers).send([AUTO_PAY_OFF]).expect(404);
      await t.http.delete(`/1.0/kb/accounts/${unknown}/tags?tagDef=${AUTO_PAY_OFF}`).set(tenant.headers).expect(404);
      await t.http.get(`/1.0/kb/accounts/not-a-uuid/tags`).set(tenant.headers).expect(400);
    });

    it('keeps AUTO_PAY_OFF on an account without a default payment method: 400 TAG_CANNOT_BE_REMOVED, other tags still removable', async () => {
      const accountId = await createTestAccount(t, tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, AUTO_INVOICING_OFF]).expect(201);
      const refused = await t.http
        .delete(`/1.0/kb/accounts/${accountId}/tags`)
        .query({ tagDef: [AUTO_INVOICING_OFF, AUTO_PAY_OFF] })
        .set(tenant.headers)
        .expect(400);
      expect(refused.body).toMatchObject({
        code: 3951,
        className: 'org.killbill.billing.util.api.TagApiException',
        message: 'The tag AUTO_PAY_OFF cannot be removed because  the account does not have a default payment method',
      });
      // nothing was removed by the refused call
      expect((await tagsOf(accountId)).map((tag) => tag.tagDefinitionName)).toEqual(['AUTO_PAY_OFF', 'AUTO_INVOICING_OFF']);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${AUTO_INVOICING_OFF}`).set(tenant.headers).expect(204);
      await t.http.put(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).send({ paymentMethodId: randomUUID() }).expect(204);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${AUTO_PAY_OFF}`).set(tenant.headers).expect(204);
      expect(await tagsOf(accountId)).toEqual([]);
    });

    it('lets a user remove the system tag __PARK__ (Kill Bill checks it on add only)', async () => {
      const accountId = await createAccount(tenant);
      await t.query(
        `INSERT INTO tags (id, tenant_record_id, account_record_id, tag_definition_id, object_id, object_type, is_active, created_by, created_date, updated_by, updated_date)
         SELECT gen_random_uuid(), tenant_record_id, record_id, $2, id, 'ACCOUNT', TRUE, 'invoice', now(), 'invoice', now() FROM accounts WHERE id = $1`,
        [accountId, PARK],
      );
      expect((await tagsOf(accountId)).map((tag) => tag.tagDefinitionName)).toEqual(['__PARK__']);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${PARK}`).set(tenant.headers).expect(204);
      expect(await tagsOf(accountId)).toEqual([]);
    });

    it('needs X-Killbill-CreatedBy to add or remove tags', async () => {
      const accountId = await createAccount(tenant);
      const { 'X-Killbill-CreatedBy': _, ...headers } = tenant.headers;
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(headers).send([AUTO_PAY_OFF]).expect(400);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${AUTO_PAY_OFF}`).set(headers).expect(400);
    });

    it('removes tags (204), keeps them for includedDeleted=true, and answers 404 TAG_DOES_NOT_EXIST for a missing one', async () => {
      const accountId = await createAccount(tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, userDefinitionId]).expect(201);
      await t.http
        .delete(`/1.0/kb/accounts/${accountId}/tags`)
        .query({ tagDef: [AUTO_PAY_OFF, userDefinitionId] })
        .set(tenant.headers)
        .expect(204);
      expect(await tagsOf(accountId)).toEqual([]);
      const withDeleted = await tagsOf(accountId, '?includedDeleted=true');
      expect(withDeleted.map((tag) => tag.tagDefinitionName)).toEqual(['AUTO_PAY_OFF', 'vip']);
      const missing = await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${AUTO_PAY_OFF}`).set(tenant.headers).expect(404);
      expect(missing.body).toMatchObject({
        code: 3950,
        className: 'org.killbill.billing.util.api.TagApiException',
        message: 'The tag does not exist (name: AUTO_PAY_OFF)',
      });
      // a tag can be put back after its removal
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF]).expect(201);
      expect((await tagsOf(accountId)).map((tag) => tag.tagDefinitionName)).toEqual(['AUTO_PAY_OFF']);
    });

    it('returns audit logs: the INSERT at MINIMAL, every change at FULL, with CreatedBy/Reason/Comment', async () => {
      const accountId = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/tags`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'alice', 'X-Killbill-Reason': 'billing', 'X-Killbill-Comment': 'stop payments' })
        .send([AUTO_PAY_OFF])
        .expect(201);
      const [minimal] = await tagsOf(accountId, '?audit=MINIMAL');
      expect(minimal.auditLogs).toEqual([
        {
          changeType: 'INSERT',
          changeDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          objectType: 'TAG',
          objectId: minimal.tagId,
          changedBy: 'alice',
          reasonCode: 'billing',
          comments: 'stop payments',
          userToken: expect.any(String),
          history: null,
        },
      ]);
      await t.http
        .delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${AUTO_PAY_OFF}`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'bob', 'X-Killbill-Reason': 'paid', 'X-Killbill-Comment': 'resume' })
        .expect(204);
      const [full] = await tagsOf(accountId, '?includedDeleted=true&audit=FULL');
      expect(full.auditLogs).toHaveLength(2);
      expect((full.auditLogs as Record<string, unknown>[])[1]).toMatchObject({
        changedBy: 'bob',
        reasonCode: 'paid',
        comments: 'resume',
        objectId: full.tagId,
      });
      expect((full.auditLogs as Record<string, unknown>[])[1].changeType).toBe('DELETE');
      const history = await t.query<{ change_type: string; is_active: boolean }>(
        `SELECT h.change_type, h.is_active FROM tags_history h JOIN tags t ON t.record_id = h.target_record_id WHERE t.id = $1 ORDER BY h.record_id`,
        [full.tagId],
      );
      expect(history.map((row) => row.is_active)).toEqual([true, false]);
    });

    it('lists every tag of the account with allTags, filtered by objectType and includedDeleted', async () => {
      const accountId = await createAccount(tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF, userDefinitionId]).expect(201);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${userDefinitionId}`).set(tenant.headers).expect(204);
      const all = await t.http.get(`/1.0/kb/accounts/${accountId}/allTags`).set(tenant.headers).expect(200);
      expect(all.body.map((tag: { tagDefinitionName: string }) => tag.tagDefinitionName)).toEqual(['AUTO_PAY_OFF']);
      const withDeleted = await t.http.get(`/1.0/kb/accounts/${accountId}/allTags?includedDeleted=true&audit=MINIMAL`).set(tenant.headers).expect(200);
      expect(withDeleted.body).toHaveLength(2);
      expect(withDeleted.body[0].auditLogs).toHaveLength(1);
      const accountOnly = await t.http.get(`/1.0/kb/accounts/${accountId}/allTags?objectType=ACCOUNT`).set(tenant.headers).expect(200);
      expect(accountOnly.body).toHaveLength(1);
      const invoices = await t.http.get(`/1.0/kb/accounts/${accountId}/allTags?objectType=INVOICE`).set(tenant.headers).expect(200);
      expect(invoices.body).toEqual([]);
      await t.http.get(`/1.0/kb/accounts/${accountId}/allTags?objectType=NOPE`).set(tenant.headers).expect(400);
      await t.http.get(`/1.0/kb/accounts/${randomUUID()}/allTags`).set(tenant.headers).expect(404);
    });

    it('keeps tenants apart', async () => {
      const accountId = await createAccount(tenant);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_PAY_OFF]).expect(201);
      await t.http.get(`/1.0/kb/accounts/${accountId}/tags`).set(otherTenant.headers).expect(404);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(otherTenant.headers).send([AUTO_PAY_OFF]).expect(404);
      await t.http.get(`/1.0/kb/accounts/${accountId}/allTags`).set(otherTenant.headers).expect(404);
      // a user definition of one tenant is unknown to another
      const otherAccount = await createAccount(otherTenant);
      const response = await t.http.post(`/1.0/kb/accounts/${otherAccount}/tags`).set(otherTenant.headers).send([userDefinitionId]).expect(400);
      expect(response.body.code).toBe(3902);
    });
  });

  describe('custom fields', () => {
    const fieldsOf = async (accountId: string, query = '') =>
      (await t.http.get(`/1.0/kb/accounts/${accountId}/customFields${query}`).set(tenant.headers).expect(200)).body as Record<string, unknown>[];

    it('adds fields (201, Location of the list) and lists them; one name may carry several values', async () => {
      const accountId = await createAccount(tenant);
      const response = await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([
          { name: 'color', value: 'red' },
          { name: 'color', value: 'blue', objectType: 'INVOICE', unknownProperty: true },
        ])
        .expect(201);
      expect(response.headers.location).toMatch(new RegExp(`/1\\.0/kb/accounts/${accountId}/customFields$`));
      expect(await fieldsOf(accountId)).toEqual([
        { customFieldId: expect.any(String), objectId: accountId, objectType: 'ACCOUNT', name: 'color', value: 'red', auditLogs: [] },
        { customFieldId: expect.any(String), objectId: accountId, objectType: 'ACCOUNT', name: 'color', value: 'blue', auditLogs: [] },
      ]);
      const events = await t.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT class_name, event_json FROM bus_events UNION ALL SELECT class_name, event_json FROM bus_events_history) e
          WHERE class_name = 'CUSTOM_FIELD_CREATION' AND event_json LIKE $1`,
        [`%${accountId}%`],
      );
      expect(Number(events[0].n)).toBe(2);
    });

    it('refuses the same name and value twice with 400 CUSTOM_FIELD_ALREADY_EXISTS, writing nothing', async () => {
      const accountId = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'size', value: 'L' }])
        .expect(201);
      const response = await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([
          { name: 'weight', value: '3' },
          { name: 'size', value: 'L' },
        ])
        .expect(400);
      expect(response.body).toMatchObject({ code: 9000, className: 'org.killbill.billing.util.api.CustomFieldApiException' });
      expect((await fieldsOf(accountId)).map((field) => field.name)).toEqual(['size']);
    });

    it('refuses a field without name or value with a 400', async () => {
      const accountId = await createAccount(tenant);
      const noValue = await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'x' }])
        .expect(400);
      expect(noValue.body).toMatchObject({ className: 'java.lang.IllegalArgumentException', message: 'CustomFieldJson value needs to be set' });
      const noName = await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ value: 'x' }])
        .expect(400);
      expect(noName.body.message).toBe('CustomFieldJson name needs to be set');
      await t.http.post(`/1.0/kb/accounts/${accountId}/customFields`).set(tenant.headers).send({ name: 'x', value: 'y' }).expect(400);
      await t.http
        .post(`/1.0/kb/accounts/${randomUUID()}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'x', value: 'y' }])
        .expect(404);
    });

    it('modifies values (204) and refuses unknown ids (9001) and changes of name or object (9002)', async () => {
      const accountId = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'plan', value: 'basic' }])
        .expect(201);
      const [field] = await fieldsOf(accountId);
      await t.http
        .put(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ customFieldId: field.customFieldId, name: 'plan', value: 'premium' }])
        .expect(204);
      expect((await fieldsOf(accountId))[0]).toMatchObject({ customFieldId: field.customFieldId, name: 'plan', value: 'premium' });

      const unknown = randomUUID();
      const notFound = await t.http
        .put(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ customFieldId: unknown, value: 'x' }])
        .expect(400);
      expect(notFound.body).toMatchObject({ code: 9001, message: `The custom field does not exists for id ${unknown}` });
      const renamed = await t.http
        .put(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ customFieldId: field.customFieldId, name: 'other', value: 'x' }])
        .expect(400);
      expect(renamed.body).toMatchObject({
        code: 9002,
        message: `Failed to update custom field ${field.customFieldId}: Invalid value other for field FieldName`,
      });
      const otherAccount = await createAccount(tenant);
      const moved = await t.http
        .put(`/1.0/kb/accounts/${otherAccount}/customFields`)
        .set(tenant.headers)
        .send([{ customFieldId: field.customFieldId, value: 'x' }])
        .expect(400);
      expect(moved.body.code).toBe(9002);
      await t.http
        .put(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ value: 'x' }])
        .expect(400);
      expect((await fieldsOf(accountId))[0].value).toBe('premium');
    });

    it('returns audit logs: the INSERT at MINIMAL, INSERT then UPDATE at FULL, with CreatedBy/Reason/Comment', async () => {
      const accountId = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'carol', 'X-Killbill-Reason': 'setup', 'X-Killbill-Comment': 'first' })
        .send([{ name: 'region', value: 'eu' }])
        .expect(201);
      const [field] = await fieldsOf(accountId);
      await t.http
        .put(`/1.0/kb/accounts/${accountId}/customFields`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'dave', 'X-Killbill-Reason': 'move', 'X-Killbill-Comment': 'second' })
        .send([{ customFieldId: field.customFieldId, value: 'us' }])
        .expect(204);
      const [minimal] = await fieldsOf(accountId, '?audit=MINIMAL');
      expect(minimal.auditLogs).toEqual([
        expect.objectContaining({
          changeType: 'INSERT',
          objectType: 'CUSTOM_FIELD',
          objectId: field.customFieldId,
          changedBy: 'carol',
          reasonCode: 'setup',
          comments: 'first',
        }),
      ]);
      const [full] = await fieldsOf(accountId, '?audit=FULL');
      expect(full.auditLogs).toEqual([
        expect.objectContaining({ changeType: 'INSERT', changedBy: 'carol' }),
        expect.objectContaining({ changeType: 'UPDATE', changedBy: 'dave', reasonCode: 'move', comments: 'second', history: null }),
      ]);
    });

    it('removes the given fields (204), ignores ids of other objects, and removes all when none is given', async () => {
      const accountId = await createAccount(tenant);
      const otherAccount = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([
          { name: 'a', value: '1' },
          { name: 'b', value: '2' },
          { name: 'c', value: '3' },
        ])
        .expect(201);
      await t.http
        .post(`/1.0/kb/accounts/${otherAccount}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'z', value: '9' }])
        .expect(201);
      const [a] = await fieldsOf(accountId);
      const [z] = await fieldsOf(otherAccount);
      await t.http
        .delete(`/1.0/kb/accounts/${accountId}/customFields`)
        .query({ customField: [a.customFieldId, z.customFieldId, randomUUID()] })
        .set(tenant.headers)
        .expect(204);
      expect((await fieldsOf(accountId)).map((field) => field.name)).toEqual(['b', 'c']);
      expect(await fieldsOf(otherAccount)).toHaveLength(1);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/customFields`).set(tenant.headers).expect(204);
      expect(await fieldsOf(accountId)).toEqual([]);
      const events = await t.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT class_name, event_json FROM bus_events UNION ALL SELECT class_name, event_json FROM bus_events_history) e
          WHERE class_name = 'CUSTOM_FIELD_DELETION' AND event_json LIKE $1`,
        [`%${accountId}%`],
      );
      expect(Number(events[0].n)).toBe(3);
    });

    it('lists every field of the account with allCustomFields, optionally of one object type', async () => {
      const accountId = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'k', value: 'v' }])
        .expect(201);
      const all = await t.http.get(`/1.0/kb/accounts/${accountId}/allCustomFields?audit=MINIMAL`).set(tenant.headers).expect(200);
      expect(all.body).toEqual([expect.objectContaining({ name: 'k', value: 'v', objectType: 'ACCOUNT', objectId: accountId })]);
      expect(all.body[0].auditLogs).toHaveLength(1);
      const bundles = await t.http.get(`/1.0/kb/accounts/${accountId}/allCustomFields?objectType=BUNDLE`).set(tenant.headers).expect(200);
      expect(bundles.body).toEqual([]);
      await t.http.get(`/1.0/kb/accounts/${accountId}/allCustomFields?objectType=bogus`).set(tenant.headers).expect(400);
      await t.http.get(`/1.0/kb/accounts/${randomUUID()}/allCustomFields`).set(tenant.headers).expect(404);
    });

    it('keeps tenants apart', async () => {
      const accountId = await createAccount(tenant);
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'secret', value: 's' }])
        .expect(201);
      const [field] = await fieldsOf(accountId);
      await t.http.get(`/1.0/kb/accounts/${accountId}/customFields`).set(otherTenant.headers).expect(404);
      await t.http.delete(`/1.0/kb/accounts/${accountId}/customFields`).set(otherTenant.headers).expect(404);
      const otherAccount = await createAccount(otherTenant);
      const response = await t.http
        .put(`/1.0/kb/accounts/${otherAccount}/customFields`)
        .set(otherTenant.headers)
        .send([{ customFieldId: field.customFieldId, value: 'stolen' }])
        .expect(400);
      expect(response.body.code).toBe(9001);
      expect(await fieldsOf(accountId)).toHaveLength(1);
    });
  });
});
