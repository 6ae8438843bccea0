import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const START = '2013-08-01T06:00:00.000Z';
const EXTERNAL = '__EXTERNAL_PAYMENT__';
const UNKNOWN_ID = '11111111-2222-3333-4444-555555555555';
const idOf = (location: unknown) => String(location).replace(/\/$/, '').split('/').pop() ?? '';

interface PaymentRowView {
  id: string;
  type: string;
  status: string;
  amount: string;
  payment_id: string | null;
  linked_invoice_payment_id: string | null;
}

interface ItemView {
  type: string;
  amount: string;
  linked_item_id: string | null;
}

/**
 * Refunds and chargebacks of invoice payments (spec 2.7, worked example E4) over HTTP: the $500
 * invoice of 2013-08-31 paid automatically with the external method, an immediate cancel on
 * 2013-09-10 crediting 333.33, then refunds with and without item adjustment, chargebacks and
 * their reversal, each moving the invoice and account balances as Kill Bill does.
 */
describe('Invoice payment refunds and chargebacks: /invoicePayments/{paymentId}/refunds|chargebacks|chargebackReversals', () => {
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
  const balances = async (accountId: string) => {
    const body = (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(h()).expect(200)).body;
    return { balance: body.accountBalance as number, cba: body.accountCBA as number };
  };
  const invoiceBalance = async (invoiceId: string) => (await t.http.get(`/1.0/kb/invoices/${invoiceId}`).set(h()).expect(200)).body.balance as number;
  const paymentRows = (invoiceId: string) =>
    t.query<PaymentRowView>('SELECT id, type, status, amount, payment_id, linked_invoice_payment_id FROM invoice_payments WHERE invoice_id = $1 ORDER BY record_id', [invoiceId]);
  const items = (invoiceId: string) => t.query<ItemView>('SELECT type, amount, linked_item_id FROM invoice_items WHERE invoice_id = $1 ORDER BY record_id', [invoiceId]);
  const summary = (rows: ItemView[]) => rows.map((row) => [row.type, Number(row.amount).toFixed(2)]);

  /** E4 up to the refund: invoice #2 (500) paid, then the 2013-09-10 immediate cancel leaves the account 333.33 of credit. */
  async function paidThenCancelled(name: string, cancel = true) {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name, currency: 'USD' });
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(h()).send({ pluginName: EXTERNAL }).expect(201);
    const subscribed = await t.http.post('/1.0/kb/subscriptions').set(h()).send({ accountId, planName: 'sports-monthly' }).expect(201);
    await drain();
    await addDays(30);
    await drain();
    const invoices = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(h()).expect(200)).body as { invoiceId: string; invoiceDate: string }[];
    const invoiceId = invoices.find((invoice) => invoice.invoiceDate === '2013-08-31')?.invoiceId as string;
    const [attempt] = await paymentRows(invoiceId);
    expect([attempt.type, attempt.status, Number(attempt.amount)]).toEqual(['ATTEMPT', 'SUCCESS', 500]);
    const recurringItemId = (await t.query<{ id: string }>("SELECT id FROM invoice_items WHERE invoice_id = $1 AND type = 'RECURRING'", [invoiceId]))[0].id;
    if (cancel) {
      await addDays(10);
      await t.http.delete(`/1.0/kb/subscriptions/${idOf(subscribed.headers.location)}`).query({ requestedDate: '2013-09-10', billingPolicy: 'IMMEDIATE' }).set(h()).expect(204);
      await drain();
      expect(await balances(accountId)).toEqual({ balance: -333.33, cba: 333.33 });
    }
    return { accountId, invoiceId, paymentId: attempt.payment_id as string, attemptRowId: attempt.id, recurringItemId };
  }

  it('E4 (a): a refund of 333.33 without adjustment: the REFUND row −333.33 linked to the ATTEMPT, invoice #2 uses the credit, balances 0', async () => {
    const { accountId, invoiceId, paymentId, attemptRowId } = await paidThenCancelled('RefundNoAdj');
    const response = await t.http.post(`/1.0/kb/invoicePayments/${paymentId}/refunds`).set(h()).send({ amount: 333.33 }).expect(201);
    expect(response.headers.location).toMatch(new RegExp(`/1\\.0/kb/invoicePayments/${paymentId}$`));

    const rows = await paymentRows(invoiceId);
    expect(rows.map((row) => [row.type, row.status, Number(row.amount), row.linked_invoice_payment_id])).toEqual([
      ['ATTEMPT', 'SUCCESS', 500, null],
      ['REFUND', 'SUCCESS', -333.33, attemptRowId],
    ]);
    expect(summary(await items(invoiceId))).toEqual([
      ['RECURRING', '500.00'],
      ['CBA_ADJ', '-333.33'],
    ]);
    expect(await invoiceBalance(invoiceId)).toBe(0);
    expect(await balances(accountId)).toEqual({ balance: 0, cba: 0 });
    const [refund] = await t.query<{ transaction_type: string; transaction_status: string; amount: string }>(
      "SELECT transaction_type, transaction_status, amount FROM payment_transactions WHERE payment_id = $1 AND transaction_type = 'REFUND'",
      [paymentId],
    );
    expect([refund.transaction_status, Number(refund.amount)]).toEqual(['SUCCESS', 333.33]);
    const payment = (await t.http.get(`/1.0/kb/invoicePayments/${paymentId}`).set(h()).expect(200)).body;
    expect(payment.refundedAmount).toBe(333.33);
  });

  it('E4 (b): adjusting 333.33 of the item is refused (only 166.67 is left); with 166.67: ITEM_ADJ −166.67, CBA_ADJ −166.66, account CBA 166.67', async () => {
    const { accountId, invoiceId, paymentId, recurringItemId } = await paidThenCancelled('RefundAdj');
    const tooMuch = await t.http
      .post(`/1.0/kb/invoicePayments/${paymentId}/refunds`)
      .set(h())
      .send({ amount: 333.33, isAdjusted: true, adjustments: [{ invoiceItemId: recurringItemId, amount: 333.33 }] })
      .expect(400);
    expect(tooMuch.body.code).toBe(4020);
    // Nothing was written: no transaction, no row.
    expect((await paymentRows(invoiceId)).map((row) => row.type)).toEqual(['ATTEMPT']);
    const [count] = await t.query<{ count: string }>("SELECT count(*) FROM payment_transactions WHERE payment_id = $1 AND transaction_type = 'REFUND'", [paymentId]);
    expect(Number(count.count)).toBe(0);

    await t.http
      .post(`/1.0/kb/invoicePayments/${paymentId}/refunds`)
      .set(h())
      .send({ amount: 333.33, isAdjusted: true, adjustments: [{ invoiceItemId: recurringItemId, amount: 166.67 }] })
      .expect(201);
    const written = await items(invoiceId);
    expect(summary(written)).toEqual([
      ['RECURRING', '500.00'],
      ['ITEM_ADJ', '-166.67'],
      ['CBA_ADJ', '-166.66'],
    ]);
    expect(written[1].linked_item_id).toBe(recurringItemId);
    expect(await invoiceBalance(invoiceId)).toBe(0);
    expect(await balances(accountId)).toEqual({ balance: -166.67, cba: 166.67 });
  });

  it('refund checks: above what was paid (4906), below the items adjusted (4907), isAdjusted without items (4025), no amount (400)', async () => {
    const { paymentId, recurringItemId, invoiceId } = await paidThenCancelled('RefundChecks', false);
    const refund = (body: object) => t.http.post(`/1.0/kb/invoicePayments/${paymentId}/refunds`).set(h()).send(body);
    expect((await refund({ amount: 600 }).expect(400)).body.code).toBe(4906);
    expect((await refund({ amount: 100, isAdjusted: true, adjustments: [{ invoiceItemId: recurringItemId, amount: 200 }] }).expect(400)).body.code).toBe(4907);
    expect((await refund({ amount: 100, isAdjusted: true }).expect(400)).body.code).toBe(4025);
    await refund({}).expect(400);
    expect((await paymentRows(invoiceId)).map((row) => row.type)).toEqual(['ATTEMPT']);

    // Without an amount the listed items' amounts are refunded (null: the whole item).
    await refund({ isAdjusted: true, adjustments: [{ invoiceItemId: recurringItemId }] }).expect(201);
    expect((await paymentRows(invoiceId)).map((row) => [row.type, Number(row.amount)])).toEqual([
      ['ATTEMPT', 500],
      ['REFUND', -500],
    ]);
    expect(summary(await items(invoiceId))).toEqual([
      ['RECURRING', '500.00'],
      ['ITEM_ADJ', '-500.00'],
    ]);
    expect(await invoiceBalance(invoiceId)).toBe(0);
  });

  it('a chargeback makes the invoice owe again (CHARGED_BACK −amount); its reversal sets the row INIT and the invoice is settled', async () => {
    const { accountId, invoiceId, paymentId, attemptRowId } = await paidThenCancelled('Chargeback', false);
    const chargeback = (body: object) => t.http.post(`/1.0/kb/invoicePayments/${paymentId}/chargebacks`).set(h()).send(body);
    expect((await chargeback({ amount: 600 }).expect(400)).body.code).toBe(4901);
    await chargeback({}).expect(400);

    const response = await chargeback({ amount: 500, transactionExternalKey: 'cb-1' }).expect(201);
    expect(response.headers.location).toMatch(new RegExp(`/1\\.0/kb/invoicePayments/${paymentId}$`));
    expect((await paymentRows(invoiceId)).map((row) => [row.type, row.status, Number(row.amount), row.linked_invoice_payment_id])).toEqual([
      ['ATTEMPT', 'SUCCESS', 500, null],
      ['CHARGED_BACK', 'SUCCESS', -500, attemptRowId],
    ]);
    expect(await invoiceBalance(invoiceId)).toBe(500);
    expect(await balances(accountId)).toEqual({ balance: 500, cba: 0 });

    await t.http.post(`/1.0/kb/invoicePayments/${paymentId}/chargebackReversals`).set(h()).send({}).expect(400);
    const reversed = await t.http.post(`/1.0/kb/invoicePayments/${paymentId}/chargebackReversals`).set(h()).send({ transactionExternalKey: 'cb-1' }).expect(201);
    expect(reversed.headers.location).toMatch(new RegExp(`/1\\.0/kb/invoicePayments/${paymentId}$`));
    expect((await paymentRows(invoiceId)).map((row) => [row.type, row.status])).toEqual([
      ['ATTEMPT', 'SUCCESS'],
      ['CHARGED_BACK', 'INIT'],
    ]);
    expect(await invoiceBalance(invoiceId)).toBe(0);
    expect(await balances(accountId)).toEqual({ balance: 0, cba: 0 });
    const transactions = await t.query<{ transaction_type: string; transaction_status: string }>(
      'SELECT transaction_type, transaction_status FROM payment_transactions WHERE payment_id = $1 ORDER BY record_id',
      [paymentId],
    );
    expect(transactions.map((row) => [row.transaction_type, row.transaction_status])).toEqual([
      ['PURCHASE', 'SUCCESS'],
      ['CHARGEBACK', 'SUCCESS'],
      ['CHARGEBACK', 'PAYMENT_FAILURE'],
    ]);
  });

  it('404 for an unknown payment and for another tenant\'s payment; nothing written', async () => {
    await t.http.post(`/1.0/kb/invoicePayments/${UNKNOWN_ID}/refunds`).set(h()).send({ amount: 10 }).expect(404);
    await t.http.post(`/1.0/kb/invoicePayments/${UNKNOWN_ID}/chargebacks`).set(h()).send({ amount: 10 }).expect(404);
    await t.http.post(`/1.0/kb/invoicePayments/${UNKNOWN_ID}/chargebackReversals`).set(h()).send({ transactionExternalKey: 'x' }).expect(404);

    const { invoiceId, paymentId } = await paidThenCancelled('Isolation', false);
    const other = await t.createTenant();
    await t.http.post(`/1.0/kb/invoicePayments/${paymentId}/refunds`).set(other.headers).send({ amount: 10 }).expect(404);
    await t.http.post(`/1.0/kb/invoicePayments/${paymentId}/chargebacks`).set(other.headers).send({ amount: 10 }).expect(404);
    expect((await paymentRows(invoiceId)).map((row) => row.type)).toEqual(['ATTEMPT']);
  });
});
