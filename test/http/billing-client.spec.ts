import type { AxiosError } from 'axios';
import * as killbill from 'killbill';
import { CLIENT_USER as BY, startClientTestApp, type ClientTestApp } from '../support/killbill-client';
import type { TestApp } from '../support/test-app';

const AUTO_PAY_OFF = '00000000-0000-0000-0000-000000000001';

/** The official Kill Bill JavaScript client against our server: invoices, credits, invoice payments and payments. */
describe('Invoices and payments through the official killbill npm client', () => {
  let t: TestApp;
  let api: ClientTestApp['api'];
  let settle: ClientTestApp['settle'];

  beforeAll(async () => {
    const app = await startClientTestApp({ tenant: 'global-catalog', clock: '2013-08-01T06:00:00.000Z' });
    ({ t, api, settle } = app);
  });
  afterAll(() => t.close());

  async function balances(accountId: string): Promise<[number | undefined, number | undefined]> {
    const account = (await api(killbill.AccountApi).getAccount(accountId, true, true)).data;
    return [account.accountBalance, account.accountCBA];
  }

  it('an external charge, a partial payment of it, a credit, paying all, and a refund without adjustment move the balances as Kill Bill does', async () => {
    const accountApi = api(killbill.AccountApi);
    const invoiceApi = api(killbill.InvoiceApi);
    const accountId = (await accountApi.createAccount({ name: 'Invoiced', currency: 'USD' }, BY)).data.accountId as string;
    // AUTO_PAY_OFF: committed invoices wait for explicit payments.
    expect((await accountApi.createAccountTags([AUTO_PAY_OFF], accountId, BY)).status).toBe(201);
    const method = (await accountApi.createPaymentMethod({ pluginName: '__EXTERNAL_PAYMENT__' } as killbill.PaymentMethod, accountId, BY, true)).data;
    expect(method).toMatchObject({ accountId, pluginName: '__EXTERNAL_PAYMENT__', isDefault: true });

    const charged = (
      await invoiceApi.createExternalCharges(
        [{ accountId, amount: 25.5, currency: 'USD', description: 'Setup' } as killbill.InvoiceItem],
        accountId,
        BY,
        undefined,
        true,
      )
    ).data;
    expect(charged.map((item) => [item.itemType, item.amount, item.description])).toEqual([['EXTERNAL_CHARGE', 25.5, 'Setup']]);
    const invoiceId = charged[0].invoiceId as string;
    const invoice = (await invoiceApi.getInvoice(invoiceId)).data;
    expect(invoice).toMatchObject({ invoiceId, accountId, amount: 25.5, balance: 25.5, status: 'COMMITTED', currency: 'USD' });
    expect(invoice.items?.map((item) => item.itemType)).toEqual(['EXTERNAL_CHARGE']);
    expect((await api(killbill.InvoiceApi).getInvoiceByNumber(Number(invoice.invoiceNumber))).data.invoiceId).toBe(invoiceId);
    expect(await balances(accountId)).toEqual([25.5, 0]);

    // A payment of part of it (following the Location to the invoice payment).
    const paid = (await invoiceApi.createInstantPayment({ accountId, purchasedAmount: 10 } as killbill.InvoicePayment, invoiceId, BY, true)).data;
    expect(paid).toMatchObject({ accountId, targetInvoiceId: invoiceId, purchasedAmount: 10, refundedAmount: 0 });
    expect((await invoiceApi.getInvoice(invoiceId)).data.balance).toBe(15.5);

    // A credit goes to the unpaid invoice; paying all leaves nothing due.
    const credit = (
      await api(killbill.CreditApi).createCredits([{ accountId, amount: 5, currency: 'USD', description: 'Goodwill' } as killbill.InvoiceItem], BY, true)
    ).data;
    expect(credit.map((item) => [item.itemType, item.amount])).toEqual([['CREDIT_ADJ', 5]]);
    expect((await balances(accountId))[0]).toBe(10.5);
    await accountApi.payAllInvoices(accountId, BY, undefined, true);
    await settle();
    expect(await balances(accountId)).toEqual([0, 0]);
    const payments = (await accountApi.getInvoicePayments(accountId)).data;
    expect(payments.map((payment) => payment.purchasedAmount).sort()).toEqual([10, 10.5]);

    // A refund of the first payment without item adjustment: what it refunds is due again. (With
    // externalPayment=true Kill Bill would instead credit a new payment, and redirect to that one.)
    const refunded = (
      await api(killbill.InvoicePaymentApi).createRefundWithAdjustments(
        { amount: 10, isAdjusted: false } as killbill.InvoicePaymentTransaction,
        paid.paymentId as string,
        BY,
      )
    ).data;
    expect(refunded).toMatchObject({ paymentId: paid.paymentId, purchasedAmount: 10, refundedAmount: 10 });
    expect((await balances(accountId))[0]).toBe(10);
  });

  it('authorize, two partial captures and a refund through PaymentApi; a declined purchase is a 402 the client surfaces', async () => {
    const accountApi = api(killbill.AccountApi);
    const paymentApi = api(killbill.PaymentApi);
    const accountId = (await accountApi.createAccount({ name: 'Payer', currency: 'USD' }, BY)).data.accountId as string;
    await accountApi.createPaymentMethod({ pluginName: 'killbill-payment-test' } as killbill.PaymentMethod, accountId, BY, true);

    const authorized = (
      await accountApi.processPayment({ transactionType: 'AUTHORIZE', amount: 100, currency: 'USD' } as killbill.PaymentTransaction, accountId, BY)
    ).data;
    expect(authorized).toMatchObject({ accountId, authAmount: 100, capturedAmount: 0, currency: 'USD' });
    const paymentId = authorized.paymentId as string;
    await paymentApi.captureAuthorization({ amount: 40, currency: 'USD' } as killbill.PaymentTransaction, paymentId, BY);
    const captured = (await paymentApi.captureAuthorization({ amount: 60, currency: 'USD' } as killbill.PaymentTransaction, paymentId, BY)).data;
    expect(captured).toMatchObject({ paymentId, authAmount: 100, capturedAmount: 100, refundedAmount: 0 });
    const refunded = (await paymentApi.refundPayment({ amount: 30, currency: 'USD' } as killbill.PaymentTransaction, paymentId, BY)).data;
    expect(refunded).toMatchObject({ paymentId, capturedAmount: 100, refundedAmount: 30 });

    const read = (await paymentApi.getPayment(paymentId)).data;
    expect(read.transactions?.map((transaction) => [transaction.transactionType, transaction.amount, transaction.status])).toEqual([
      ['AUTHORIZE', 100, 'SUCCESS'],
      ['CAPTURE', 40, 'SUCCESS'],
      ['CAPTURE', 60, 'SUCCESS'],
      ['REFUND', 30, 'SUCCESS'],
    ]);
    expect((await accountApi.getPaymentsForAccount(accountId)).data.map((payment) => payment.paymentId)).toEqual([paymentId]);

    const declined = await accountApi
      .processPayment({ transactionType: 'PURCHASE', amount: 5, currency: 'USD' } as killbill.PaymentTransaction, accountId, BY, undefined, undefined, [
        'ACTION_RETURN_PLUGIN_STATUS_ERROR=purchasePayment',
      ])
      .then(
        () => undefined,
        (error: unknown) => error as AxiosError<{ className: string; message: string }>,
      );
    expect(declined?.response?.status).toBe(402);
    expect(declined?.response?.data).toMatchObject({ className: 'org.killbill.billing.payment.api.PaymentApiException' });
    const all = (await accountApi.getPaymentsForAccount(accountId)).data;
    expect(all.map((payment) => payment.transactions?.map((transaction) => [transaction.transactionType, transaction.status]))).toEqual([
      [
        ['AUTHORIZE', 'SUCCESS'],
        ['CAPTURE', 'SUCCESS'],
        ['CAPTURE', 'SUCCESS'],
        ['REFUND', 'SUCCESS'],
      ],
      [['PURCHASE', 'PAYMENT_FAILURE']],
    ]);
  });

  it("a dry run of the upcoming invoice shows the trial's end: sports-monthly's $500 from 2013-08-31", async () => {
    const accountApi = api(killbill.AccountApi);
    const accountId = (await accountApi.createAccount({ name: 'Dry', currency: 'USD', billCycleDayLocal: 31 }, BY)).data.accountId as string;
    await api(killbill.SubscriptionApi).createSubscription({ accountId, planName: 'sports-monthly' } as killbill.Subscription, BY);
    await settle();
    const dryRun = (await api(killbill.InvoiceApi).generateDryRunInvoice({ dryRunType: 'UPCOMING_INVOICE' } as killbill.InvoiceDryRun, accountId, BY)).data;
    expect(dryRun.items?.map((item) => [item.itemType, item.planName, item.phaseName, item.startDate, item.endDate, item.amount])).toEqual([
      ['RECURRING', 'sports-monthly', 'sports-monthly-evergreen', '2013-08-31', '2013-09-30', 500],
    ]);
    // Nothing written by the dry run: the account still has its trial's $0 invoice only.
    const invoices = (await accountApi.getInvoicesForAccount(accountId)).data;
    expect(invoices.map((invoice) => invoice.amount)).toEqual([0]);
  });
});
