import { randomUUID } from 'node:crypto';
import { insertInvoice } from '../support/invoices';
import { insertPayment, type InsertedPayment } from '../support/payments';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXTERNAL = '__EXTERNAL_PAYMENT__';
const AUTO_INVOICING_OFF = '00000000-0000-0000-0000-000000000002';

/** The read side of payments over payment, transaction, attempt and invoice_payments rows stored in their tables. */
describe('Payment reads', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;
  let paymentMethodId: string;
  let invoiceId: string;
  /** PURCHASE 10 then REFUND 4, paying the invoice, with two attempts. */
  let refunded: InsertedPayment;
  /** AUTHORIZE 10, CAPTURE 10, VOID (Kill Bill's testAmountsCaptureVoided). */
  let voidedCapture: InsertedPayment;
  /** AUTHORIZE 10 then VOID. */
  let voidedAuth: InsertedPayment;
  /** PURCHASE 10 then CHARGEBACK 10 (Kill Bill's testAmountsCaptureChargeback, on a purchase). */
  let chargedBack: InsertedPayment;
  /** PURCHASE 10, CHARGEBACK 10, then its reversal (a failed CHARGEBACK with the same key). */
  let reversed: InsertedPayment;

  const get = (path: string, query: Record<string, unknown> = {}, who: TestTenant = tenant) => t.http.get(`/1.0/kb${path}`).query(query).set(who.headers);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    accountId = await createAccount(t, tenant, { name: 'Payer', currency: 'USD' });
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([AUTO_INVOICING_OFF]).expect(201);
    const created = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: EXTERNAL }).expect(201);
    paymentMethodId = String(created.headers.location).split('/').pop() as string;
    invoiceId = (await insertInvoice(t, { accountId, items: [{ type: 'EXTERNAL_CHARGE', amount: '10' }] })).invoiceId;
    refunded = await insertPayment(t, {
      accountId,
      paymentMethodId,
      externalKey: 'read-refunded',
      stateName: 'REFUND_SUCCESS',
      transactions: [
        { type: 'PURCHASE', amount: '10', externalKey: 'read-purchase', effectiveDate: '2024-01-02T10:00:00.000Z' },
        { type: 'REFUND', amount: '4', effectiveDate: '2024-01-05T10:00:00.000Z' },
      ],
      attempts: [
        { transaction: 0, pluginProperties: [{ key: 'IPCD_INVOICE_ID', value: 'x' }] },
        { transaction: 1, stateName: 'SUCCESS', pluginProperties: null },
      ],
      invoicePayments: [
        { invoiceId, amount: '10' },
        { invoiceId, amount: '-4', type: 'REFUND' },
      ],
    });
    voidedCapture = await insertPayment(t, {
      accountId,
      paymentMethodId,
      externalKey: 'read-voided-capture',
      stateName: 'VOID_SUCCESS',
      transactions: [{ type: 'AUTHORIZE', amount: '10' }, { type: 'CAPTURE', amount: '10' }, { type: 'VOID' }],
    });
    voidedAuth = await insertPayment(t, { accountId, paymentMethodId, stateName: 'VOID_SUCCESS', transactions: [{ type: 'AUTHORIZE', amount: '10' }, { type: 'VOID' }] });
    chargedBack = await insertPayment(t, {
      accountId,
      paymentMethodId,
      stateName: 'CHARGEBACK_SUCCESS',
      transactions: [
        { type: 'PURCHASE', amount: '10', effectiveDate: '2024-01-01T10:00:00.000Z' },
        { type: 'CHARGEBACK', amount: '10', externalKey: 'cb-1' },
      ],
      invoicePayments: [{ invoiceId, amount: '10' }],
    });
    reversed = await insertPayment(t, {
      accountId,
      paymentMethodId,
      stateName: 'CHARGEBACK_FAILED',
      transactions: [
        { type: 'PURCHASE', amount: '10' },
        { type: 'CHARGEBACK', amount: '10', externalKey: 'cb-2' },
        { type: 'CHARGEBACK', amount: '10', externalKey: 'cb-2', status: 'PAYMENT_FAILURE' },
      ],
    });
  });

  afterAll(() => t.close());

  it('GET /payments/{id}: the Payment JSON with its transactions and aggregated amounts', async () => {
    const payment: Json = (await get(`/payments/${refunded.paymentId}`).expect(200)).body;
    expect(payment).toEqual({
      accountId,
      paymentId: refunded.paymentId,
      paymentNumber: String(refunded.paymentNumber),
      paymentExternalKey: 'read-refunded',
      authAmount: 0,
      capturedAmount: 0,
      purchasedAmount: 10,
      refundedAmount: 4,
      creditedAmount: 0,
      currency: 'USD',
      paymentMethodId,
      transactions: [
        {
          transactionId: refunded.transactionIds[0],
          transactionExternalKey: 'read-purchase',
          paymentId: refunded.paymentId,
          paymentExternalKey: 'read-refunded',
          transactionType: 'PURCHASE',
          amount: 10,
          currency: 'USD',
          effectiveDate: '2024-01-02T10:00:00.000Z',
          processedAmount: 10,
          processedCurrency: 'USD',
          status: 'SUCCESS',
          gatewayErrorCode: null,
          gatewayErrorMsg: null,
          firstPaymentReferenceId: null,
          secondPaymentReferenceId: null,
          properties: null,
          auditLogs: [],
        },
        expect.objectContaining({ transactionId: refunded.transactionIds[1], transactionType: 'REFUND', amount: 4, effectiveDate: '2024-01-05T10:00:00.000Z' }),
      ],
      paymentAttempts: null,
      auditLogs: [],
    });
  });

  it('the aggregates follow spec 2.1: a VOID cancels the transaction before it, chargebacks reduce the purchase until reversed', async () => {
    const amounts = async (id: string) => {
      const { authAmount, capturedAmount, purchasedAmount, refundedAmount, creditedAmount } = (await get(`/payments/${id}`).expect(200)).body;
      return { authAmount, capturedAmount, purchasedAmount, refundedAmount, creditedAmount };
    };
    expect(await amounts(voidedCapture.paymentId)).toEqual({ authAmount: 10, capturedAmount: 0, purchasedAmount: 0, refundedAmount: 0, creditedAmount: 0 });
    expect(await amounts(voidedAuth.paymentId)).toEqual({ authAmount: 0, capturedAmount: 0, purchasedAmount: 0, refundedAmount: 0, creditedAmount: 0 });
    expect(await amounts(chargedBack.paymentId)).toEqual({ authAmount: 0, capturedAmount: 0, purchasedAmount: 0, refundedAmount: 0, creditedAmount: 0 });
    expect(await amounts(reversed.paymentId)).toEqual({ authAmount: 0, capturedAmount: 0, purchasedAmount: 10, refundedAmount: 0, creditedAmount: 0 });
  });

  it('withAttempts lists the attempts of the payment external key; audit=FULL adds the audit logs', async () => {
    const payment: Json = (await get(`/payments/${refunded.paymentId}`, { withAttempts: true, audit: 'FULL' }).expect(200)).body;
    expect(payment.paymentAttempts).toEqual([
      expect.objectContaining({
        accountId,
        paymentMethodId,
        paymentExternalKey: 'read-refunded',
        transactionId: refunded.transactionIds[0],
        transactionExternalKey: 'read-purchase',
        transactionType: 'PURCHASE',
        stateName: 'SUCCESS',
        amount: 10,
        currency: 'USD',
        pluginName: '__INVOICE_PAYMENT_CONTROL_PLUGIN__',
        pluginProperties: [{ key: 'IPCD_INVOICE_ID', value: 'x', isUpdatable: false }],
        auditLogs: [expect.objectContaining({ changeType: 'INSERT' })],
      }),
      expect.objectContaining({ transactionId: refunded.transactionIds[1], transactionType: 'REFUND', pluginProperties: null }),
    ]);
    expect(payment.auditLogs).toEqual([expect.objectContaining({ changeType: 'INSERT', changedBy: 'test' })]);
    expect(payment.transactions[0].auditLogs).toEqual([expect.objectContaining({ changeType: 'INSERT' })]);
  });

  it('404 PAYMENT_NO_SUCH_PAYMENT for an unknown payment, 400 for a bad id', async () => {
    expect((await get(`/payments/${randomUUID()}`).expect(404)).body.code).toBe(7020);
    await get('/payments/not-a-uuid').expect(400);
  });

  it('GET /payments?externalKey= finds the payment by its key (404 otherwise)', async () => {
    expect((await get('/payments', { externalKey: 'read-voided-capture' }).expect(200)).body.paymentId).toBe(voidedCapture.paymentId);
    expect((await get('/payments', { externalKey: 'missing' }).expect(404)).body.code).toBe(7020);
  });

  it('GET /paymentTransactions/{id} and ?transactionExternalKey= answer the payment of the transaction', async () => {
    expect((await get(`/paymentTransactions/${refunded.transactionIds[1]}`).expect(200)).body.paymentId).toBe(refunded.paymentId);
    expect((await get('/paymentTransactions', { transactionExternalKey: 'cb-2' }).expect(200)).body.paymentId).toBe(reversed.paymentId);
    expect((await get(`/paymentTransactions/${randomUUID()}`).expect(404)).body.code).toBe(7020);
    expect((await get('/paymentTransactions', { transactionExternalKey: 'missing' }).expect(404)).body.code).toBe(7020);
    await get('/paymentTransactions/bad-id').expect(400);
  });

  it('GET /payments/pagination pages in record order with the pagination headers', async () => {
    const first = await get('/payments/pagination', { offset: 0, limit: 2 }).expect(200);
    expect(first.body.map((p: Json) => p.paymentId)).toEqual([refunded.paymentId, voidedCapture.paymentId]);
    expect(first.headers['x-killbill-pagination-currentoffset']).toBe('0');
    expect(first.headers['x-killbill-pagination-nextoffset']).toBe('2');
    expect(first.headers['x-killbill-pagination-totalnbrecords']).toBe('5');
    expect(first.headers['x-killbill-pagination-maxnbrecords']).toBe('5');
    expect(first.headers['x-killbill-pagination-nextpageuri']).toContain('offset=2');
    const last = await get('/payments/pagination', { offset: 4, limit: 2 }).expect(200);
    expect(last.body.map((p: Json) => p.paymentId)).toEqual([reversed.paymentId]);
    expect(last.headers['x-killbill-pagination-nextoffset']).toBeUndefined();
    const ofPlugin = await get('/payments/pagination', { pluginName: EXTERNAL }).expect(200);
    expect(ofPlugin.body).toHaveLength(5);
    const ofOther = await get('/payments/pagination', { pluginName: 'killbill-payment-test' }).expect(200);
    expect(ofOther.body).toEqual([]);
    expect(ofOther.headers['x-killbill-pagination-totalnbrecords']).toBe('0');
  });

  it('GET /payments/search/{key}: by state name part, external key part, account id', async () => {
    const ids = async (key: string) => (await get(`/payments/search/${key}`).expect(200)).body.map((p: Json) => p.paymentId);
    expect(await ids('VOID_SUCCESS')).toEqual([voidedCapture.paymentId, voidedAuth.paymentId]);
    expect(await ids('CHARGEBACK')).toEqual([chargedBack.paymentId, reversed.paymentId]);
    expect(await ids('voided-cap')).toEqual([voidedCapture.paymentId]);
    expect(await ids(accountId)).toHaveLength(5);
    expect(await ids(refunded.paymentId)).toEqual([refunded.paymentId]);
    expect(await ids('nothing-like-it')).toEqual([]);
  });

  it('GET /accounts/{id}/payments lists the account payments (an unknown account has none)', async () => {
    const payments: Json[] = (await get(`/accounts/${accountId}/payments`).expect(200)).body;
    expect(payments.map((p) => p.paymentId)).toEqual([refunded.paymentId, voidedCapture.paymentId, voidedAuth.paymentId, chargedBack.paymentId, reversed.paymentId]);
    expect(payments[0]).not.toHaveProperty('targetInvoiceId');
    expect((await get(`/accounts/${randomUUID()}/payments`).expect(200)).body).toEqual([]);
    await get('/accounts/bad/payments').expect(400);
  });

  it('GET /accounts/{id}/invoicePayments adds the invoice of each ATTEMPT row (404 for an unknown account)', async () => {
    const payments: Json[] = (await get(`/accounts/${accountId}/invoicePayments`).expect(200)).body;
    expect(payments.map((p) => [p.paymentId, p.targetInvoiceId])).toEqual([
      [refunded.paymentId, invoiceId],
      [voidedCapture.paymentId, null],
      [voidedAuth.paymentId, null],
      [chargedBack.paymentId, invoiceId],
      [reversed.paymentId, null],
    ]);
    expect((await get(`/accounts/${randomUUID()}/invoicePayments`).expect(404)).body.code).toBe(3002);
  });

  it('GET /invoicePayments/{paymentId} is the payment with its target invoice', async () => {
    const payment: Json = (await get(`/invoicePayments/${refunded.paymentId}`, { withAttempts: true }).expect(200)).body;
    expect(payment).toEqual(expect.objectContaining({ paymentId: refunded.paymentId, targetInvoiceId: invoiceId, purchasedAmount: 10, refundedAmount: 4 }));
    expect(payment.paymentAttempts).toHaveLength(2);
    expect((await get(`/invoicePayments/${voidedAuth.paymentId}`).expect(200)).body.targetInvoiceId).toBeNull();
    expect((await get(`/invoicePayments/${randomUUID()}`).expect(404)).body.code).toBe(7020);
  });

  it('GET /invoices/{id}/payments: the payments the invoice rows name, by their first effective date', async () => {
    const payments: Json[] = (await get(`/invoices/${invoiceId}/payments`).expect(200)).body;
    expect(payments.map((p) => [p.paymentId, p.targetInvoiceId])).toEqual([
      [chargedBack.paymentId, invoiceId],
      [refunded.paymentId, invoiceId],
    ]);
    const unpaid = (await insertInvoice(t, { accountId, items: [{ type: 'EXTERNAL_CHARGE', amount: '3' }] })).invoiceId;
    expect((await get(`/invoices/${unpaid}/payments`).expect(200)).body).toEqual([]);
    expect((await get(`/invoices/${randomUUID()}/payments`).expect(404)).body.code).toBe(4006);
  });

  it('custom fields, tags and audit logs with history on payments, transactions and invoice payments', async () => {
    const headers = tenant.headers;
    await t.http.post(`/1.0/kb/payments/${refunded.paymentId}/customFields`).set(headers).send([{ name: 'color', value: 'red' }]).expect(201);
    expect((await get(`/payments/${refunded.paymentId}/customFields`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'PAYMENT', name: 'color', value: 'red' })]);
    // An invoice payment's custom fields are its payment's.
    expect((await get(`/invoicePayments/${refunded.paymentId}/customFields`).expect(200)).body).toEqual([expect.objectContaining({ name: 'color' })]);

    const definition = (await t.http.post('/1.0/kb/tagDefinitions').set(headers).send({ name: 'reviewed', description: 'Reviewed', applicableObjectTypes: ['TRANSACTION', 'PAYMENT'] }).expect(201)).headers.location;
    const definitionId = String(definition).split('/').pop() as string;
    await t.http.post(`/1.0/kb/paymentTransactions/${refunded.transactionIds[0]}/tags`).set(headers).send([definitionId]).expect(201);
    expect((await get(`/paymentTransactions/${refunded.transactionIds[0]}/tags`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'TRANSACTION', tagDefinitionName: 'reviewed' })]);
    await t.http.post(`/1.0/kb/invoicePayments/${chargedBack.paymentId}/tags`).set(headers).send([definitionId]).expect(201);
    expect((await get(`/payments/${chargedBack.paymentId}/tags`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'PAYMENT', objectId: chargedBack.paymentId })]);

    expect((await get(`/payments/${refunded.paymentId}/auditLogsWithHistory`).expect(200)).body).toEqual([
      expect.objectContaining({ changeType: 'INSERT', objectType: 'PAYMENT', history: expect.objectContaining({ externalKey: 'read-refunded' }) }),
    ]);
    expect((await get(`/paymentTransactions/${refunded.transactionIds[1]}/auditLogsWithHistory`).expect(200)).body).toEqual([expect.objectContaining({ changeType: 'INSERT', objectType: 'TRANSACTION' })]);
    expect((await get(`/payments/attempts/${refunded.attemptIds[0]}/auditLogsWithHistory`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'PAYMENT_ATTEMPT' })]);
    expect((await get(`/invoicePayments/${refunded.invoicePaymentIds[0]}/auditLogsWithHistory`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'INVOICE_PAYMENT' })]);
    await get(`/payments/${randomUUID()}/auditLogsWithHistory`).expect(404);
    await get(`/paymentTransactions/${randomUUID()}/tags`).expect(404);
  });

  it('the account timeline carries the payments as InvoicePayment JSON', async () => {
    const timeline: Json = (await get(`/accounts/${accountId}/timeline`).expect(200)).body;
    expect(timeline.payments.map((p: Json) => [p.paymentId, p.targetInvoiceId])).toEqual([
      [refunded.paymentId, invoiceId],
      [voidedCapture.paymentId, null],
      [voidedAuth.paymentId, null],
      [chargedBack.paymentId, invoiceId],
      [reversed.paymentId, null],
    ]);
    expect(timeline.payments[0]).toEqual(expect.objectContaining({ purchasedAmount: 10, refundedAmount: 4, paymentAttempts: null, transactions: expect.any(Array) }));
  });

  it('another tenant sees none of it', async () => {
    const other = await t.createTenant();
    await get(`/payments/${refunded.paymentId}`, {}, other).expect(404);
    await get('/payments', { externalKey: 'read-refunded' }, other).expect(404);
    await get(`/paymentTransactions/${refunded.transactionIds[0]}`, {}, other).expect(404);
    await get(`/invoicePayments/${refunded.paymentId}`, {}, other).expect(404);
    await get(`/invoices/${invoiceId}/payments`, {}, other).expect(404);
    expect((await get(`/accounts/${accountId}/payments`, {}, other).expect(200)).body).toEqual([]);
    const page = await get('/payments/pagination', {}, other).expect(200);
    expect(page.body).toEqual([]);
    expect(page.headers['x-killbill-pagination-maxnbrecords']).toBe('0');
    expect((await get(`/payments/search/${accountId}`, {}, other).expect(200)).body).toEqual([]);
    await get(`/payments/${refunded.paymentId}/customFields`, {}, other).expect(404);
  });
});
