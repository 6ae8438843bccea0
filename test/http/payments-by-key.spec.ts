import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const TEST_PLUGIN = 'killbill-payment-test';

describe('Payment writes by external key: POST|PUT|DELETE /payments, /payments/refunds|chargebacks|chargebackReversals, POST /accounts/payments', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const accountWithMethod = async (externalKey?: string) => {
    const accountId = await createAccount(t, tenant, { name: 'Jane', currency: 'USD', ...(externalKey ? { externalKey } : {}) });
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(tenant.headers).send({ pluginName: TEST_PLUGIN }).expect(201);
    return accountId;
  };
  const idOf = (location: unknown) => String(location).split('/').pop() as string;
  const transactions = (paymentId: string) =>
    t.query<{ transaction_type: string; transaction_status: string; amount: string | null }>(
      'SELECT transaction_type, transaction_status, amount FROM payment_transactions WHERE payment_id = $1 ORDER BY record_id',
      [paymentId],
    );
  const stateOf = async (paymentId: string) => (await t.query<{ state_name: string }>('SELECT state_name FROM payments WHERE id = $1', [paymentId]))[0].state_name;
  const authorize = async (accountId: string, paymentExternalKey: string, amount = 100) =>
    idOf((await t.http.post(`/1.0/kb/accounts/${accountId}/payments`).set(tenant.headers).send({ transactionType: 'AUTHORIZE', amount, paymentExternalKey }).expect(201)).headers.location);

  it('processPaymentByExternalKey pays for the account of the externalKey query: 201 to the payment; an unknown key is 404 3003', async () => {
    const accountKey = `acc-${randomUUID()}`;
    const accountId = await accountWithMethod(accountKey);
    const response = await t.http.post('/1.0/kb/accounts/payments').query({ externalKey: accountKey }).set(tenant.headers).send({ transactionType: 'PURCHASE', amount: 12 }).expect(201);
    const paymentId = idOf(response.headers.location);
    const [row] = await t.query<{ account_id: string; state_name: string }>('SELECT account_id, state_name FROM payments WHERE id = $1', [paymentId]);
    expect(row).toEqual({ account_id: accountId, state_name: 'PURCHASE_SUCCESS' });
    const unknown = await t.http.post('/1.0/kb/accounts/payments').query({ externalKey: `nope-${randomUUID()}` }).set(tenant.headers).send({ transactionType: 'PURCHASE', amount: 1 }).expect(404);
    expect(unknown.body.code).toBe(3003);
    expect((await t.http.post('/1.0/kb/accounts/payments').set(tenant.headers).send({ transactionType: 'PURCHASE', amount: 1 }).expect(400)).body.code).toBe(3004);
  });

  it('captures, refunds and charges back by the payment external key; the payment moves as by id', async () => {
    const accountId = await accountWithMethod();
    const key = `pay-${randomUUID()}`;
    const paymentId = await authorize(accountId, key);
    const capture = await t.http.post('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key, amount: 60 }).expect(201);
    expect(capture.headers.location).toMatch(new RegExp(`/1\\.0/kb/payments/${paymentId}$`));
    expect(await stateOf(paymentId)).toBe('CAPTURE_SUCCESS');
    await t.http.post('/1.0/kb/payments/refunds').set(tenant.headers).send({ paymentExternalKey: key, amount: 10 }).expect(201);
    expect(await stateOf(paymentId)).toBe('REFUND_SUCCESS');
    const chargebackKey = `cb-${randomUUID()}`;
    await t.http.post('/1.0/kb/payments/chargebacks').set(tenant.headers).send({ paymentExternalKey: key, amount: 50, transactionExternalKey: chargebackKey }).expect(201);
    const reversal = await t.http.post('/1.0/kb/payments/chargebackReversals').set(tenant.headers).send({ paymentExternalKey: key, transactionExternalKey: chargebackKey }).expect(402);
    expect(reversal.headers.location).toMatch(new RegExp(`/1\\.0/kb/payments/${paymentId}$`));
    expect((await transactions(paymentId)).map((row) => [row.transaction_type, row.transaction_status])).toEqual([
      ['AUTHORIZE', 'SUCCESS'],
      ['CAPTURE', 'SUCCESS'],
      ['REFUND', 'SUCCESS'],
      ['CHARGEBACK', 'SUCCESS'],
      ['CHARGEBACK', 'PAYMENT_FAILURE'],
    ]);
    expect(await stateOf(paymentId)).toBe('CHARGEBACK_FAILED');
  });

  it('voids by key (204); then a capture by key is an illegal transition (7032) and writes nothing', async () => {
    const accountId = await accountWithMethod();
    const key = `void-${randomUUID()}`;
    const paymentId = await authorize(accountId, key);
    await t.http.delete('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key }).expect(204);
    expect(await stateOf(paymentId)).toBe('VOID_SUCCESS');
    const illegal = await t.http.post('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key, amount: 5 }).expect(400);
    expect(illegal.body.code).toBe(7032);
    expect(await transactions(paymentId)).toHaveLength(2);
  });

  it('an unknown payment external key is 404 7020 on every by-key route; no key at all is 400; a capture needs an amount', async () => {
    const key = `missing-${randomUUID()}`;
    const routes = [
      t.http.post('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key, amount: 1 }),
      t.http.put('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key }),
      t.http.delete('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key }),
      t.http.post('/1.0/kb/payments/refunds').set(tenant.headers).send({ paymentExternalKey: key, amount: 1 }),
      t.http.post('/1.0/kb/payments/chargebacks').set(tenant.headers).send({ paymentExternalKey: key, amount: 1 }),
      t.http.post('/1.0/kb/payments/chargebackReversals').set(tenant.headers).send({ paymentExternalKey: key, transactionExternalKey: 'x' }),
    ];
    for (const route of routes) {
      const response = await route.expect(404);
      expect(response.body).toMatchObject({ code: 7020, message: `Payment ${key} does not exist` });
    }
    const noKey = await t.http.post('/1.0/kb/payments/refunds').set(tenant.headers).send({ amount: 1 }).expect(400);
    expect(noKey.body.message).toBe('Need to set either paymentId or payment externalKey');
    const noAmount = await t.http.post('/1.0/kb/payments').set(tenant.headers).send({ paymentExternalKey: key }).expect(400);
    expect(noAmount.body.message).toBe('PaymentTransactionJson amount needs to be set');
  });

  it('a decline by key answers 402 with the Location of the payment', async () => {
    const accountId = await accountWithMethod();
    const key = `decl-${randomUUID()}`;
    const paymentId = await authorize(accountId, key);
    const declined = await t.http.post('/1.0/kb/payments').query({ pluginProperty: 'ACTION_RETURN_PLUGIN_STATUS_ERROR=capturePayment' }).set(tenant.headers).send({ paymentExternalKey: key, amount: 30 }).expect(402);
    expect(declined.headers.location).toMatch(new RegExp(`/1\\.0/kb/payments/${paymentId}$`));
    expect((await transactions(paymentId)).map((row) => row.transaction_status)).toEqual(['SUCCESS', 'PAYMENT_FAILURE']);
  });
});
