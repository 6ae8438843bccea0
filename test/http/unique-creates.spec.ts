import type { Response } from 'supertest';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/**
 * Creates whose uniqueness a check decides: twenty concurrent creates of one name make one row, and
 * every loser gets the error the check gives (the unique index decides the race).
 */
describe('Concurrent creates of one name', () => {
  const PARALLEL = 20;
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  async function race(send: () => Promise<Response>): Promise<{ created: number; errors: Response[] }> {
    const responses = await Promise.all(Array.from({ length: PARALLEL }, send));
    const created = responses.filter((response) => response.status === 201).length;
    return { created, errors: responses.filter((response) => response.status !== 201) };
  }

  it('creates one user', async () => {
    const { created, errors } = await race(() => t.http.post('/1.0/kb/security/users').set(t.adminHeaders).send({ username: 'racer', password: 'pw', roles: [] }));
    expect(created).toBe(1);
    expect(errors.map((response) => [response.status, response.body.code])).toEqual(Array(PARALLEL - 1).fill([400, 40002]));
    expect(await t.query(`SELECT 1 FROM users WHERE username = 'racer'`)).toHaveLength(1);
  });

  it('creates one role, with its permissions once', async () => {
    const { created, errors } = await race(() =>
      t.http.post('/1.0/kb/security/roles').set(t.adminHeaders).send({ role: 'racing', permissions: ['account:create', 'tag:add'] }),
    );
    expect(created).toBe(1);
    expect(errors.map((response) => [response.status, response.body.code])).toEqual(Array(PARALLEL - 1).fill([400, 40004]));
    expect(await t.query(`SELECT permission FROM roles_permissions WHERE role_name = 'racing' ORDER BY permission`)).toEqual([
      { permission: 'account:create' },
      { permission: 'tag:add' },
    ]);
  });

  it('creates one tag definition per tenant', async () => {
    const { created, errors } = await race(() =>
      t.http.post('/1.0/kb/tagDefinitions').set(tenant.headers).send({ name: 'racing', description: 'fast', applicableObjectTypes: ['ACCOUNT'] }),
    );
    expect(created).toBe(1);
    expect(errors.map((response) => [response.status, response.body.code])).toEqual(Array(PARALLEL - 1).fill([409, 3901]));
    expect(await t.query(`SELECT 1 FROM tag_definitions WHERE name = 'racing' AND is_active`)).toHaveLength(1);
  });

  it('frees a name once its holder is deleted (the index covers active rows only)', async () => {
    const first = await t.http.post('/1.0/kb/tagDefinitions').set(tenant.headers).send({ name: 'reused', description: 'one', applicableObjectTypes: ['ACCOUNT'] }).expect(201);
    const id = String(first.headers.location).split('/').pop();
    await t.http.delete(`/1.0/kb/tagDefinitions/${id}`).set(tenant.headers).expect(204);
    await t.http.post('/1.0/kb/tagDefinitions').set(tenant.headers).send({ name: 'reused', description: 'two', applicableObjectTypes: ['ACCOUNT'] }).expect(201);
  });
});
