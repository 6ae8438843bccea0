import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';
import { EXTERNAL_PLUGIN, TEST_PLUGIN, idOf, invoicePaymentSteps } from '../support/invoice-payment-scenarios';

/**
 * Paying what an account owes from the payment method routes (AccountResource#setDefaultPaymentMethod
 * and #createPaymentMethod with payAllUnpaidInvoices), the credit payAllInvoices books for an external
 * payment beyond the balances, and a refund made as a CREDIT through an external method (spec 2.6, 2.7).
 */
describe('Invoice payments: payAllUnpaidInvoices, payAllInvoices credit, refunds with externalPayment', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());
  const s = () => invoicePaymentSteps(t, () => tenant);
  const paymentsOf = (accountId: string) =>
    t.query<{ id: string; payment_method_id: string }>('SELECT id, payment_method_id FROM payments WHERE account_id = $1 ORDER BY record_id', [accountId]);

  it('setDefault with payAllUnpaidInvoices=true pays the unpaid invoice with the new default; without it nothing is paid', async () => {
    const steps = s();
    const { accountId } = await steps.sportsAfterTrial('SetDefault');
    // No method when the invoice came: nothing paid.
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(500);
    const first = await steps.addMethod(accountId, TEST_PLUGIN, false);
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/${first}/setDefault`).set(steps.h()).expect(204);
    expect(await paymentsOf(accountId)).toEqual([]);

    const second = await steps.addMethod(accountId, EXTERNAL_PLUGIN, false);
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/${second}/setDefault`).query({ payAllUnpaidInvoices: true }).set(steps.h()).expect(204);
    expect((await paymentsOf(accountId)).map((payment) => payment.payment_method_id)).toEqual([second]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
    expect((await t.http.get(`/1.0/kb/accounts/${accountId}`).set(steps.h()).expect(200)).body.paymentMethodId).toBe(second);
    // Nothing left: a second call pays nothing more.
    await t.http.put(`/1.0/kb/accounts/${accountId}/paymentMethods/${second}/setDefault`).query({ payAllUnpaidInvoices: true }).set(steps.h()).expect(204);
    expect(await paymentsOf(accountId)).toHaveLength(1);
  });

  it('createPaymentMethod with payAllUnpaidInvoices: 400 without any default method, pays with the new default one', async () => {
    const steps = s();
    const { accountId } = await steps.sportsAfterTrial('CreatePm');
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ payAllUnpaidInvoices: true }).set(steps.h()).send({ pluginName: TEST_PLUGIN }).expect(400);
    expect((await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(steps.h()).expect(200)).body).toEqual([]);
    const created = await t.http
      .post(`/1.0/kb/accounts/${accountId}/paymentMethods`)
      .query({ isDefault: true, payAllUnpaidInvoices: true })
      .set(steps.h())
      .send({ pluginName: TEST_PLUGIN })
      .expect(201);
    expect((await paymentsOf(accountId)).map((payment) => payment.payment_method_id)).toEqual([idOf(created.headers.location)]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('payAllInvoices?externalPayment=true&paymentAmount=600 pays the $500 and books the $100 left as account credit; with nothing owed the whole amount is credit (204)', async () => {
    const steps = s();
    const { accountId, invoiceId } = await steps.sportsAfterTrial('PayAllCredit');
    const paid = await t.http.post(`/1.0/kb/accounts/${accountId}/invoicePayments`).query({ externalPayment: true, paymentAmount: 600 }).set(steps.h()).expect(201);
    expect(paid.headers.location).toContain(`invoicesFilter=${invoiceId}`);
    expect(await steps.accountBalance(accountId)).toMatchObject({ accountBalance: -100, accountCBA: 100 });
    const items = await t.query<{ type: string; amount: string; status: string }>(
      `SELECT i.type, i.amount, v.status FROM invoice_items i JOIN invoices v ON v.id = i.invoice_id WHERE i.account_id = $1 AND i.type IN ('CREDIT_ADJ', 'CBA_ADJ') ORDER BY i.record_id`,
      [accountId],
    );
    expect(items.map((item) => [item.type, Number(item.amount), item.status])).toEqual([
      ['CREDIT_ADJ', -100, 'COMMITTED'],
      ['CBA_ADJ', 100, 'COMMITTED'],
    ]);
    await t.http.post(`/1.0/kb/accounts/${accountId}/invoicePayments`).query({ externalPayment: true, paymentAmount: 50 }).set(steps.h()).expect(204);
    expect(await steps.accountBalance(accountId)).toMatchObject({ accountBalance: -150, accountCBA: 150 });
    // Not external: no credit for what is left.
    await t.http.post(`/1.0/kb/accounts/${accountId}/invoicePayments`).query({ paymentAmount: 50 }).set(steps.h()).expect(204);
    expect((await steps.accountBalance(accountId)).accountCBA).toBe(150);
  });

  it('a refund with externalPayment=true is a CREDIT on a new payment (the external method, or paymentMethodId); the invoice owes the amount again', async () => {
    const steps = s();
    let pm = '';
    const { accountId, invoiceId } = await steps.sportsAfterTrial('RefundExternal', async (id) => {
      pm = await steps.addMethod(id, TEST_PLUGIN);
    });
    const [original] = await paymentsOf(accountId);
    const response = await t.http.post(`/1.0/kb/invoicePayments/${original.id}/refunds`).query({ externalPayment: true }).set(steps.h()).send({ amount: 100 }).expect(201);
    const creditPaymentId = idOf(response.headers.location);
    expect(response.headers.location).toContain('/1.0/kb/invoicePayments/');
    expect(creditPaymentId).not.toBe(original.id);
    const credit = (await t.http.get(`/1.0/kb/payments/${creditPaymentId}`).set(steps.h()).expect(200)).body;
    expect(credit.transactions.map((tr: { transactionType: string; status: string; amount: number }) => [tr.transactionType, tr.status, tr.amount])).toEqual([['CREDIT', 'SUCCESS', 100]]);
    expect(credit.creditedAmount).toBe(100);
    const external = (await t.http.get(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(steps.h()).expect(200)).body.find(
      (method: { pluginName: string }) => method.pluginName === EXTERNAL_PLUGIN,
    );
    expect(credit.paymentMethodId).toBe(external.paymentMethodId);
    // The original payment is not refunded; the invoice side is its REFUND row.
    expect((await t.http.get(`/1.0/kb/payments/${original.id}`).set(steps.h()).expect(200)).body.refundedAmount).toBe(0);
    const rows = await t.query<{ type: string; amount: string; payment_id: string }>('SELECT type, amount, payment_id FROM invoice_payments WHERE invoice_id = $1 ORDER BY record_id', [invoiceId]);
    expect(rows.map((row) => [row.type, Number(row.amount), row.payment_id])).toEqual([
      ['ATTEMPT', 500, original.id],
      ['REFUND', -100, original.id],
    ]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(100);

    // With paymentMethodId: the CREDIT goes through that method.
    const again = await t.http.post(`/1.0/kb/invoicePayments/${original.id}/refunds`).query({ externalPayment: true, paymentMethodId: pm }).set(steps.h()).send({ amount: 50 }).expect(201);
    expect((await t.http.get(`/1.0/kb/payments/${idOf(again.headers.location)}`).set(steps.h()).expect(200)).body.paymentMethodId).toBe(pm);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(150);
    // More than the payment paid: 4906.
    expect((await t.http.post(`/1.0/kb/invoicePayments/${original.id}/refunds`).query({ externalPayment: true }).set(steps.h()).send({ amount: 600 }).expect(400)).body.code).toBe(4906);
  });
});
