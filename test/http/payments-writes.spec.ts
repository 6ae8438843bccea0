import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const EXTERNAL = '__EXTERNAL_PAYMENT__';
const TEST_PLUGIN = 'killbill-payment-test';

interface PaymentRowView {
  id: string;
  account_id: string;
  state_name: string;
  last_success_state_name: string | null;
  external_key: string;
}
interface TransactionRowView {
  id: string;
  transaction_type: string;
  transaction_status: string;
  transaction_external_key: string;
  amount: string | null;
  processed_amount: string | null;
  gateway_error_msg: string | null;
  attempt_id: string | null;
}

describe('Payment writes: /accounts/{id}/payments, /payments/{id} (capture, refund, void, chargebacks)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({ 'org.killbill.payment.plugin.timeout': '1s' });
    tenant = await t.createTenant();
    other = await t.createTenant();
  });
  afterAll(() => t.close());

  const accountWithMethod = async (pluginName: string, as: TestTenant = tenant) => {
    const accountId = await createAccount(t, as);
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(as.headers).send({ pluginName }).expect(201);
    return accountId;
  };
  const pay = (accountId: string, body: Record<string, unknown>, properties: string[] = [], as: TestTenant = tenant) =>
    t.http.post(`/1.0/kb/accounts/${accountId}/payments`).query(properties.map((p) => `pluginProperty=${encodeURIComponent(p)}`).join('&')).set(as.headers).send(body);
  const idOf = (location: unknown) => String(location).split('/').pop() as string;
  const paymentRow = async (id: string) => (await t.query<PaymentRowView>('SELECT * FROM payments WHERE id = $1', [id]))[0];
  const transactionRows = (paymentId: string) => t.query<TransactionRowView>('SELECT * FROM payment_transactions WHERE payment_id = $1 ORDER BY record_id', [paymentId]);
  const attemptStates = async (paymentId: string) =>
    (
      await t.query<{ state_name: string }>(
        'SELECT a.state_name FROM payment_attempts a JOIN payment_transactions tr ON tr.attempt_id = a.id WHERE tr.payment_id = $1 ORDER BY a.record_id',
        [paymentId],
      )
    ).map((row) => row.state_name);
  const busEvents = async (paymentId: string) =>
    (
      await t.query<{ class_name: string }>(
        `SELECT class_name FROM (SELECT class_name, event_json, record_id FROM bus_events UNION ALL SELECT class_name, event_json, record_id FROM bus_events_history) e
          WHERE event_json::jsonb ->> 'paymentId' = $1 ORDER BY record_id`,
        [paymentId],
      )
    ).map((row) => row.class_name);

  it('a PURCHASE with the external method: 201 + Location, the payment PURCHASE_SUCCESS, the transaction and attempt SUCCESS, PAYMENT_SUCCESS posted', async () => {
    const accountId = await accountWithMethod(EXTERNAL);
    const response = await pay(accountId, { transactionType: 'PURCHASE', amount: 10.5, currency: 'USD' }).expect(201);
    expect(response.headers.location).toMatch(/\/1\.0\/kb\/payments\/[0-9a-f-]{36}$/);
    const paymentId = idOf(response.headers.location);
    expect(await paymentRow(paymentId)).toMatchObject({ account_id: accountId, state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS', external_key: paymentId });
    const [transaction] = await transactionRows(paymentId);
    expect(transaction).toMatchObject({ transaction_type: 'PURCHASE', transaction_status: 'SUCCESS', transaction_external_key: transaction.id });
    expect(Number(transaction.processed_amount)).toBe(10.5);
    expect(await attemptStates(paymentId)).toEqual(['SUCCESS']);
    expect(await busEvents(paymentId)).toEqual(['PAYMENT_SUCCESS']);
    const [history] = await t.query<{ count: string }>('SELECT count(*) FROM payments_history WHERE id = $1', [paymentId]);
    expect(Number(history.count)).toBe(2);
  });

  it('a decline is a 402 with Location and the error body; a retry with the same keys appends to the same payment; once SUCCESS the key is refused (7030)', async () => {
    const accountId = await accountWithMethod(TEST_PLUGIN);
    const keys = { paymentExternalKey: `p-${randomUUID()}`, transactionExternalKey: `t-${randomUUID()}` };
    const declined = await pay(accountId, { transactionType: 'PURCHASE', amount: 20, ...keys }, ['ACTION_RETURN_PLUGIN_STATUS_ERROR=*']).expect(402);
    expect(declined.body).toMatchObject({ className: 'org.killbill.billing.payment.api.PaymentApiException', code: null, message: 'Payment decline by gateway. Error message: null' });
    const paymentId = idOf(declined.headers.location);
    expect(await paymentRow(paymentId)).toMatchObject({ state_name: 'PURCHASE_FAILED', last_success_state_name: null, external_key: keys.paymentExternalKey });
    expect((await transactionRows(paymentId)).map((row) => [row.transaction_status, Number(row.processed_amount)])).toEqual([['PAYMENT_FAILURE', 0]]);
    expect(await busEvents(paymentId)).toEqual(['PAYMENT_FAILED']);

    const retried = await pay(accountId, { transactionType: 'PURCHASE', amount: 20, transactionExternalKey: keys.transactionExternalKey }).expect(201);
    expect(idOf(retried.headers.location)).toBe(paymentId);
    expect((await transactionRows(paymentId)).map((row) => [row.transaction_status, row.transaction_external_key])).toEqual([
      ['PAYMENT_FAILURE', keys.transactionExternalKey],
      ['SUCCESS', keys.transactionExternalKey],
    ]);
    expect(await attemptStates(paymentId)).toEqual(['ABORTED', 'SUCCESS']);

    const again = await pay(accountId, { transactionType: 'PURCHASE', amount: 20, ...keys }).expect(400);
    expect(again.body.code).toBe(7030);
    expect(await transactionRows(paymentId)).toHaveLength(2);
  });

  it('authorize, partial captures, refund; a void after a capture is 7032 and writes nothing', async () => {
    const accountId = await accountWithMethod(TEST_PLUGIN);
    const paymentId = idOf((await pay(accountId, { transactionType: 'AUTHORIZE', amount: 100 }).expect(201)).headers.location);
    expect((await paymentRow(paymentId)).state_name).toBe('AUTH_SUCCESS');
    const capture = await t.http.post(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({ amount: 40 }).expect(201);
    expect(capture.headers.location).toMatch(new RegExp(`/1\\.0/kb/payments/${paymentId}$`));
    await t.http.post(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({ amount: 60 }).expect(201);
    await t.http.post(`/1.0/kb/payments/${paymentId}/refunds`).set(tenant.headers).send({ amount: 30 }).expect(201);
    expect(await paymentRow(paymentId)).toMatchObject({ state_name: 'REFUND_SUCCESS', last_success_state_name: 'REFUND_SUCCESS' });
    const illegal = await t.http.delete(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({}).expect(400);
    expect(illegal.body.code).toBe(7032);
    expect((await transactionRows(paymentId)).map((row) => row.transaction_type)).toEqual(['AUTHORIZE', 'CAPTURE', 'CAPTURE', 'REFUND']);
    expect((await paymentRow(paymentId)).state_name).toBe('REFUND_SUCCESS');
    const noAmount = await t.http.post(`/1.0/kb/payments/${paymentId}/refunds`).set(tenant.headers).send({}).expect(400);
    expect(noAmount.body.message).toBe('PaymentTransactionJson amount needs to be set');
  });

  it('a void answers 204 and closes the authorization (a capture after it is 7032)', async () => {
    const accountId = await accountWithMethod(EXTERNAL);
    const paymentId = idOf((await pay(accountId, { transactionType: 'AUTHORIZE', amount: 15 }).expect(201)).headers.location);
    await t.http.delete(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({}).expect(204);
    expect(await paymentRow(paymentId)).toMatchObject({ state_name: 'VOID_SUCCESS', last_success_state_name: 'VOID_SUCCESS' });
    expect((await t.http.post(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).send({ amount: 15 }).expect(400)).body.code).toBe(7032);
  });

  it('the plugin outcomes of spec 2.3: canceled 502, pending 201 with a janitor check, exception 400, null 500, timeout 504 (each UNKNOWN/ERRORED as Kill Bill)', async () => {
    const accountId = await accountWithMethod(TEST_PLUGIN);
    const canceled = await pay(accountId, { transactionType: 'PURCHASE', amount: 5 }, ['ACTION_RETURN_PLUGIN_STATUS_CANCELED=*']).expect(502);
    expect(canceled.body.message).toBe('Failed to submit payment transaction');
    const canceledId = idOf(canceled.headers.location);
    expect(await paymentRow(canceledId)).toMatchObject({ state_name: 'PURCHASE_ERRORED' });
    expect((await transactionRows(canceledId))[0].transaction_status).toBe('PLUGIN_FAILURE');
    expect(await busEvents(canceledId)).toEqual(['PAYMENT_PLUGIN_ERROR']);

    const pending = await pay(accountId, { transactionType: 'PURCHASE', amount: 6 }, ['ACTION_RETURN_PLUGIN_STATUS_PENDING=purchasePayment']).expect(201);
    const pendingId = idOf(pending.headers.location);
    expect(await paymentRow(pendingId)).toMatchObject({ state_name: 'PURCHASE_PENDING', last_success_state_name: null });
    const janitor = await t.query<{ event_json: string }>("SELECT event_json FROM notifications WHERE queue_name = 'payment-janitor' AND event_json::jsonb ->> 'paymentId' = $1", [pendingId]);
    expect(janitor).toHaveLength(1);
    expect(JSON.parse(janitor[0].event_json)).toMatchObject({ accountId, paymentId: pendingId, attemptNumber: 1 });

    const thrown = await pay(accountId, { transactionType: 'PURCHASE', amount: 7 }, ['ACTION_THROW_EXCEPTION=*']).expect(400);
    expect(thrown.body.code).toBe(7199);
    expect(thrown.headers.location).toBeUndefined();
    const nil = await pay(accountId, { transactionType: 'AUTHORIZE', amount: 8 }, ['RETURN_NIL=*']).expect(500);
    expect(nil.body.code).toBe(7019);
    const slow = await pay(accountId, { transactionType: 'CREDIT', amount: 9 }, ['ACTION_SLEEP=*', 'sleepFor=2']).expect(504);
    expect(slow.body.code).toBe(7100);
    const unknown = await t.query<{ transaction_type: string; transaction_status: string; state_name: string }>(
      `SELECT tr.transaction_type, tr.transaction_status, p.state_name FROM payment_transactions tr JOIN payments p ON p.id = tr.payment_id
        WHERE p.account_id = $1 AND tr.transaction_type IN ('AUTHORIZE', 'CREDIT') ORDER BY tr.record_id`,
      [accountId],
    );
    expect(unknown).toEqual([
      { transaction_type: 'AUTHORIZE', transaction_status: 'UNKNOWN', state_name: 'AUTH_ERRORED' },
      { transaction_type: 'CREDIT', transaction_status: 'UNKNOWN', state_name: 'CREDIT_ERRORED' },
    ]);
  });

  it('writes the attempt (INIT), the payment (PURCHASE_INIT) and the transaction (UNKNOWN) before the plugin answers; a retry of that key is not sent again (7032)', async () => {
    const accountId = await accountWithMethod(TEST_PLUGIN);
    const key = `slow-${randomUUID()}`;
    const slow = pay(accountId, { transactionType: 'PURCHASE', amount: 3, transactionExternalKey: key }, ['ACTION_SLEEP=*', 'sleepFor=2']).then((response) => response);
    let during: { transaction_status: string; state_name: string; attempt: string }[] = [];
    for (let tries = 0; tries < 40 && during.length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      during = await t.query(
        `SELECT tr.transaction_status, p.state_name, a.state_name AS attempt FROM payment_transactions tr
           JOIN payments p ON p.id = tr.payment_id JOIN payment_attempts a ON a.id = tr.attempt_id WHERE tr.transaction_external_key = $1`,
        [key],
      );
    }
    expect(during).toEqual([{ transaction_status: 'UNKNOWN', state_name: 'PURCHASE_INIT', attempt: 'INIT' }]);
    expect((await slow).status).toBe(504);
    // The outcome is unknown: the same key must be settled (janitor) before anything else charges it.
    expect((await pay(accountId, { transactionType: 'PURCHASE', amount: 3, transactionExternalKey: key }).expect(400)).body.code).toBe(7032);
    const [count] = await t.query<{ count: string }>('SELECT count(*) FROM payment_transactions WHERE transaction_external_key = $1', [key]);
    expect(Number(count.count)).toBe(1);
  });

  it('the janitor settles a transaction left UNKNOWN by a plugin timeout once the plugin knows it: SUCCESS, PURCHASE_SUCCESS, no second charge', async () => {
    const own = await t.createTenant();
    const accountId = await accountWithMethod(TEST_PLUGIN, own);
    // The plugin answers PROCESSED, but only after the 1s timeout: the call ends UNKNOWN, the plugin remembers it processed.
    await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(own.headers).send({ SLEEP_TIME_SEC: 2, METHODS: 'purchasePayment' }).expect(200);
    let paymentId = '';
    try {
      const timedOut = await pay(accountId, { transactionType: 'PURCHASE', amount: 25 }, [], own).expect(504);
      expect(timedOut.body.code).toBe(7100);
      [{ id: paymentId }] = await t.query<{ id: string }>('SELECT id FROM payments WHERE account_id = $1', [accountId]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(own.headers).send({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200);
    }
    expect((await transactionRows(paymentId)).map((row) => row.transaction_status)).toEqual(['UNKNOWN']);
    const [due] = await t.query<{ effective_date: Date }>("SELECT effective_date FROM notifications WHERE queue_name = 'payment-janitor' AND event_json::jsonb ->> 'paymentId' = $1", [paymentId]);
    // Five minutes on (the first of org.killbill.payment.janitor.unknown.retries), the janitor asks the plugin.
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: new Date(new Date(due.effective_date).getTime() + 60_000).toISOString(), timeoutSec: 10 }).set(own.headers).expect(200);
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(own.headers).expect(200);
    const settled = await transactionRows(paymentId);
    expect(settled.map((row) => [row.transaction_status, Number(row.processed_amount)])).toEqual([['SUCCESS', 25]]);
    expect(await paymentRow(paymentId)).toMatchObject({ state_name: 'PURCHASE_SUCCESS', last_success_state_name: 'PURCHASE_SUCCESS' });
    expect(await attemptStates(paymentId)).toEqual(['SUCCESS']);
    expect(await busEvents(paymentId)).toEqual(['PAYMENT_PLUGIN_ERROR', 'PAYMENT_SUCCESS']);
  });

  it('a chargeback is bookkept (no plugin call), its reversal answers 402 with Location and leaves CHARGEBACK_FAILED', async () => {
    const accountId = await accountWithMethod(TEST_PLUGIN);
    // The plugin would fail every call: a chargeback never reaches it.
    const paymentId = idOf((await pay(accountId, { transactionType: 'PURCHASE', amount: 50 }).expect(201)).headers.location);
    const chargebackKey = `cb-${randomUUID()}`;
    await t.http.post(`/1.0/kb/payments/${paymentId}/chargebacks`).query({ pluginProperty: 'ACTION_THROW_EXCEPTION=*' }).set(tenant.headers).send({ amount: 50, transactionExternalKey: chargebackKey }).expect(201);
    expect(await paymentRow(paymentId)).toMatchObject({ state_name: 'CHARGEBACK_SUCCESS' });
    const reversal = await t.http.post(`/1.0/kb/payments/${paymentId}/chargebackReversals`).set(tenant.headers).send({ transactionExternalKey: chargebackKey }).expect(402);
    expect(reversal.headers.location).toMatch(new RegExp(`/1\\.0/kb/payments/${paymentId}$`));
    expect(await paymentRow(paymentId)).toMatchObject({ state_name: 'CHARGEBACK_FAILED', last_success_state_name: 'CHARGEBACK_FAILED' });
    expect((await transactionRows(paymentId)).map((row) => [row.transaction_type, row.transaction_status])).toEqual([
      ['PURCHASE', 'SUCCESS'],
      ['CHARGEBACK', 'SUCCESS'],
      ['CHARGEBACK', 'PAYMENT_FAILURE'],
    ]);
    // After a reversal the payment may be refunded again.
    await t.http.post(`/1.0/kb/payments/${paymentId}/refunds`).set(tenant.headers).send({ amount: 10 }).expect(201);
  });

  it('no payment method is 7031, a method of another account 7000; nothing is written', async () => {
    const accountId = await createAccount(t, tenant);
    expect((await pay(accountId, { transactionType: 'PURCHASE', amount: 1 }).expect(400)).body.code).toBe(7031);
    const otherAccount = await accountWithMethod(EXTERNAL);
    const [method] = await t.query<{ id: string }>('SELECT id FROM payment_methods WHERE account_id = $1', [otherAccount]);
    const foreign = await t.http.post(`/1.0/kb/accounts/${accountId}/payments`).query({ paymentMethodId: method.id }).set(tenant.headers).send({ transactionType: 'PURCHASE', amount: 1 }).expect(404);
    expect(foreign.body.code).toBe(7000);
    const [rows] = await t.query<{ count: string }>('SELECT count(*) FROM payments WHERE account_id = $1', [accountId]);
    expect(Number(rows.count)).toBe(0);
    const [attempts] = await t.query<{ count: string }>('SELECT count(*) FROM payment_attempts WHERE account_id = $1', [accountId]);
    expect(Number(attempts.count)).toBe(0);
  });

  it('is tenant-isolated: another tenant can neither see the account nor act on the payment', async () => {
    const accountId = await accountWithMethod(EXTERNAL);
    const paymentId = idOf((await pay(accountId, { transactionType: 'AUTHORIZE', amount: 12 }).expect(201)).headers.location);
    expect((await pay(accountId, { transactionType: 'PURCHASE', amount: 1 }, [], other).expect(404)).body.code).toBe(3002);
    expect((await t.http.post(`/1.0/kb/payments/${paymentId}`).set(other.headers).send({ amount: 12 }).expect(404)).body.code).toBe(7020);
    await t.http.delete(`/1.0/kb/payments/${paymentId}`).set(other.headers).send({}).expect(404);
    expect(await transactionRows(paymentId)).toHaveLength(1);
  });
});
