import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';
import { TEST_PLUGIN, invoicePaymentSteps } from '../support/invoice-payment-scenarios';

interface AttemptJson {
  stateName: string;
  effectiveDate: string;
  transactionId: string | null;
  transactionExternalKey: string;
  paymentExternalKey: string;
  pluginName: string;
  amount: number | null;
}

/**
 * Retries of a declined automatic payment (spec 2.6) as Kill Bill shows them: the past attempt
 * RETRIED and the next one SCHEDULED (from the retry queue) in every payment read with
 * `withAttempts=true`, and removed by the cancelScheduledPaymentTransaction routes.
 */
describe('Payment retries: SCHEDULED attempts and cancelScheduledPaymentTransaction', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());
  const s = () => invoicePaymentSteps(t, () => tenant);

  /** An account whose 2013-08-31 payment the test plugin declined (a retry scheduled for 2013-09-08). */
  async function declined(name: string) {
    const steps = s();
    await steps.configurePlugin({ CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', METHODS: 'purchasePayment' });
    try {
      const { accountId, invoiceId } = await steps.sportsAfterTrial(name, (id) => steps.addMethod(id, TEST_PLUGIN));
      const [purchase] = await steps.purchases(accountId);
      return { accountId, invoiceId, paymentId: purchase.payment_id, key: purchase.transaction_external_key };
    } finally {
      await steps.clearPlugin();
    }
  }

  it('shows the retry as a SCHEDULED attempt on 2013-09-08 in the payment, the account payments and the invoice payments', async () => {
    const { accountId, invoiceId, paymentId, key } = await declined('Scheduled');
    const h = s().h();
    const payment = (await t.http.get(`/1.0/kb/payments/${paymentId}`).query({ withAttempts: true }).set(h).expect(200)).body;
    const attempts = payment.paymentAttempts as AttemptJson[];
    expect(attempts.map((attempt) => attempt.stateName)).toEqual(['RETRIED', 'SCHEDULED']);
    expect(attempts[1]).toMatchObject({
      effectiveDate: expect.stringMatching(/^2013-09-08T06:00/),
      transactionId: null,
      transactionExternalKey: key,
      paymentExternalKey: payment.paymentExternalKey,
      pluginName: '__INVOICE_PAYMENT_CONTROL_PLUGIN__',
      amount: 500,
    });
    expect(attempts[0].transactionId).toBe(payment.transactions[0].transactionId);
    // Without withAttempts no attempt at all.
    expect((await t.http.get(`/1.0/kb/payments/${paymentId}`).set(h).expect(200)).body.paymentAttempts).toBeNull();

    const states = (body: { paymentAttempts: AttemptJson[] }) => body.paymentAttempts.map((attempt) => attempt.stateName);
    const accountPayments = (await t.http.get(`/1.0/kb/accounts/${accountId}/payments`).query({ withAttempts: true }).set(h).expect(200)).body;
    expect(accountPayments.map(states)).toEqual([['RETRIED', 'SCHEDULED']]);
    const accountInvoicePayments = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoicePayments`).query({ withAttempts: true }).set(h).expect(200)).body;
    expect(accountInvoicePayments.map(states)).toEqual([['RETRIED', 'SCHEDULED']]);
    const invoicePayment = (await t.http.get(`/1.0/kb/invoicePayments/${paymentId}`).query({ withAttempts: true }).set(h).expect(200)).body;
    expect(states(invoicePayment)).toEqual(['RETRIED', 'SCHEDULED']);
    const invoicePayments = (await t.http.get(`/1.0/kb/invoices/${invoiceId}/payments`).query({ withAttempts: true }).set(h).expect(200)).body;
    expect(invoicePayments.map(states)).toEqual([['RETRIED', 'SCHEDULED']]);

    // The retry runs on 2013-09-08 and pays: no SCHEDULED attempt any more.
    await s().addDays(8);
    await s().drain();
    const after = (await t.http.get(`/1.0/kb/payments/${paymentId}`).query({ withAttempts: true }).set(h).expect(200)).body;
    expect(states(after)).toEqual(['RETRIED', 'SUCCESS']);
    expect((await s().accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('cancels the scheduled retry by transaction external key (204): no SCHEDULED attempt, nothing charged on 2013-09-08', async () => {
    const { accountId, paymentId, key } = await declined('CancelByKey');
    const h = s().h();
    await t.http.delete('/1.0/kb/payments/cancelScheduledPaymentTransaction').query({ transactionExternalKey: key }).set(h).expect(204);
    const payment = (await t.http.get(`/1.0/kb/payments/${paymentId}`).query({ withAttempts: true }).set(h).expect(200)).body;
    expect(payment.paymentAttempts.map((attempt: AttemptJson) => attempt.stateName)).toEqual(['RETRIED']);
    await s().addDays(8);
    await s().drain();
    expect((await s().purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['PAYMENT_FAILURE']);
    expect((await s().accountBalance(accountId)).accountBalance).toBe(500);
    // The removed notification is kept in history as REMOVED.
    const [removed] = await t.query<{ processing_state: string }>(
      "SELECT processing_state FROM notifications_history WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1",
      [paymentId],
    );
    expect(removed.processing_state).toBe('REMOVED');
  });

  it('cancels by transaction id (204) and leaves the retries of other payments scheduled', async () => {
    const first = await declined('CancelById');
    const other = await declined('KeepScheduled');
    const h = s().h();
    const [transaction] = (await t.http.get(`/1.0/kb/payments/${first.paymentId}`).set(h).expect(200)).body.transactions;
    await t.http.delete(`/1.0/kb/payments/${transaction.transactionId}/cancelScheduledPaymentTransaction`).set(h).expect(204);
    const states = async (paymentId: string) =>
      ((await t.http.get(`/1.0/kb/payments/${paymentId}`).query({ withAttempts: true }).set(h).expect(200)).body.paymentAttempts as AttemptJson[]).map((attempt) => attempt.stateName);
    expect(await states(first.paymentId)).toEqual(['RETRIED']);
    expect(await states(other.paymentId)).toEqual(['RETRIED', 'SCHEDULED']);
    // Cancelling again has nothing to remove: still 204.
    await t.http.delete(`/1.0/kb/payments/${transaction.transactionId}/cancelScheduledPaymentTransaction`).set(h).expect(204);
  });

  it('answers 404 for an unknown transaction, 400 without transactionExternalKey or with a malformed id', async () => {
    const h = s().h();
    await t.http.delete('/1.0/kb/payments/00000000-0000-0000-0000-0000000000aa/cancelScheduledPaymentTransaction').set(h).expect(404);
    await t.http.delete('/1.0/kb/payments/cancelScheduledPaymentTransaction').set(h).expect(400);
    await t.http.delete('/1.0/kb/payments/not-a-uuid/cancelScheduledPaymentTransaction').set(h).expect(400);
    // A key no attempt has: nothing to cancel.
    await t.http.delete('/1.0/kb/payments/cancelScheduledPaymentTransaction').query({ transactionExternalKey: 'unknown-key' }).set(h).expect(204);
  });
});
