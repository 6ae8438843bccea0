import { randomUUID } from 'node:crypto';
import { createAccount as createTestAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const CONTROL_TAGS = [
  ['00000000-0000-0000-0000-000000000001', 'AUTO_PAY_OFF', 'Suspends payments until removed.', ['ACCOUNT']],
  ['00000000-0000-0000-0000-000000000002', 'AUTO_INVOICING_OFF', 'Suspends invoicing until removed.', ['ACCOUNT']],
  ['00000000-0000-0000-0000-000000000003', 'OVERDUE_ENFORCEMENT_OFF', 'Suspends overdue enforcement behaviour until removed.', ['ACCOUNT']],
  ['00000000-0000-0000-0000-000000000004', 'WRITTEN_OFF', 'Indicates that an invoice is written off. No billing or payment effect.', ['INVOICE']],
  [
    '00000000-0000-0000-0000-000000000005',
    'MANUAL_PAY',
    "Indicates that Killbill doesn't process payments for that account (external payments only)",
    ['ACCOUNT'],
  ],
  ['00000000-0000-0000-0000-000000000006', 'TEST', 'Indicates that this is a test account', ['ACCOUNT']],
  ['00000000-0000-0000-0000-000000000007', 'PARTNER', 'Indicates that this is a partner account', ['ACCOUNT']],
  ['00000000-0000-0000-0000-000000000008', 'AUTO_INVOICING_DRAFT', 'Generate account invoices in DRAFT mode.', ['ACCOUNT']],
  ['00000000-0000-0000-0000-000000000009', 'AUTO_INVOICING_REUSE_DRAFT', 'Use existing draft invoice if exists.', ['ACCOUNT']],
] as const;

const BUILT_INS = [
  {
    id: '00000000-0000-0001-0000-000000000001',
    isControlTag: false,
    name: '__PARK__',
    description: 'Accounts with invalid invoicing state',
    applicableObjectTypes: ['ACCOUNT'],
    auditLogs: [],
  },
  ...CONTROL_TAGS.map(([id, name, description, applicableObjectTypes]) => ({
    id,
    isControlTag: true,
    name,
    description,
    applicableObjectTypes,
    auditLogs: [],
  })),
];

describe('TagDefinition resource', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let createAccount: (tenant: TestTenant) => Promise<string>;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    createAccount = (owner) => createTestAccount(t, owner);
  });
  afterAll(() => t.close());

  const create = (body: object, headers: Record<string, string> = tenant.headers) => t.http.post('/1.0/kb/tagDefinitions').set(headers).send(body);
  const idOf = (location: string) => location.split('/').pop() ?? '';

  it('lists __PARK__ and the control tags, with their fixed ids and object types, for a new tenant', async () => {
    const fresh = await t.createTenant();
    const response = await t.http.get('/1.0/kb/tagDefinitions').set(fresh.headers).expect(200);
    expect(response.body).toEqual(BUILT_INS);
  });

  it('creates a definition (201 → /tagDefinitions/{id}), lists it first and reads it back with its audit', async () => {
    const fresh = await t.createTenant();
    const response = await create(
      { name: 'gold', description: 'Gold customers', applicableObjectTypes: ['ACCOUNT', 'INVOICE'], id: randomUUID(), isControlTag: true },
      { ...fresh.headers, 'X-Killbill-CreatedBy': 'erin', 'X-Killbill-Reason': 'tiers', 'X-Killbill-Comment': 'new tier' },
    ).expect(201);
    expect(response.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/1\.0\/kb\/tagDefinitions\/[0-9a-f-]{36}$/);
    const id = idOf(response.headers.location);
    const expected = { id, isControlTag: false, name: 'gold', description: 'Gold customers', applicableObjectTypes: ['ACCOUNT', 'INVOICE'], auditLogs: [] };
    const list = await t.http.get('/1.0/kb/tagDefinitions').set(fresh.headers).expect(200);
    expect(list.body).toEqual([expected, ...BUILT_INS]);
    expect((await t.http.get(`/1.0/kb/tagDefinitions/${id}`).set(fresh.headers).expect(200)).body).toEqual(expected);
    const audited = await t.http.get(`/1.0/kb/tagDefinitions/${id}?audit=MINIMAL`).set(fresh.headers).expect(200);
    expect(audited.body.auditLogs).toEqual([
      expect.objectContaining({
        changeType: 'INSERT',
        objectType: 'TAG_DEFINITION',
        objectId: id,
        changedBy: 'erin',
        reasonCode: 'tiers',
        comments: 'new tier',
        history: null,
      }),
    ]);
    const listAudited = await t.http.get('/1.0/kb/tagDefinitions?audit=FULL').set(fresh.headers).expect(200);
    expect(listAudited.body[0].auditLogs).toHaveLength(1);
    await t.http.get('/1.0/kb/tagDefinitions?audit=SOME').set(fresh.headers).expect(400);
  });

  it('reads a control tag by its id', async () => {
    const response = await t.http.get('/1.0/kb/tagDefinitions/00000000-0000-0000-0000-000000000004').set(tenant.headers).expect(200);
    expect(response.body).toEqual(BUILT_INS[4]);
  });

  it('refuses names with upper-case letters with 400 TAG_DEFINITION_HAS_UPPERCASE (control tag names included)', async () => {
    const upper = await create({ name: 'Gold', description: 'x', applicableObjectTypes: ['ACCOUNT'] }).expect(400);
    expect(upper.body).toMatchObject({
      code: 3904,
      className: 'org.killbill.billing.util.api.TagDefinitionApiException',
      message: 'The tag definition name must be in lowercase Gold',
    });
    // Kill Bill checks the case before the clash with a control tag, so a control tag name is a 3904 too
    const control = await create({ name: 'AUTO_PAY_OFF', description: 'x', applicableObjectTypes: ['ACCOUNT'] }).expect(400);
    expect(control.body.code).toBe(3904);
  });

  it('refuses a duplicate name with 409 TAG_DEFINITION_ALREADY_EXISTS', async () => {
    await create({ name: 'dup', description: 'first', applicableObjectTypes: ['ACCOUNT'] }).expect(201);
    const response = await create({ name: 'dup', description: 'second', applicableObjectTypes: ['ACCOUNT'] }).expect(409);
    expect(response.body).toMatchObject({ code: 3901, className: 'org.killbill.billing.util.api.TagDefinitionApiException' });
  });

  it('refuses a missing name, description or object types with a 400', async () => {
    const noName = await create({ description: 'x', applicableObjectTypes: ['ACCOUNT'] }).expect(400);
    expect(noName.body).toMatchObject({ className: 'java.lang.IllegalArgumentException' });
    expect(noName.body.message).toContain('TagDefinition name needs to be set');
    await create({ name: 'nodesc', applicableObjectTypes: ['ACCOUNT'] }).expect(400);
    const noTypes = await create({ name: 'notypes', description: 'x', applicableObjectTypes: [] }).expect(400);
    expect(noTypes.body.message).toContain('Applicable object types must be set');
    await create({ name: 'badtype', description: 'x', applicableObjectTypes: ['NOPE'] }).expect(400);
    await create({ name: 'this-name-is-longer-than-twenty', description: 'x', applicableObjectTypes: ['ACCOUNT'] }).expect(400);
    const { 'X-Killbill-CreatedBy': _, ...noCreatedBy } = tenant.headers;
    await create({ name: 'nobody', description: 'x', applicableObjectTypes: ['ACCOUNT'] }, noCreatedBy).expect(400);
  });

  it('answers 404 TAG_DEFINITION_DOES_NOT_EXIST for an unknown id, and 400 for a malformed one', async () => {
    const unknown = randomUUID();
    const response = await t.http.get(`/1.0/kb/tagDefinitions/${unknown}`).set(tenant.headers).expect(404);
    expect(response.body).toMatchObject({ code: 3902, message: `The tag definition ${unknown} does not exist` });
    await t.http.delete(`/1.0/kb/tagDefinitions/${unknown}`).set(tenant.headers).expect(404);
    await t.http.get('/1.0/kb/tagDefinitions/nope').set(tenant.headers).expect(400);
  });

  it('refuses to delete a definition in use (400 TAG_DEFINITION_IN_USE), then deletes it once unused (204)', async () => {
    const id = idOf((await create({ name: 'inuse', description: 'x', applicableObjectTypes: ['ACCOUNT'] }).expect(201)).headers.location);
    const accountId = await createAccount(tenant);
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([id]).expect(201);
    const inUse = await t.http.delete(`/1.0/kb/tagDefinitions/${id}`).set(tenant.headers).expect(400);
    expect(inUse.body).toMatchObject({ code: 3903, message: `The tag definition ${id} is currently in use` });
    await t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${id}`).set(tenant.headers).expect(204);
    await t.http.delete(`/1.0/kb/tagDefinitions/${id}`).set(tenant.headers).expect(204);
    await t.http.get(`/1.0/kb/tagDefinitions/${id}`).set(tenant.headers).expect(404);
    const list = await t.http.get('/1.0/kb/tagDefinitions').set(tenant.headers).expect(200);
    expect(list.body.map((definition: { id: string }) => definition.id)).not.toContain(id);
    // the removed tag still shows its definition's name
    const tags = await t.http.get(`/1.0/kb/accounts/${accountId}/tags?includedDeleted=true`).set(tenant.headers).expect(200);
    expect(tags.body[0].tagDefinitionName).toBe('inuse');
    // the name is free again
    await create({ name: 'inuse', description: 'again', applicableObjectTypes: ['ACCOUNT'] }).expect(201);
  });

  it('returns the audit logs with history of a definition (INSERT, then the deactivation)', async () => {
    const id = idOf((await create({ name: 'historic', description: 'x', applicableObjectTypes: ['BUNDLE'] }).expect(201)).headers.location);
    await t.http
      .delete(`/1.0/kb/tagDefinitions/${id}`)
      .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'frank', 'X-Killbill-Reason': 'cleanup' })
      .expect(204);
    const response = await t.http.get(`/1.0/kb/tagDefinitions/${id}/auditLogsWithHistory`).set(tenant.headers).expect(200);
    expect(response.body).toHaveLength(2);
    expect(response.body[0]).toMatchObject({ changeType: 'INSERT', objectType: 'TAG_DEFINITION', objectId: id, changedBy: 'test' });
    expect(response.body[0].history).toMatchObject({ id, name: 'historic', description: 'x', applicableObjectTypes: 'BUNDLE', isActive: true });
    expect(response.body[1]).toMatchObject({ changedBy: 'frank', reasonCode: 'cleanup' });
    expect(response.body[1].history).toMatchObject({ id, isActive: false });
    await t.http.get(`/1.0/kb/tagDefinitions/${randomUUID()}/auditLogsWithHistory`).set(tenant.headers).expect(404);
  });

  it('keeps tenants apart', async () => {
    const id = idOf((await create({ name: 'private', description: 'x', applicableObjectTypes: ['ACCOUNT'] }).expect(201)).headers.location);
    const other = await t.createTenant();
    await t.http.get(`/1.0/kb/tagDefinitions/${id}`).set(other.headers).expect(404);
    await t.http.delete(`/1.0/kb/tagDefinitions/${id}`).set(other.headers).expect(404);
    await t.http.get(`/1.0/kb/tagDefinitions/${id}/auditLogsWithHistory`).set(other.headers).expect(404);
    expect((await t.http.get('/1.0/kb/tagDefinitions').set(other.headers).expect(200)).body).toEqual(BUILT_INS);
    // the same name may exist in another tenant
    await create({ name: 'private', description: 'y', applicableObjectTypes: ['ACCOUNT'] }, other.headers).expect(201);
  });

  it('needs tenant credentials', async () => {
    await t.http.get('/1.0/kb/tagDefinitions').set(t.adminHeaders).expect(401);
  });
});
