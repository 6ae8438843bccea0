import { AccountRow } from '@kb/account';
import { columnLength } from '@kb/platform';
import { UserRow } from '@kb/security';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/** A value longer than the column it is stored in is a 400 naming the field, never a 500 from PostgreSQL. */
describe('Values longer than their column', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const long = (length: number) => 'x'.repeat(length);

  function expectTooLong(response: { status: number; body: { message?: string } }, field: string, max: number) {
    expect([response.status, response.body.message]).toEqual([400, expect.stringContaining(`${field} is longer than ${max} characters`)]);
  }

  describe('security', () => {
    it('refuses a username over 128 characters and accepts one of 128', async () => {
      expectTooLong(
        await t.http
          .post('/1.0/kb/security/users')
          .set(t.adminHeaders)
          .send({ username: long(129), password: 'pw', roles: [] }),
        'username',
        128,
      );
      await t.http
        .post('/1.0/kb/security/users')
        .set(t.adminHeaders)
        .send({ username: long(128), password: 'pw', roles: [] })
        .expect(201);
    });

    it('refuses a role name over 128 characters, in a role and in the roles of a user', async () => {
      expectTooLong(
        await t.http
          .post('/1.0/kb/security/roles')
          .set(t.adminHeaders)
          .send({ role: long(129), permissions: [] }),
        'role',
        128,
      );
      expectTooLong(
        await t.http
          .post('/1.0/kb/security/users')
          .set(t.adminHeaders)
          .send({ username: 'u1', password: 'pw', roles: [long(129)] }),
        'roles',
        128,
      );
      await t.http.post('/1.0/kb/security/users').set(t.adminHeaders).send({ username: 'u2', password: 'pw', roles: [] }).expect(201);
      expectTooLong(
        await t.http
          .put('/1.0/kb/security/users/u2/roles')
          .set(t.adminHeaders)
          .send({ roles: [long(129)] }),
        'roles',
        128,
      );
    });

    it('refuses a permission over 255 characters', async () => {
      expectTooLong(
        await t.http
          .post('/1.0/kb/security/roles')
          .set(t.adminHeaders)
          .send({ role: 'r', permissions: [long(256)] }),
        'permissions',
        255,
      );
    });
  });

  describe('tenant keys', () => {
    it('refuses a keyName over 255 characters and stores one of 255', async () => {
      expectTooLong(
        await t.http
          .post(`/1.0/kb/tenants/userKeyValue/${long(256)}`)
          .set(tenant.headers)
          .type('text/plain')
          .send('v'),
        'keyName',
        255,
      );
      await t.http
        .post(`/1.0/kb/tenants/userKeyValue/${long(255)}`)
        .set(tenant.headers)
        .type('text/plain')
        .send('v')
        .expect(201);
    });

    it('sizes a pluginName by what its key prefix leaves of the column', async () => {
      const room = 255 - 'PLUGIN_CONFIG_'.length;
      expectTooLong(
        await t.http
          .post(`/1.0/kb/tenants/uploadPluginConfig/${long(room + 1)}`)
          .set(tenant.headers)
          .type('text/plain')
          .send('k=v'),
        'pluginName',
        room,
      );
      await t.http
        .post(`/1.0/kb/tenants/uploadPluginConfig/${long(room)}`)
        .set(tenant.headers)
        .type('text/plain')
        .send('k=v')
        .expect(201);
      const stateMachineRoom = 255 - 'PLUGIN_PAYMENT_STATE_MACHINE_'.length;
      expectTooLong(
        await t.http
          .post(`/1.0/kb/tenants/uploadPluginPaymentStateMachineConfig/${long(300)}`)
          .set(tenant.headers)
          .type('text/plain')
          .send('<a/>'),
        'pluginName',
        stateMachineRoom,
      );
    });

    it('refuses an apiKey over 128 characters', async () => {
      expectTooLong(
        await t.http
          .post('/1.0/kb/tenants')
          .set(t.adminHeaders)
          .send({ apiKey: long(129), apiSecret: 's' }),
        'apiKey',
        128,
      );
    });
  });

  it('refuses a tag definition name over 20 characters with Kill Bill-like wording', async () => {
    const response = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name: long(21), description: 'd', applicableObjectTypes: ['ACCOUNT'] });
    expectTooLong(response, 'TagDefinition name', 20);
  });

  it('refuses account fields longer than their columns', async () => {
    expectTooLong(
      await t.http
        .post('/1.0/kb/accounts')
        .set(tenant.headers)
        .send({ name: long(101) }),
      'name',
      100,
    );
    expectTooLong(
      await t.http
        .post('/1.0/kb/accounts')
        .set(tenant.headers)
        .send({ company: long(51) }),
      'company',
      50,
    );
    expectTooLong(
      await t.http
        .post('/1.0/kb/accounts')
        .set(tenant.headers)
        .send({ locale: long(17) }),
      'locale',
      16,
    );
    expectTooLong(
      await t.http
        .post('/1.0/kb/accounts')
        .set(tenant.headers)
        .send({ timeZone: long(51) }),
      'timeZone',
      50,
    );
  });

  it('refuses a custom field name over 64 characters (sized from the column)', async () => {
    const accountId = await createAccount(t, tenant);
    expectTooLong(
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/customFields`)
        .set(tenant.headers)
        .send([{ name: long(65), value: 'v' }]),
      'name',
      64,
    );
  });

  it('reads the length of a column from its entity, and refuses a column without one', () => {
    expect(columnLength(UserRow, 'username')).toBe(128);
    expect(columnLength(AccountRow, 'createdBy')).toBe(50);
    expect(() => columnLength(UserRow, 'isActive')).toThrow('UserRow.isActive is not a column with a length');
  });
});
