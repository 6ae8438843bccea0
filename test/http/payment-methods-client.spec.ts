import * as killbill from 'killbill';
import { CLIENT_USER as BY, startClientTestApp, type ClientTestApp } from '../support/killbill-client';
import type { TestApp } from '../support/test-app';

/** The official Kill Bill JavaScript client against our server: payment methods, chargebacks and their reversal, a pending payment settled, keys. */
describe('Payment methods, chargebacks and pending payments through the official killbill npm client', () => {
  let t: TestApp;
  let api: ClientTestApp['api'];
  let settle: ClientTestApp['settle'];

  beforeAll(async () => {
    const app = await startClientTestApp({ tenant: 'no-catalog' });
    ({ t, api, settle } = app);
  });
  afterAll(() => t.close());

  it('two methods on an account: read by key, the default switched, the other deleted (kept with includedDeleted), refreshed', async () => {
    const accountApi = api(killbill.AccountApi);
    const methodApi = api(killbill.PaymentMethodApi);
    const accountId = (await accountApi.createAccount({ name: 'Methods', currency: 'USD' }, BY)).data.accountId as string;
    const first = (
      await accountApi.createPaymentMethod({ pluginName: '__EXTERNAL_PAYMENT__', externalKey: 'pm-first' } as killbill.PaymentMethod, accountId, BY, true)
    ).data;
    const second = (
      await accountApi.createPaymentMethod({ pluginName: 'killbill-payment-test', externalKey: 'pm-second' } as killbill.PaymentMethod, accountId, BY)
    ).data;
    expect([first.isDefault, second.isDefault]).toEqual([true, false]);
    expect((await methodApi.getPaymentMethodByKey('pm-second')).data.paymentMethodId).toBe(second.paymentMethodId);

    expect((await accountApi.setDefaultPaymentMethod(accountId, second.paymentMethodId as string, BY)).status).toBe(204);
    expect((await accountApi.getAccount(accountId)).data.paymentMethodId).toBe(second.paymentMethodId);
    expect((await methodApi.deletePaymentMethod(first.paymentMethodId as string, BY)).status).toBe(204);
    expect((await accountApi.getPaymentMethodsForAccount(accountId)).data.map((method) => method.externalKey)).toEqual(['pm-second']);
    expect((await accountApi.getPaymentMethodsForAccount(accountId, false, true)).data.map((method) => method.externalKey).sort()).toEqual([
      'pm-first',
      'pm-second',
    ]);
    expect((await accountApi.refreshPaymentMethods(accountId, BY)).status).toBe(204);
  });

  it('an invoice paid automatically, charged back (owed again) and the chargeback reversed (settled again)', async () => {
    const accountApi = api(killbill.AccountApi);
    const accountId = (await accountApi.createAccount({ name: 'Disputed', currency: 'USD' }, BY)).data.accountId as string;
    await accountApi.createPaymentMethod({ pluginName: '__EXTERNAL_PAYMENT__' } as killbill.PaymentMethod, accountId, BY, true);
    const [charge] = (await api(killbill.InvoiceApi).createExternalCharges([{ accountId, amount: 30 } as killbill.InvoiceItem], accountId, BY, undefined, true))
      .data;
    await settle();
    const balance = async () => (await api(killbill.InvoiceApi).getInvoice(charge.invoiceId as string)).data.balance;
    expect(await balance()).toBe(0);
    const [paid] = (await accountApi.getInvoicePayments(accountId)).data;
    expect(paid).toMatchObject({ targetInvoiceId: charge.invoiceId, purchasedAmount: 30 });

    const invoicePaymentApi = api(killbill.InvoicePaymentApi);
    const chargedBack = (
      await invoicePaymentApi.createChargeback(
        { amount: 30, currency: 'USD', transactionExternalKey: 'cb-1' } as killbill.InvoicePaymentTransaction,
        paid.paymentId as string,
        BY,
      )
    ).data;
    expect(chargedBack.transactions?.map((transaction) => [transaction.transactionType, transaction.status])).toEqual([
      ['PURCHASE', 'SUCCESS'],
      ['CHARGEBACK', 'SUCCESS'],
    ]);
    expect(await balance()).toBe(30);
    const reversed = (
      await invoicePaymentApi.createChargebackReversal({ transactionExternalKey: 'cb-1' } as killbill.InvoicePaymentTransaction, paid.paymentId as string, BY)
    ).data;
    expect(reversed.transactions?.map((transaction) => transaction.status)).toEqual(['SUCCESS', 'SUCCESS', 'PAYMENT_FAILURE']);
    expect(await balance()).toBe(0);
  });

  it('a pending purchase (by its keys) settled through PaymentTransactionApi.notifyStateChanged', async () => {
    const accountApi = api(killbill.AccountApi);
    const accountId = (await accountApi.createAccount({ name: 'Pending', currency: 'USD' }, BY)).data.accountId as string;
    await accountApi.createPaymentMethod({ pluginName: 'killbill-payment-test' } as killbill.PaymentMethod, accountId, BY, true);
    const pending = (
      await accountApi.processPayment(
        {
          transactionType: 'PURCHASE',
          amount: 15,
          currency: 'USD',
          paymentExternalKey: 'pay-pending',
          transactionExternalKey: 'tx-pending',
        } as killbill.PaymentTransaction,
        accountId,
        BY,
        undefined,
        undefined,
        ['ACTION_RETURN_PLUGIN_STATUS_PENDING=purchasePayment'],
      )
    ).data;
    expect(pending.transactions?.map((transaction) => transaction.status)).toEqual(['PENDING']);
    const byKey = (await api(killbill.PaymentApi).getPaymentByExternalKey('pay-pending')).data;
    expect(byKey.paymentId).toBe(pending.paymentId);

    const transactionId = pending.transactions?.[0].transactionId as string;
    const settled = (
      await api(killbill.PaymentTransactionApi).notifyStateChanged(
        { paymentId: pending.paymentId, status: 'SUCCESS' } as killbill.PaymentTransaction,
        transactionId,
        BY,
      )
    ).data;
    expect(settled).toMatchObject({ paymentId: pending.paymentId, purchasedAmount: 15 });
    expect(settled.transactions?.map((transaction) => [transaction.transactionExternalKey, transaction.status])).toEqual([['tx-pending', 'SUCCESS']]);
  });
});
