import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const TEST_PLUGIN = 'killbill-payment-test';
const PENDING_PURCHASE = 'ACTION_RETURN_PLUGIN_STATUS_PENDING=purchasePayment';

interface TransactionView {
  id: string;
  transaction_type: string;
  transaction_status: string;
  transaction_external_key: string;
  processed_amount: string | null;
}

/** Completion of PENDING transactions (spec 2.3 "PUT completion endpoints answer 204", 2.8 plugin-driven and admin fixes). */
describe('Completing PENDING transactions: PUT /payments[/{id}], PUT /invoicePayments/{id}, POST /paymentTransactions/{id}, PUT /admin/payments/{id}/transactions/{id}', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const accountWithMethod = async (as: TestTenant = tenant) => {
    const accountId = await createAccount(t, as);
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(as.headers).send({ pluginName: TEST_PLUGIN }).expect(201);
    return accountId;
  };
  const idOf = (location: unknown) => String(location).split('/').pop() as string;
  const pay = (accountId: string, body: Record<string, unknown>, property?: string) =>
    t.http.post(`/1.0/kb/accounts/${accountId}/payments`).query(property ? { pluginProperty: property } : {}).set(tenant.headers).send(body);
  const pendingPurchase = async (accountId: string, body: Record<string, unknown> = {}) => idOf((await pay(accountId, { transactionType: 'PURCHASE', amount: 20, ...body }, PENDING_PURCHASE).expect(201)).headers.location);
  const transactions = (paymentId: string) => t.query<TransactionView>('SELECT * FROM payment_transactions WHERE payment_id = $1 ORDER BY record_id', [paymentId]);
  const payment = async (paymentId: string) =>
    (await t.query<{ state_name: string; last_success_state_name: string | null }>('SELECT state_name, last_success_state_name FROM payments WHERE id = $1', [paymentId]))[0];
  const attempts = async (paymentId: string) =>
    (await t.query<{ state_name: string }>('SELECT a.state_name FROM payment_attempts a WHERE a.payment_external_key = (SELECT external_key FROM payments WHERE id = $1) ORDER BY a.record_id', [paymentId])).map(
      (row) => row.state_name,
    );
  const busEvents = async (paymentId: string) =>
    (
      await t.query<{ class_name: string }>(
        `SELECT class_name FROM (SELECT class_name, event_json, record_id FROM bus_events UNION ALL SELECT class_name, event_json, record_id FROM bus_events_history) e
          WHERE event_json::jsonb ->> 'paymentId' = $1 ORDER BY record_id`,
        [paymentId],
      )
    ).map((row) => row.class_name);

  it('PUT /payments/{id} calls the plugin again for the PENDING purchase: 204, the same transaction SUCCESS, PURCHASE_SUCCESS; a second PUT is 204 and changes nothing', async () => {
    const accountId = await accountWithMethod();
    const paymentId = await pendingPurchase(accountId);
    expect(await payment(paymentId)).toEqual({ state_name: 'PURCHASE_PENDING', last_success_state_name: null });
    await t.http.put(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({}).expect(204);
    const [completed, ...others] = await transactions(paymentId);
    expect(others).toHaveLength(0);
    expect(completed).toMatchObject({ transaction_type: 'PURCHASE', transaction_status: 'SUCCESS' });
    expect(Number(completed.processed_amount)).toBe(20);
    expect(await payment(paymentId)).toEqual({ state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS' });
    expect(await attempts(paymentId)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(await busEvents(paymentId)).toEqual(['PAYMENT_SUCCESS', 'PAYMENT_SUCCESS']);
    // Already completed: Kill Bill returns early (#626), no plugin call, no attempt.
    await t.http.put(`/1.0/kb/payments/${paymentId}`).query({ pluginProperty: 'ACTION_THROW_EXCEPTION=*' }).set(tenant.headers).send({}).expect(204);
    expect(await attempts(paymentId)).toEqual(['SUCCESS', 'SUCCESS']);
    // Completed, the payment allows its next operations.
    await t.http.post(`/1.0/kb/payments/${paymentId}/refunds`).set(tenant.headers).send({ amount: 5 }).expect(201);
  });

  it('PUT /payments (by key) completes a PENDING authorization named by its transaction key; the capture after it works', async () => {
    const accountId = await accountWithMethod();
    const keys = { paymentExternalKey: `p-${randomUUID()}`, transactionExternalKey: `t-${randomUUID()}` };
    const paymentId = idOf((await pay(accountId, { transactionType: 'AUTHORIZE', amount: 40, ...keys }, 'ACTION_RETURN_PLUGIN_STATUS_PENDING=authorizePayment').expect(201)).headers.location);
    expect((await payment(paymentId)).state_name).toBe('AUTH_PENDING');
    // A capture while the authorization is pending is not allowed.
    expect((await t.http.post(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({ amount: 10 }).expect(400)).body.code).toBe(7032);
    await t.http.put('/1.0/kb/payments').set(tenant.headers).send(keys).expect(204);
    expect(await payment(paymentId)).toEqual({ state_name: 'AUTH_SUCCESS', last_success_state_name: 'AUTH_SUCCESS' });
    await t.http.post('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: keys.paymentExternalKey, amount: 40 }).expect(201);
    expect((await payment(paymentId)).state_name).toBe('CAPTURE_SUCCESS');
  });

  it('a completion the plugin declines still answers 204 and leaves PURCHASE_FAILED', async () => {
    const accountId = await accountWithMethod();
    const paymentId = await pendingPurchase(accountId);
    await t.http.put(`/1.0/kb/payments/${paymentId}`).query({ pluginProperty: 'ACTION_RETURN_PLUGIN_STATUS_ERROR=purchasePayment' }).set(tenant.headers).send({}).expect(204);
    expect((await transactions(paymentId)).map((row) => row.transaction_status)).toEqual(['PAYMENT_FAILURE']);
    expect(await payment(paymentId)).toEqual({ state_name: 'PURCHASE_FAILED', last_success_state_name: null });
  });

  it('completion errors: no PENDING transaction 7031, a type that does not match 7031, an unknown payment 7020, a plugin exception 7199', async () => {
    const accountId = await accountWithMethod();
    const declined = idOf((await pay(accountId, { transactionType: 'PURCHASE', amount: 3 }, 'ACTION_RETURN_PLUGIN_STATUS_ERROR=*').expect(402)).headers.location);
    const none = await t.http.put(`/1.0/kb/payments/${declined}`).set(tenant.headers).send({}).expect(400);
    expect(none.body).toMatchObject({ code: 7031 });
    const paymentId = await pendingPurchase(accountId);
    expect((await t.http.put(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({ transactionType: 'AUTHORIZE' }).expect(400)).body.code).toBe(7031);
    expect((await t.http.put(`/1.0/kb/payments/${randomUUID()}`).set(tenant.headers).send({}).expect(404)).body.code).toBe(7020);
    expect((await t.http.put(`/1.0/kb/payments/${paymentId}`).query({ pluginProperty: 'ACTION_THROW_EXCEPTION=*' }).set(tenant.headers).send({}).expect(400)).body.code).toBe(7199);
    expect((await transactions(paymentId)).map((row) => row.transaction_status)).toEqual(['UNKNOWN']);
  });

  it('POST /paymentTransactions/{id} records the caller’s outcome without calling the plugin: 201 to the payment; a transaction no longer PENDING is 404 7024', async () => {
    const accountId = await accountWithMethod();
    const paymentId = await pendingPurchase(accountId);
    const [pending] = await transactions(paymentId);
    await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(tenant.headers).send({ CONFIGURE_ACTION: 'ACTION_THROW_EXCEPTION' }).expect(200);
    try {
      const notified = await t.http.post(`/1.0/kb/paymentTransactions/${pending.id}`).set(tenant.headers).send({ paymentId, status: 'SUCCESS' }).expect(201);
      expect(notified.headers.location).toMatch(new RegExp(`/1\\.0/kb/payments/${paymentId}$`));
    } finally {
      await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(tenant.headers).send({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200);
    }
    const [settled] = await transactions(paymentId);
    expect(settled).toMatchObject({ id: pending.id, transaction_status: 'SUCCESS' });
    expect(Number(settled.processed_amount)).toBe(20);
    expect(await payment(paymentId)).toEqual({ state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS' });
    const again = await t.http.post(`/1.0/kb/paymentTransactions/${pending.id}`).set(tenant.headers).send({ paymentId, status: 'SUCCESS' }).expect(404);
    expect(again.body.code).toBe(7024);
  });

  it('POST /paymentTransactions/{id} with a failure status: PAYMENT_FAILURE, PURCHASE_FAILED, still 201; paymentId and status are required', async () => {
    const accountId = await accountWithMethod();
    const paymentId = await pendingPurchase(accountId);
    const [pending] = await transactions(paymentId);
    expect((await t.http.post(`/1.0/kb/paymentTransactions/${pending.id}`).set(tenant.headers).send({ paymentId }).expect(400)).body.message).toBe('PaymentTransactionJson status needs to be set');
    expect((await t.http.post(`/1.0/kb/paymentTransactions/${pending.id}`).set(tenant.headers).send({ status: 'SUCCESS' }).expect(400)).body.message).toBe('PaymentTransactionJson paymentId needs to be set');
    await t.http.post(`/1.0/kb/paymentTransactions/${pending.id}`).set(tenant.headers).send({ paymentId, status: 'PAYMENT_FAILURE' }).expect(201);
    const [failed] = await transactions(paymentId);
    expect([failed.transaction_status, Number(failed.processed_amount)]).toEqual(['PAYMENT_FAILURE', 0]);
    expect(await payment(paymentId)).toEqual({ state_name: 'PURCHASE_FAILED', last_success_state_name: null });
    expect(await busEvents(paymentId)).toEqual(['PAYMENT_SUCCESS', 'PAYMENT_FAILED']);
    expect((await t.http.post(`/1.0/kb/paymentTransactions/${pending.id}`).set(tenant.headers).send({ paymentId: randomUUID(), status: 'SUCCESS' }).expect(404)).body.code).toBe(7020);
  });

  it('PUT /invoicePayments/{id} completes the PENDING invoice payment through the control plugin: the ATTEMPT row SUCCESS and the invoice paid; 404 once nothing is left to complete', async () => {
    const own = await t.createTenant();
    const accountId = await accountWithMethod(own);
    // The automatic payment of the new invoice ends PENDING.
    await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(own.headers).send({ CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_PENDING', METHODS: 'purchasePayment' }).expect(200);
    let invoiceId = '';
    try {
      const charge = await t.http.post(`/1.0/kb/invoices/charges/${accountId}`).query({ autoCommit: true }).set(own.headers).send([{ accountId, amount: 100, currency: 'USD', description: 'setup' }]).expect(200);
      invoiceId = charge.body[0].invoiceId;
      await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(own.headers).expect(200);
    } finally {
      await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(own.headers).send({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200);
    }
    const rows = () => t.query<{ type: string; status: string; amount: string; payment_id: string }>('SELECT type, status, amount, payment_id FROM invoice_payments WHERE invoice_id = $1 ORDER BY record_id', [invoiceId]);
    const [attempt] = await rows();
    expect(attempt).toMatchObject({ type: 'ATTEMPT', status: 'PENDING' });
    const balance = async () => (await t.http.get(`/1.0/kb/invoices/${invoiceId}`).set(own.headers).expect(200)).body.balance as number;
    expect(await balance()).toBe(100);

    await t.http.put(`/1.0/kb/invoicePayments/${attempt.payment_id}`).set(own.headers).send({}).expect(204);
    expect((await rows()).map((row) => [row.type, row.status, Number(row.amount)])).toEqual([['ATTEMPT', 'SUCCESS', 100]]);
    expect((await transactions(attempt.payment_id)).map((row) => row.transaction_status)).toEqual(['SUCCESS']);
    expect(await balance()).toBe(0);
    await t.http.put(`/1.0/kb/invoicePayments/${attempt.payment_id}`).set(own.headers).send({}).expect(404);
    // A payment of no invoice has no invoice payment to complete.
    const direct = await pendingPurchase(await accountWithMethod());
    const notInvoice = await t.http.put(`/1.0/kb/invoicePayments/${direct}`).set(tenant.headers).send({}).expect(404);
    expect(notInvoice.text).toBe('');
    expect((await t.http.put(`/1.0/kb/invoicePayments/${randomUUID()}`).set(tenant.headers).send({}).expect(404)).body.code).toBe(7020);
  });

  it('PUT /admin/payments/{id}/transactions/{id} sets the status and the states the status leads to (or the ones given); 204', async () => {
    const accountId = await accountWithMethod();
    // A plugin exception leaves the purchase UNKNOWN, for an operator to settle.
    await pay(accountId, { transactionType: 'PURCHASE', amount: 9 }, 'ACTION_THROW_EXCEPTION=*').expect(400);
    const [{ id: unknownPaymentId }] = await t.query<{ id: string }>('SELECT id FROM payments WHERE account_id = $1', [accountId]);
    const [unknown] = await transactions(unknownPaymentId);
    expect(unknown.transaction_status).toBe('UNKNOWN');
    await t.http.put(`/1.0/kb/admin/payments/${unknownPaymentId}/transactions/${unknown.id}`).set(tenant.headers).send({ transactionStatus: 'SUCCESS' }).expect(204);
    const [fixed] = await transactions(unknownPaymentId);
    expect([fixed.transaction_status, Number(fixed.processed_amount)]).toEqual(['SUCCESS', 9]);
    expect(await payment(unknownPaymentId)).toEqual({ state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS' });
    expect((await busEvents(unknownPaymentId)).slice(-1)).toEqual(['PAYMENT_SUCCESS']);
    expect(await attempts(unknownPaymentId)).toEqual(['SUCCESS']);
    // Back to a failure: the latest transaction, no earlier success, so no last successful state.
    await t.http.put(`/1.0/kb/admin/payments/${unknownPaymentId}/transactions/${unknown.id}`).set(tenant.headers).send({ transactionStatus: 'PAYMENT_FAILURE' }).expect(204);
    expect(await payment(unknownPaymentId)).toEqual({ state_name: 'PURCHASE_FAILED', last_success_state_name: null });
    // Explicit states win.
    await t.http
      .put(`/1.0/kb/admin/payments/${unknownPaymentId}/transactions/${unknown.id}`)
      .set(tenant.headers)
      .send({ transactionStatus: 'SUCCESS', currentPaymentStateName: 'PURCHASE_SUCCESS', lastSuccessPaymentState: 'PURCHASE_SUCCESS' })
      .expect(204);
    expect(await payment(unknownPaymentId)).toEqual({ state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS' });
  });

  it('admin fix errors: an unknown payment 404 7020, a transaction of another payment 400 7031, an unknown state name 400 7031, no status 400', async () => {
    const accountId = await accountWithMethod();
    const first = idOf((await pay(accountId, { transactionType: 'PURCHASE', amount: 1 }).expect(201)).headers.location);
    const second = idOf((await pay(accountId, { transactionType: 'PURCHASE', amount: 2 }).expect(201)).headers.location);
    const [transaction] = await transactions(first);
    const url = (paymentId: string, transactionId: string) => `/1.0/kb/admin/payments/${paymentId}/transactions/${transactionId}`;
    expect((await t.http.put(url(randomUUID(), transaction.id)).set(tenant.headers).send({ transactionStatus: 'SUCCESS' }).expect(404)).body.code).toBe(7020);
    expect((await t.http.put(url(second, transaction.id)).set(tenant.headers).send({ transactionStatus: 'SUCCESS' }).expect(400)).body.code).toBe(7031);
    expect((await t.http.put(url(first, transaction.id)).set(tenant.headers).send({ transactionStatus: 'SUCCESS', currentPaymentStateName: 'NOPE' }).expect(400)).body.code).toBe(7031);
    expect((await t.http.put(url(first, transaction.id)).set(tenant.headers).send({}).expect(400)).body.message).toBe('AdminPaymentJson transactionStatus needs to be set');
    expect(await payment(first)).toEqual({ state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS' });
  });
});
