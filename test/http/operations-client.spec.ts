import * as killbill from 'killbill';
import { CLIENT_USER as BY, startClientTestApp, type ClientTestApp } from '../support/killbill-client';
import type { TestApp } from '../support/test-app';

/** The official Kill Bill JavaScript client against our server, for the operator's calls: RBAC, bundles, overdue, queues, callbacks, searches. */
describe('Operations through the official killbill npm client', () => {
  let t: TestApp;
  let api: ClientTestApp['api'];
  let configurationFor: ClientTestApp['configurationFor'];

  beforeAll(async () => {
    const app = await startClientTestApp({ tenant: 'global-catalog', clock: '2013-08-01T06:00:00.000Z' });
    ({ t, api, configurationFor } = app);
  });
  afterAll(() => t.close());

  it("a role and a user made through SecurityApi: the user has its role's permissions, and is refused the rest", async () => {
    const securityApi = api(killbill.SecurityApi);
    expect((await securityApi.addRoleDefinition({ role: 'reader', permissions: ['account:*'] }, BY)).status).toBe(201);
    expect((await securityApi.addUserRoles({ username: 'riley', password: 'secret', roles: ['reader'] }, BY)).status).toBe(201);
    const riley = configurationFor('riley', 'secret');
    // As Kill Bill's realm reports them: the role's wildcard strings, not expanded.
    expect((await api(killbill.SecurityApi, riley).getCurrentUserPermissions()).data).toEqual(['account:*']);
    const accountId = (await api(killbill.AccountApi, riley).createAccount({ name: 'By Riley', currency: 'USD' }, BY)).data.accountId as string;
    const refused = await api(killbill.InvoiceApi, riley)
      .createExternalCharges([{ accountId, amount: 1 } as killbill.InvoiceItem], accountId, BY)
      .then(
        () => undefined,
        (error: unknown) => (error as { response?: { status: number } }).response?.status,
      );
    // Kill Bill answers a missing permission with 401 (its ShiroExceptionMapper), not 403.
    expect(refused).toBe(401);
  });

  it('a bundle paused and resumed, its account searched and paged, custom fields and tags searched', async () => {
    const accountApi = api(killbill.AccountApi);
    const accountId = (await accountApi.createAccount({ name: 'Operated', currency: 'USD', externalKey: 'operated-account' }, BY)).data.accountId as string;
    const subscription = (await api(killbill.SubscriptionApi).createSubscription({ accountId, planName: 'sports-monthly' } as killbill.Subscription, BY)).data;
    const bundleApi = api(killbill.BundleApi);
    const bundleId = subscription.bundleId as string;
    expect((await bundleApi.pauseBundle(bundleId, BY)).status).toBe(204);
    expect((await api(killbill.SubscriptionApi).getSubscription(subscription.subscriptionId as string)).data.state).toBe('BLOCKED');
    expect((await bundleApi.resumeBundle(bundleId, BY)).status).toBe(204);
    expect((await api(killbill.SubscriptionApi).getSubscription(subscription.subscriptionId as string)).data.state).toBe('ACTIVE');

    const found = await accountApi.searchAccounts('operated-account', 0, 10);
    expect(found.data.map((account) => account.accountId)).toEqual([accountId]);
    expect(found.headers['x-killbill-pagination-totalnbrecords']).toBeDefined();
    const page = await accountApi.getAccounts(0, 1);
    expect(page.data).toHaveLength(1);
    expect(Number(page.headers['x-killbill-pagination-maxnbrecords'])).toBeGreaterThanOrEqual(1);

    await accountApi.createAccountCustomFields([{ name: 'segment', value: 'smb-operated' } as killbill.CustomField], accountId, BY);
    const fields = (await api(killbill.CustomFieldApi).searchCustomFields('smb-operated')).data;
    expect(fields.map((field) => [field.objectId, field.name, field.value])).toEqual([[accountId, 'segment', 'smb-operated']]);
    // AUTO_INVOICING_OFF, a control tag, found by its name.
    await accountApi.createAccountTags(['00000000-0000-0000-0000-000000000002'], accountId, BY);
    const tags = (await api(killbill.TagApi).searchTags('AUTO_INVOICING_OFF')).data;
    expect(tags.map((tag) => [tag.objectId, tag.tagDefinitionName])).toContainEqual([accountId, 'AUTO_INVOICING_OFF']);
    expect((await api(killbill.TagDefinitionApi).getTagDefinitions()).data.map((definition) => definition.name)).toContain('AUTO_INVOICING_OFF');
  });

  it('a bundle read by key, renamed and transferred IMMEDIATE; a subscription by key, its BCD and a blocking state; a user key-value; a cache cleared', async () => {
    const accountApi = api(killbill.AccountApi);
    const bundleApi = api(killbill.BundleApi);
    const subscriptionApi = api(killbill.SubscriptionApi);
    const accountId = (await accountApi.createAccount({ name: 'Source', currency: 'USD' }, BY)).data.accountId as string;
    const destinationId = (await accountApi.createAccount({ name: 'Destination', currency: 'USD' }, BY)).data.accountId as string;
    const subscription = (
      await subscriptionApi.createSubscription(
        { accountId, planName: 'sports-monthly', bundleExternalKey: 'moving-bundle', externalKey: 'moving-subscription' } as killbill.Subscription,
        BY,
      )
    ).data;
    expect((await subscriptionApi.getSubscriptionByKey('moving-subscription')).data.subscriptionId).toBe(subscription.subscriptionId);
    const bundleId = subscription.bundleId as string;
    expect((await bundleApi.getBundleByKey('moving-bundle')).data.map((bundle) => bundle.bundleId)).toEqual([bundleId]);

    expect(
      (await subscriptionApi.updateSubscriptionBCD({ billCycleDayLocal: 15 } as killbill.Subscription, subscription.subscriptionId as string, BY)).status,
    ).toBe(204);
    const blocked = await subscriptionApi.addSubscriptionBlockingState(
      { stateName: 'WATCHED', service: 'client-service', isBlockChange: false, isBlockEntitlement: false, isBlockBilling: false } as killbill.BlockingState,
      subscription.subscriptionId as string,
      BY,
    );
    expect(blocked.status).toBe(201);
    const states = (await accountApi.getBlockingStates(accountId, undefined, ['client-service'])).data;
    expect(states.map((state) => [state.blockedId, state.stateName, state.type])).toEqual([[subscription.subscriptionId, 'WATCHED', 'SUBSCRIPTION']]);

    expect((await bundleApi.renameExternalKey({ externalKey: 'moved-bundle' } as killbill.Bundle, bundleId, BY)).status).toBe(204);
    const transferred = await bundleApi.transferBundle({ accountId: destinationId, bundleId } as killbill.Bundle, bundleId, BY, undefined, 'IMMEDIATE');
    expect(transferred.status).toBe(201);
    expect(transferred.data).toMatchObject({ accountId: destinationId, externalKey: 'moved-bundle' });
    expect(transferred.data.subscriptions?.map((copy) => [copy.planName, copy.sourceType, copy.state])).toEqual([['sports-monthly', 'TRANSFERRED', 'ACTIVE']]);
    expect((await subscriptionApi.getSubscription(subscription.subscriptionId as string)).data.state).toBe('CANCELLED');

    const tenantApi = api(killbill.TenantApi);
    expect((await tenantApi.insertUserKeyValue('client-value', 'client-key-name', BY)).status).toBe(201);
    expect((await tenantApi.getUserKeyValue('client-key-name')).data).toMatchObject({ key: 'client-key-name', values: ['client-value'] });
    expect((await tenantApi.deleteUserKeyValue('client-key-name', BY)).status).toBe(204);
    expect((await tenantApi.getUserKeyValue('client-key-name')).data).toMatchObject({ key: 'client-key-name', values: [] });
    expect((await api(killbill.AdminApi).invalidatesCache('tenant-kv')).status).toBe(204);
  });

  it("an account's overdue state, its queue entries and the tenant's push-notification callbacks", async () => {
    const accountApi = api(killbill.AccountApi);
    const accountId = (await accountApi.createAccount({ name: 'Watched', currency: 'USD' }, BY)).data.accountId as string;
    const overdue = (await accountApi.getOverdueAccount(accountId)).data;
    expect(overdue).toMatchObject({ name: '__KILLBILL__CLEAR__OVERDUE_STATE__', isClearState: true });

    const queues = await api(killbill.AdminApi).getQueueEntries(accountId, undefined, undefined, true, undefined, undefined, undefined, true, true);
    expect(queues.status).toBe(200);
    const busEvents = (queues.data as unknown as { busEvents: { className: string }[] }).busEvents.map((event) => event.className);
    expect(busEvents).toContain('ACCOUNT_CREATION');

    const tenantApi = api(killbill.TenantApi);
    expect((await tenantApi.registerPushNotificationCallback(BY, 'http://127.0.0.1:1/callback')).status).toBe(201);
    expect((await tenantApi.getPushNotificationCallbacks()).data).toMatchObject({ key: 'PUSH_NOTIFICATION_CB', values: ['http://127.0.0.1:1/callback'] });
    expect((await tenantApi.deletePushNotificationCallbacks(BY)).status).toBe(204);
  });
});
