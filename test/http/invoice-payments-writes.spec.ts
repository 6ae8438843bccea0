import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const START = '2013-08-01T06:00:00.000Z';
const EXTERNAL = '__EXTERNAL_PAYMENT__';
const TEST_PLUGIN = 'killbill-payment-test';
const AUTO_PAY_OFF = '00000000-0000-0000-0000-000000000001';
const idOf = (location: unknown) => String(location).replace(/\/$/, '').split('/').pop() ?? '';

interface InvoicePaymentRowView {
  type: string;
  status: string;
  amount: string;
  payment_id: string | null;
  payment_cookie_id: string | null;
}

/**
 * Invoice payments (spec 2.6) over HTTP with the test clock and SpyCarAdvanced: the automatic payment
 * of a committed invoice with the account's default method, the control plugin's aborts, the manual
 * payment routes, and a declined system payment scheduled again on org.killbill.payment.retry.days.
 */
describe('Invoice payments: automatic on INVOICE_CREATION, /invoices/{id}/payments, /accounts/{id}/invoicePayments', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  const h = () => tenant.headers;
  const setClock = (requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(h()).expect(200);
  const addDays = (days: number) => t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(h()).expect(200);
  const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(h()).expect(200);
  const addMethod = async (accountId: string, pluginName: string) => {
    const response = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(h()).send({ pluginName }).expect(201);
    return idOf(response.headers.location);
  };
  const invoices = async (accountId: string) =>
    (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(h()).expect(200)).body as { invoiceId: string; invoiceDate: string; amount: number; balance: number }[];
  const accountBalance = async (accountId: string) => (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(h()).expect(200)).body.accountBalance as number;
  const invoicePaymentRows = (invoiceId: string) =>
    t.query<InvoicePaymentRowView>('SELECT type, status, amount, payment_id, payment_cookie_id FROM invoice_payments WHERE invoice_id = $1 ORDER BY record_id', [invoiceId]);
  const subscribe = async (accountId: string) => {
    await t.http.post('/1.0/kb/subscriptions').set(h()).send({ accountId, planName: 'sports-monthly' }).expect(201);
    await drain();
  };
  /** An account on sports-monthly from 2013-08-01, the clock moved to 2013-08-31 (the $500 invoice). */
  async function sportsAfterTrial(name: string, before: (accountId: string) => Promise<unknown> = async () => undefined) {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name, currency: 'USD' });
    await before(accountId);
    await subscribe(accountId);
    await addDays(30);
    await drain();
    const all = await invoices(accountId);
    const evergreen = all.find((invoice) => invoice.invoiceDate === '2013-08-31');
    if (!evergreen) throw new Error('no 2013-08-31 invoice');
    return { accountId, invoiceId: evergreen.invoiceId };
  }

  it('pays the $500 invoice of 2013-08-31 with the external default method: the row INIT → SUCCESS 500, the payment PURCHASE_SUCCESS, balances 0', async () => {
    const { accountId, invoiceId } = await sportsAfterTrial('Auto', (id) => addMethod(id as string, EXTERNAL));
    const rows = await invoicePaymentRows(invoiceId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'ATTEMPT', status: 'SUCCESS' });
    expect(Number(rows[0].amount)).toBe(500);
    const [payment] = await t.query<{ state_name: string; account_id: string }>('SELECT state_name, account_id FROM payments WHERE id = $1', [rows[0].payment_id]);
    expect(payment).toEqual({ state_name: 'PURCHASE_SUCCESS', account_id: accountId });
    const [transaction] = await t.query<{ transaction_external_key: string; transaction_status: string; processed_amount: string }>(
      'SELECT transaction_external_key, transaction_status, processed_amount FROM payment_transactions WHERE payment_id = $1',
      [rows[0].payment_id],
    );
    expect(transaction.transaction_external_key).toBe(rows[0].payment_cookie_id);
    expect(transaction.transaction_status).toBe('SUCCESS');
    const [attempt] = await t.query<{ plugin_name: string; state_name: string; plugin_properties: string }>(
      'SELECT a.plugin_name, a.state_name, a.plugin_properties FROM payment_attempts a JOIN payment_transactions tr ON tr.attempt_id = a.id WHERE tr.payment_id = $1',
      [rows[0].payment_id],
    );
    expect(attempt).toMatchObject({ plugin_name: '__INVOICE_PAYMENT_CONTROL_PLUGIN__', state_name: 'SUCCESS' });
    expect(JSON.parse(attempt.plugin_properties)).toEqual([{ key: 'IPCD_INVOICE_ID', value: invoiceId }]);
    expect((await invoices(accountId)).map((invoice) => invoice.balance)).toEqual([0, 0]);
    expect(await accountBalance(accountId)).toBe(0);
    // The $0 trial invoice owed nothing: no payment for it.
    const [count] = await t.query<{ count: string }>('SELECT count(*) FROM payments WHERE account_id = $1', [accountId]);
    expect(Number(count.count)).toBe(1);
  });

  it('does not pay with AUTO_PAY_OFF or without a default method; the API pays it then (201 → /invoicePayments/{paymentId}), a second call has nothing to pay (204)', async () => {
    const tagged = await sportsAfterTrial('AutoPayOff', async (id) => {
      await addMethod(id, EXTERNAL);
      await t.http.post(`/1.0/kb/accounts/${id}/tags`).set(h()).send([AUTO_PAY_OFF]).expect(201);
    });
    expect(await invoicePaymentRows(tagged.invoiceId)).toEqual([]);
    expect(await accountBalance(tagged.accountId)).toBe(500);

    const noMethod = await sportsAfterTrial('NoMethod');
    expect(await invoicePaymentRows(noMethod.invoiceId)).toEqual([]);
    const paid = await t.http.post(`/1.0/kb/invoices/${noMethod.invoiceId}/payments`).query({ externalPayment: true }).set(h()).send({ accountId: noMethod.accountId, purchasedAmount: 200 }).expect(201);
    expect(paid.headers.location).toMatch(/\/1\.0\/kb\/invoicePayments\/[0-9a-f-]{36}$/);
    const rows = await invoicePaymentRows(noMethod.invoiceId);
    expect(rows.map((row) => [row.status, Number(row.amount), row.payment_id])).toEqual([['SUCCESS', 200, idOf(paid.headers.location)]]);
    expect(await accountBalance(noMethod.accountId)).toBe(300);
    // The external method was added for it, not as the default.
    const account = (await t.http.get(`/1.0/kb/accounts/${noMethod.accountId}`).set(h()).expect(200)).body;
    expect(account.paymentMethodId).toBeNull();
    // More than the balance through the API is refused (7199), then the rest is paid and nothing is left.
    expect((await t.http.post(`/1.0/kb/invoices/${noMethod.invoiceId}/payments`).query({ externalPayment: true }).set(h()).send({ accountId: noMethod.accountId, purchasedAmount: 400 }).expect(400)).body.code).toBe(7199);
    await t.http.post(`/1.0/kb/invoices/${noMethod.invoiceId}/payments`).query({ externalPayment: true }).set(h()).send({ accountId: noMethod.accountId }).expect(201);
    expect(await accountBalance(noMethod.accountId)).toBe(0);
    await t.http.post(`/1.0/kb/invoices/${noMethod.invoiceId}/payments`).query({ externalPayment: true }).set(h()).send({ accountId: noMethod.accountId }).expect(204);
  });

  it('payAllInvoices pays the unpaid invoices (201 → the account\'s invoices filtered to them), then has nothing left (204)', async () => {
    const { accountId, invoiceId } = await sportsAfterTrial('PayAll', async (id) => {
      await addMethod(id, EXTERNAL);
      await t.http.post(`/1.0/kb/accounts/${id}/tags`).set(h()).send([AUTO_PAY_OFF]).expect(201);
    });
    const response = await t.http.post(`/1.0/kb/accounts/${accountId}/invoicePayments`).set(h()).expect(201);
    expect(response.headers.location).toContain(`/1.0/kb/accounts/${accountId}/invoices?startDate=2013-08-31&endDate=2013-08-31&invoicesFilter=${invoiceId}`);
    expect(await accountBalance(accountId)).toBe(0);
    await t.http.post(`/1.0/kb/accounts/${accountId}/invoicePayments`).set(h()).expect(204);
  });

  it('a declined automatic payment leaves the invoice owing, the attempt RETRIED and a retry 8 days later that pays it (E5)', async () => {
    await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(h()).send({ CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', METHODS: 'purchasePayment' }).expect(200);
    let accountId = '';
    let invoiceId = '';
    try {
      ({ accountId, invoiceId } = await sportsAfterTrial('Declined', (id) => addMethod(id, TEST_PLUGIN)));
    } finally {
      await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(h()).send({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200);
    }
    const rows = await invoicePaymentRows(invoiceId);
    expect(rows.map((row) => [row.type, row.status, Number(row.amount)])).toEqual([['ATTEMPT', 'INIT', 0]]);
    expect(await accountBalance(accountId)).toBe(500);
    const paymentId = rows[0].payment_id as string;
    const [payment] = await t.query<{ state_name: string }>('SELECT state_name FROM payments WHERE id = $1', [paymentId]);
    expect(payment.state_name).toBe('PURCHASE_FAILED');
    const [attempt] = await t.query<{ state_name: string }>('SELECT a.state_name FROM payment_attempts a JOIN payment_transactions tr ON tr.attempt_id = a.id WHERE tr.payment_id = $1', [paymentId]);
    expect(attempt.state_name).toBe('RETRIED');
    const [retry] = await t.query<{ effective_date: Date; event_json: string }>(
      "SELECT effective_date, event_json FROM notifications WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1",
      [paymentId],
    );
    expect(JSON.parse(retry.event_json)).toMatchObject({ accountId, invoiceId, paymentId, transactionExternalKey: rows[0].payment_cookie_id });
    expect(new Date(retry.effective_date).toISOString().slice(0, 10)).toBe('2013-09-08');

    await addDays(8); // 2013-09-08: the retry runs, on the same payment and key
    await drain();
    const after = await invoicePaymentRows(invoiceId);
    expect(after.map((row) => [row.status, Number(row.amount), row.payment_id])).toEqual([['SUCCESS', 500, paymentId]]);
    const transactions = await t.query<{ transaction_status: string; transaction_external_key: string }>(
      'SELECT transaction_status, transaction_external_key FROM payment_transactions WHERE payment_id = $1 ORDER BY record_id',
      [paymentId],
    );
    expect(transactions).toEqual([
      { transaction_status: 'PAYMENT_FAILURE', transaction_external_key: rows[0].payment_cookie_id },
      { transaction_status: 'SUCCESS', transaction_external_key: rows[0].payment_cookie_id },
    ]);
    expect(await accountBalance(accountId)).toBe(0);
  });
});
