import type { Response } from 'supertest';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/**
 * Twenty identical writes at once leave what one write leaves: one row, its audit rows once, and for
 * each loser Kill Bill's error (or Kill Bill's success where its write is idempotent).
 */
describe('Twenty identical writes in parallel', () => {
  const PARALLEL = 20;
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const race = (send: () => Promise<Response>): Promise<Response[]> => Promise.all(Array.from({ length: PARALLEL }, send));
  const statuses = (responses: Response[]) => responses.map((response) => [response.status, response.body?.code ?? null]).sort();

  /** The audit rows of `table`'s rows matching `where`, by change type, e.g. { INSERT: 1, UPDATE: 1 }. */
  async function audits(table: string, where: string, parameters: unknown[] = []): Promise<Record<string, number>> {
    const rows = await t.query<{ change_type: string; n: string }>(
      `SELECT a.change_type, count(*) AS n FROM audit_log a
         JOIN ${table}_history h ON h.record_id = a.target_record_id AND a.table_name = '${table}'
        WHERE h.target_record_id IN (SELECT record_id FROM ${table} WHERE ${where})
        GROUP BY a.change_type`,
      parameters,
    );
    return Object.fromEntries(rows.map((row) => [row.change_type, Number(row.n)]));
  }

  async function tagDefinition(name: string): Promise<string> {
    const response = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name, description: name, applicableObjectTypes: ['ACCOUNT'] })
      .expect(201);
    return String(response.headers.location).split('/').pop() ?? '';
  }

  describe('tags', () => {
    it('adds a tag once: every add succeeds, as Kill Bill adding a present tag is a no-op', async () => {
      const accountId = await createAccount(t, tenant);
      const definitionId = await tagDefinition('parallel');
      const responses = await race(() => t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([definitionId]));
      expect(statuses(responses)).toEqual(Array(PARALLEL).fill([201, null]));
      expect(await t.query(`SELECT 1 FROM tags WHERE object_id = $1 AND is_active`, [accountId])).toHaveLength(1);
      expect(await audits('tags', 'object_id = $1', [accountId])).toEqual({ INSERT: 1 });
    });

    it('removes a tag once: one 204, the others find no tag (TAG_DOES_NOT_EXIST), one delete audit', async () => {
      const accountId = await createAccount(t, tenant);
      const definitionId = await tagDefinition('removed');
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([definitionId]).expect(201);
      const responses = await race(() => t.http.delete(`/1.0/kb/accounts/${accountId}/tags?tagDef=${definitionId}`).set(tenant.headers));
      expect(statuses(responses)).toEqual([[204, null], ...Array(PARALLEL - 1).fill([404, 3950])].sort());
      expect(await t.query(`SELECT is_active FROM tags WHERE object_id = $1`, [accountId])).toEqual([{ is_active: false }]);
      expect(await audits('tags', 'object_id = $1', [accountId])).toEqual({ INSERT: 1, DELETE: 1 });
    });

    it('is backed by a unique index on the active tags of an object', async () => {
      const accountId = await createAccount(t, tenant);
      const definitionId = await tagDefinition('indexed');
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([definitionId]).expect(201);
      await expect(
        t.query(
          `INSERT INTO tags (id, created_by, created_date, updated_by, updated_date, tenant_record_id, account_record_id, tag_definition_id, object_id, object_type, is_active)
           SELECT gen_random_uuid(), created_by, created_date, updated_by, updated_date, tenant_record_id, account_record_id, tag_definition_id, object_id, object_type, TRUE
             FROM tags WHERE object_id = $1`,
          [accountId],
        ),
      ).rejects.toThrow(/tags_active/);
    });
  });

  it('adds one custom field of a name and value; the others are CUSTOM_FIELD_ALREADY_EXISTS (400)', async () => {
    const accountId = await createAccount(t, tenant);
    const responses = await race(() =>
      t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'color', value: 'red' }]),
    );
    expect(statuses(responses)).toEqual([[201, null], ...Array(PARALLEL - 1).fill([400, 9000])].sort());
    expect(await t.query(`SELECT 1 FROM custom_fields WHERE object_id = $1 AND is_active`, [accountId])).toHaveLength(1);
    expect(await audits('custom_fields', 'object_id = $1', [accountId])).toEqual({ INSERT: 1 });
  });

  describe('single-valued tenant keys', () => {
    it.each([
      [
        'the notification callback',
        () => t.http.post('/1.0/kb/tenants/registerNotificationCallback?cb=http://example.com/cb').set(tenant.headers),
        'PUSH_NOTIFICATION_CB',
      ],
      [
        'a plugin configuration',
        () => t.http.post('/1.0/kb/tenants/uploadPluginConfig/racer').set(tenant.headers).type('text/plain').send('k=v'),
        'PLUGIN_CONFIG_racer',
      ],
      [
        'the per-tenant configuration',
        () => t.http.post('/1.0/kb/tenants/uploadPerTenantConfig').set(tenant.headers).type('text/plain').send('{"a":"b"}'),
        'PER_TENANT_CONFIG',
      ],
    ])('keeps one active value of %s (each write replaces the last, as in Kill Bill)', async (_what, send, key) => {
      const responses = await race(send);
      expect(statuses(responses)).toEqual(Array(PARALLEL).fill([201, null]));
      expect(await t.query(`SELECT 1 FROM tenant_kvs WHERE tenant_key = $1 AND is_active`, [key])).toHaveLength(1);
      // Every write inserts its value and deactivates the one before it: exactly 20 and 19.
      expect(await audits('tenant_kvs', 'tenant_key = $1', [key])).toEqual({ INSERT: PARALLEL, DELETE: PARALLEL - 1 });
    });

    it('deletes a key once', async () => {
      await t.http.post('/1.0/kb/tenants/uploadPluginConfig/deleted').set(tenant.headers).type('text/plain').send('k=v').expect(201);
      const responses = await race(() => t.http.delete('/1.0/kb/tenants/uploadPluginConfig/deleted').set(tenant.headers));
      expect(statuses(responses)).toEqual(Array(PARALLEL).fill([204, null]));
      expect(await audits('tenant_kvs', `tenant_key = 'PLUGIN_CONFIG_deleted'`)).toEqual({ INSERT: 1, DELETE: 1 });
    });
  });

  it('creates one tenant of an apiKey; the others are TENANT_ALREADY_EXISTS (409)', async () => {
    const responses = await race(() => t.http.post('/1.0/kb/tenants').set(t.adminHeaders).send({ apiKey: 'parallel-key', apiSecret: 'secret' }));
    expect(statuses(responses)).toEqual([[201, null], ...Array(PARALLEL - 1).fill([409, 20000])].sort());
    expect(await t.query(`SELECT 1 FROM tenants WHERE api_key = 'parallel-key'`)).toHaveLength(1);
  });

  it('creates one tenant of an externalKey; the others are TENANT_ALREADY_EXISTS (409)', async () => {
    let n = 0;
    const responses = await race(() =>
      t.http
        .post('/1.0/kb/tenants')
        .set(t.adminHeaders)
        .send({ apiKey: `external-${n++}`, apiSecret: 'secret', externalKey: 'one-external-key' }),
    );
    expect(statuses(responses)).toEqual([[201, null], ...Array(PARALLEL - 1).fill([409, 20000])].sort());
    expect(await t.query(`SELECT 1 FROM tenants WHERE external_key = 'one-external-key'`)).toHaveLength(1);
  });

  describe('security (re-checked)', () => {
    it('updates a role to the same permissions 20 times: one row per permission', async () => {
      await t.http
        .post('/1.0/kb/security/roles')
        .set(t.adminHeaders)
        .send({ role: 'updated', permissions: ['account:create'] })
        .expect(201);
      const responses = await race(() =>
        t.http
          .put('/1.0/kb/security/roles')
          .set(t.adminHeaders)
          .send({ role: 'updated', permissions: ['account:create', 'tag:add'] }),
      );
      expect(statuses(responses)).toEqual(Array(PARALLEL).fill([204, null]));
      expect(await t.query(`SELECT permission FROM roles_permissions WHERE role_name = 'updated' AND is_active ORDER BY permission`)).toEqual([
        { permission: 'account:create' },
        { permission: 'tag:add' },
      ]);
    });

    it("sets a user's roles 20 times: one row per role", async () => {
      await t.http
        .post('/1.0/kb/security/roles')
        .set(t.adminHeaders)
        .send({ role: 'r1', permissions: ['account:create'] })
        .expect(201);
      await t.http.post('/1.0/kb/security/users').set(t.adminHeaders).send({ username: 'roles-racer', password: 'pw', roles: [] }).expect(201);
      const responses = await race(() =>
        t.http
          .put('/1.0/kb/security/users/roles-racer/roles')
          .set(t.adminHeaders)
          .send({ roles: ['r1'] }),
      );
      expect(statuses(responses)).toEqual(Array(PARALLEL).fill([204, null]));
      expect(await t.query(`SELECT 1 FROM user_roles WHERE username = 'roles-racer' AND is_active`)).toHaveLength(1);
    });
  });
});
