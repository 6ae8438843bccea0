import * as killbill from 'killbill';
import { CLIENT_USER as BY, startClientTestApp, type ClientTestApp } from '../support/killbill-client';
import type { TestApp } from '../support/test-app';

/** The official Kill Bill JavaScript client against our server: combo payments, future and migration invoices, voids, parents and children, closing, a simple plan, translations. */
describe('Account life cycle through the official killbill npm client', () => {
  let t: TestApp;
  let api: ClientTestApp['api'];
  let settle: ClientTestApp['settle'];
  let configurationFor: ClientTestApp['configurationFor'];

  beforeAll(async () => {
    const app = await startClientTestApp({ tenant: 'global-catalog', clock: '2013-08-01T06:00:00.000Z' });
    ({ t, api, settle, configurationFor } = app);
  });
  afterAll(() => t.close());

  const cbaOf = async (accountId: string) => (await api(killbill.AccountApi).getAccount(accountId, true, true)).data.accountCBA;

  it('a combo payment creates the account, its method and the payment in one call', async () => {
    const payment = (
      await api(killbill.PaymentApi).createComboPayment(
        {
          account: { name: 'Combo', currency: 'USD', externalKey: 'combo-account' },
          paymentMethod: { pluginName: '__EXTERNAL_PAYMENT__' },
          transaction: { transactionType: 'PURCHASE', amount: 10, currency: 'USD' },
        } as killbill.ComboPaymentTransaction,
        BY,
      )
    ).data;
    expect(payment).toMatchObject({ purchasedAmount: 10, currency: 'USD' });
    const account = (await api(killbill.AccountApi).getAccount(payment.accountId as string)).data;
    expect(account).toMatchObject({ externalKey: 'combo-account', paymentMethodId: payment.paymentMethodId });
  });

  it('a future invoice on demand, a migration invoice kept out of the default list, and a voided invoice', async () => {
    const accountApi = api(killbill.AccountApi);
    const invoiceApi = api(killbill.InvoiceApi);
    const accountId = (await accountApi.createAccount({ name: 'Invoices', currency: 'USD', billCycleDayLocal: 31 }, BY)).data.accountId as string;
    await accountApi.createAccountTags(['00000000-0000-0000-0000-000000000002'], accountId, BY); // AUTO_INVOICING_OFF
    await api(killbill.SubscriptionApi).createSubscription({ accountId, planName: 'sports-monthly' } as killbill.Subscription, BY);
    await settle();
    // Invoicing is off for the account: POST /invoices still invoices it, up to the target date.
    const future = (await invoiceApi.createFutureInvoice(accountId, BY, '2013-08-31')).data;
    expect(future.items?.map((item) => [item.itemType, item.startDate, item.amount])).toEqual([
      ['FIXED', '2013-08-01', 0],
      ['RECURRING', '2013-08-31', 500],
    ]);

    const migrated = (
      await invoiceApi.createMigrationInvoice(
        [{ itemType: 'EXTERNAL_CHARGE', amount: 50, currency: 'USD', description: 'From the old system', startDate: '2013-07-01' } as killbill.InvoiceItem],
        accountId,
        BY,
        '2013-07-01',
      )
    ).data;
    expect(migrated).toMatchObject({ accountId, amount: 50 });
    const listed = (await accountApi.getInvoicesForAccount(accountId)).data.map((invoice) => invoice.invoiceId);
    expect(listed).toEqual([future.invoiceId]);
    const withMigrated = (await accountApi.getInvoicesForAccount(accountId, undefined, undefined, true)).data.map((invoice) => invoice.invoiceId);
    expect(withMigrated).toEqual(expect.arrayContaining([future.invoiceId, migrated.invoiceId]));

    expect((await invoiceApi.voidInvoice(future.invoiceId as string, BY)).status).toBe(204);
    expect((await invoiceApi.getInvoice(future.invoiceId as string)).data.status).toBe('VOID');
    const paged = await accountApi.getInvoicesForAccountPaginated(accountId, 0, 10);
    expect(paged.headers['x-killbill-pagination-totalnbrecords']).toBeDefined();
  });

  it("a child's credit moves to its parent; closing an account cancels its subscriptions and writes off what is unpaid", async () => {
    const accountApi = api(killbill.AccountApi);
    const parentId = (await accountApi.createAccount({ name: 'Parent', currency: 'USD' }, BY)).data.accountId as string;
    const childId = (await accountApi.createAccount({ name: 'Child', currency: 'USD', parentAccountId: parentId, isPaymentDelegatedToParent: true }, BY)).data
      .accountId as string;
    expect((await accountApi.getChildrenAccounts(parentId)).data.map((account) => account.accountId)).toEqual([childId]);
    await api(killbill.CreditApi).createCredits([{ accountId: childId, amount: 7, currency: 'USD' } as killbill.InvoiceItem], BY, true);
    expect(await cbaOf(childId)).toBe(7);
    expect((await accountApi.transferChildCreditToParent(childId, BY)).status).toBe(204);
    expect([await cbaOf(childId), await cbaOf(parentId)]).toEqual([0, 7]);

    const closingId = (await accountApi.createAccount({ name: 'Closing', currency: 'USD' }, BY)).data.accountId as string;
    const subscription = (
      await api(killbill.SubscriptionApi).createSubscription({ accountId: closingId, planName: 'sports-monthly' } as killbill.Subscription, BY)
    ).data;
    await api(killbill.InvoiceApi).createExternalCharges([{ accountId: closingId, amount: 20 } as killbill.InvoiceItem], closingId, BY, undefined, true);
    await settle();
    expect((await accountApi.getAccount(closingId, true)).data.accountBalance).toBeGreaterThan(0);
    expect((await accountApi.closeAccount(closingId, BY, true, true)).status).toBe(204);
    await settle();
    expect((await accountApi.getAccount(closingId, true)).data.accountBalance).toBe(0);
    expect((await api(killbill.SubscriptionApi).getSubscription(subscription.subscriptionId as string)).data.state).toBe('CANCELLED');
  });

  it('a simple plan added to a tenant with no catalog yet, then subscribed to; translations uploaded as text and read back', async () => {
    const fresh = await t.createTenant();
    const as = configurationFor('admin', 'password', fresh);
    const added = await api(killbill.CatalogApi, as).addSimplePlan(
      {
        planId: 'gold-monthly',
        productName: 'Gold',
        productCategory: 'BASE',
        currency: 'USD',
        amount: 9.99,
        billingPeriod: 'MONTHLY',
        trialLength: 0,
        trialTimeUnit: 'UNLIMITED',
      } as killbill.SimplePlan,
      BY,
    );
    expect(added.status).toBe(201);
    expect((await api(killbill.CatalogApi, as).getAvailableBasePlans()).data.map((plan) => plan.plan)).toEqual(['gold-monthly']);
    const accountId = (await api(killbill.AccountApi, as).createAccount({ name: 'Gold', currency: 'USD' }, BY)).data.accountId as string;
    const subscription = (await api(killbill.SubscriptionApi, as).createSubscription({ accountId, planName: 'gold-monthly' } as killbill.Subscription, BY))
      .data;
    expect(subscription).toMatchObject({ planName: 'gold-monthly', productName: 'Gold', state: 'ACTIVE' });

    const invoiceApi = api(killbill.InvoiceApi, as);
    const translation = 'invoiceTitle=FACTURE\ninvoiceDate=Date :';
    expect((await invoiceApi.uploadInvoiceTranslation(translation, 'fr_FR', BY)).status).toBe(201);
    expect((await invoiceApi.getInvoiceTranslation('fr_FR')).data).toBe(translation);
    expect((await invoiceApi.uploadCatalogTranslation('gold-monthly=Or mensuel', 'fr_FR', BY)).status).toBe(201);
    expect((await invoiceApi.getCatalogTranslation('fr_FR')).data).toBe('gold-monthly=Or mensuel');
  });
});
