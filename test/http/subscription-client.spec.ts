import type { AddressInfo } from 'node:net';
import axios from 'axios';
import * as killbill from 'killbill';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

/** The official Kill Bill JavaScript client against our server: a subscription with add-ons, then its bundle and the account timeline. */
describe('Subscriptions and bundles through the official killbill npm client', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let configuration: killbill.Configuration;
  const client = axios.create();

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2013-08-01T06:00:00.000Z' }).set(tenant.headers).expect(200);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    client.interceptors.response.use(killbill.followLocationHeaderInterceptor);
    configuration = new killbill.Configuration({
      username: 'admin',
      password: 'password',
      apiKey: killbill.apiKey(tenant.apiKey, tenant.apiSecret),
      basePath: `http://127.0.0.1:${port}`,
    });
  });
  afterAll(() => t.close());

  it('creates a base with an add-on (following the Location to the bundle) and reads the bundle and the subscription', async () => {
    const accountApi = new killbill.AccountApi(configuration, undefined, client);
    const subscriptionApi = new killbill.SubscriptionApi(configuration, undefined, client);
    const bundleApi = new killbill.BundleApi(configuration, undefined, client);
    const account = (await accountApi.createAccount({ name: 'Client', currency: 'USD' }, 'npm-client')).data;
    const accountId = account.accountId as string;

    const created = await subscriptionApi.createSubscriptionWithAddOns(
      [
        { accountId, planName: 'sports-monthly', bundleExternalKey: 'client-bundle' } as killbill.Subscription,
        { accountId, planName: 'oilslick-monthly' } as killbill.Subscription,
      ],
      'npm-client',
    );
    expect(created.status).toBe(201);
    // Invoicing runs on the new subscriptions' events: let it settle before reading.
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
    const bundle = created.data;
    expect(bundle).toMatchObject({ accountId, externalKey: 'client-bundle' });
    expect(bundle.subscriptions?.map((s) => [s.planName, s.productCategory, s.state])).toEqual([
      ['sports-monthly', 'BASE', 'ACTIVE'],
      ['oilslick-monthly', 'ADD_ON', 'ACTIVE'],
    ]);

    const read = (await bundleApi.getBundle(bundle.bundleId as string, 'FULL')).data;
    // Both subscriptions start now (entitlement then billing each); their phases follow, the base's trial first.
    const types = read.timeline?.events?.map((e) => e.eventType) ?? [];
    expect(types.slice(4)).toEqual(['PHASE', 'PHASE']);
    expect([...types.slice(0, 4)].sort()).toEqual(['START_BILLING', 'START_BILLING', 'START_ENTITLEMENT', 'START_ENTITLEMENT']);
    expect(read.timeline?.events?.slice(4).map((e) => e.phase)).toEqual(['sports-monthly-evergreen', 'oilslick-monthly-evergreen']);
    expect(read.auditLogs?.map((log) => [log.changeType, log.changedBy])).toEqual([['INSERT', 'npm-client']]);

    const baseId = bundle.subscriptions?.[0].subscriptionId as string;
    const subscription = (await subscriptionApi.getSubscription(baseId)).data;
    expect(subscription).toMatchObject({ subscriptionId: baseId, bundleId: bundle.bundleId, phaseType: 'TRIAL', priceList: 'DEFAULT' });
    expect((await accountApi.getAccountBundles(accountId)).data.map((b) => b.bundleId)).toEqual([bundle.bundleId]);

    // The account timeline holds the bundle, both subscriptions and the merged events of the bundle.
    const timeline = (await accountApi.getAccountTimeline(accountId, false, 'NONE')).data;
    expect(timeline.account).toMatchObject({ accountId, name: 'Client', currency: 'USD' });
    expect(timeline.bundles?.map((b) => [b.bundleId, b.externalKey])).toEqual([[bundle.bundleId, 'client-bundle']]);
    const timelineBundle = timeline.bundles?.[0];
    expect(timelineBundle?.subscriptions?.map((s) => [s.planName, s.productCategory])).toEqual([
      ['sports-monthly', 'BASE'],
      ['oilslick-monthly', 'ADD_ON'],
    ]);
    expect(timelineBundle?.timeline?.events?.map((e) => [e.eventType, e.phase])).toEqual(read.timeline?.events?.map((e) => [e.eventType, e.phase]));
    expect(timelineBundle?.timeline?.events?.filter((e) => e.eventType === 'START_ENTITLEMENT').map((e) => e.plan).sort()).toEqual(['oilslick-monthly', 'sports-monthly']);
    // The trial's $0 invoice and the add-on's first period, as the account's invoices; no payments yet.
    const invoices = (await accountApi.getInvoicesForAccount(accountId)).data.map((invoice) => invoice.invoiceId);
    expect(invoices.length).toBeGreaterThan(0);
    expect(timeline.invoices?.map((invoice) => invoice.invoiceId)).toEqual(invoices);
    expect(timeline.payments).toEqual([]);
  });
  it('changes a base plan and cancels it (then uncancels) through the client', async () => {
    const accountApi = new killbill.AccountApi(configuration, undefined, client);
    const subscriptionApi = new killbill.SubscriptionApi(configuration, undefined, client);
    const accountId = (await accountApi.createAccount({ name: 'Changer', currency: 'USD' }, 'npm-client')).data.accountId as string;
    const created = await subscriptionApi.createSubscription({ accountId, planName: 'sports-monthly' } as killbill.Subscription, 'npm-client');
    const subscriptionId = created.data.subscriptionId as string;

    const changed = await subscriptionApi.changeSubscriptionPlan({ planName: 'super-monthly' } as killbill.Subscription, subscriptionId, 'npm-client');
    expect(changed.status).toBe(204);
    expect((await subscriptionApi.getSubscription(subscriptionId)).data).toMatchObject({ planName: 'super-monthly', phaseType: 'TRIAL' });

    const cancelled = await subscriptionApi.cancelSubscriptionPlan(subscriptionId, 'npm-client', '2013-08-20', undefined, undefined, undefined, undefined, true);
    expect(cancelled.status).toBe(204);
    const pending = (await subscriptionApi.getSubscription(subscriptionId)).data;
    expect(pending.state).toBe('ACTIVE');
    expect(pending.events?.map((e) => e.eventType)).toContain('STOP_BILLING');

    expect((await subscriptionApi.uncancelSubscriptionPlan(subscriptionId, 'npm-client')).status).toBe(204);
    const back = (await subscriptionApi.getSubscription(subscriptionId)).data;
    expect([back.cancelledDate, back.billingEndDate]).toEqual([null, null]);
  });
});
