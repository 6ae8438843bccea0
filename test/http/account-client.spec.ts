import type { AddressInfo } from 'node:net';
import axios from 'axios';
import * as killbill from 'killbill';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/** The official Kill Bill JavaScript client (generated from Kill Bill's swagger) against our server. */
describe('Account resource through the official killbill npm client', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountApi: killbill.AccountApi;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const client = axios.create();
    client.interceptors.response.use(killbill.followLocationHeaderInterceptor);
    const configuration = new killbill.Configuration({
      username: 'admin',
      password: 'password',
      apiKey: killbill.apiKey(tenant.apiKey, tenant.apiSecret),
      basePath: `http://127.0.0.1:${port}`,
    });
    accountApi = new killbill.AccountApi(configuration, undefined, client);
  });
  afterAll(() => t.close());

  it('creates (following the Location), reads, updates and searches an account', async () => {
    const created = await accountApi.createAccount(
      { name: 'Client Person', email: 'client@example.com', currency: 'EUR', externalKey: 'client-ext', timeZone: 'Europe/Berlin' },
      'npm-client',
      'testing',
      'official client',
    );
    expect(created.status).toBe(201);
    const account = created.data;
    expect(account).toMatchObject({ name: 'Client Person', externalKey: 'client-ext', currency: 'EUR', timeZone: 'Europe/Berlin', billCycleDayLocal: 0 });
    const accountId = account.accountId as string;

    const byId = await accountApi.getAccount(accountId, false, false, 'FULL');
    expect(byId.data.auditLogs?.map((log) => [log.changeType, log.changedBy, log.reasonCode, log.comments])).toEqual([
      ['INSERT', 'npm-client', 'testing', 'official client'],
    ]);
    expect((await accountApi.getAccountByKey('client-ext')).data.accountId).toBe(accountId);

    const updated = await accountApi.updateAccount({ name: 'Client Person II', city: 'Berlin' }, accountId, 'npm-client');
    expect(updated.status).toBe(204);
    expect((await accountApi.getAccount(accountId)).data).toMatchObject({ name: 'Client Person II', city: 'Berlin', email: 'client@example.com' });

    const search = await accountApi.searchAccounts('person ii', 0, 10);
    expect(search.data.map((a) => a.accountId)).toEqual([accountId]);
    expect(search.headers['x-killbill-pagination-totalnbrecords']).toBe('1');

    const page = await accountApi.getAccounts(0, 10);
    expect(page.data.map((a) => a.accountId)).toContain(accountId);

    await accountApi.addEmail({ accountId, email: 'second@example.com' }, accountId, 'npm-client');
    expect((await accountApi.getEmails(accountId)).data.map((e) => e.email)).toEqual(['second@example.com']);
  });

  it('surfaces Kill Bill errors to the client', async () => {
    await expect(accountApi.getAccount('0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11')).rejects.toMatchObject({ response: { status: 404, data: { code: 3002 } } });
  });
});
