import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const TEST_PLUGIN = 'killbill-payment-test';
const EXTERNAL = '__EXTERNAL_PAYMENT__';

describe('Combo calls: POST /payments/combo, POST /paymentGateways/hosted/form', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const idOf = (location: unknown) => String(location).split('/').pop() as string;
  const accountsWithKey = (externalKey: string) => t.query<{ id: string; payment_method_id: string | null }>('SELECT id, payment_method_id FROM accounts WHERE external_key = $1', [externalKey]);
  const methodsOf = (accountId: string) => t.query<{ id: string; plugin_name: string; external_key: string }>('SELECT id, plugin_name, external_key FROM payment_methods WHERE account_id = $1 ORDER BY record_id', [accountId]);
  const combo = (body: Record<string, unknown>) => t.http.post('/1.0/kb/payments/combo').set(tenant.headers).send(body);

  it('creates the account and its first (default) payment method, then the purchase: 201 to the payment; a second call with the same keys reuses both', async () => {
    const accountKey = `combo-${randomUUID()}`;
    const methodKey = `pm-${randomUUID()}`;
    const body = {
      account: { externalKey: accountKey, name: 'Combo', currency: 'USD' },
      paymentMethod: { pluginName: TEST_PLUGIN, externalKey: methodKey },
      transaction: { transactionType: 'PURCHASE', amount: 25 },
    };
    const response = await combo(body).expect(201);
    const paymentId = idOf(response.headers.location);
    const [account] = await accountsWithKey(accountKey);
    const methods = await methodsOf(account.id);
    expect(methods.map((method) => [method.plugin_name, method.external_key])).toEqual([[TEST_PLUGIN, methodKey]]);
    expect(account.payment_method_id).toBe(methods[0].id);
    const [row] = await t.query<{ account_id: string; payment_method_id: string; state_name: string }>('SELECT account_id, payment_method_id, state_name FROM payments WHERE id = $1', [paymentId]);
    expect(row).toEqual({ account_id: account.id, payment_method_id: methods[0].id, state_name: 'PURCHASE_SUCCESS' });

    await combo({ ...body, transaction: { transactionType: 'AUTHORIZE', amount: 5 } }).expect(201);
    expect(await accountsWithKey(accountKey)).toHaveLength(1);
    expect(await methodsOf(account.id)).toHaveLength(1);
  });

  it('an existing account by id gets the method added (not default: it already has one); the transaction uses it', async () => {
    const accountId = await createAccount(t, tenant);
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(tenant.headers).send({ pluginName: EXTERNAL }).expect(201);
    const response = await combo({ account: { accountId }, paymentMethod: { pluginName: TEST_PLUGIN }, transaction: { transactionType: 'CREDIT', amount: 7 } }).expect(201);
    const methods = await methodsOf(accountId);
    expect(methods.map((method) => method.plugin_name)).toEqual([EXTERNAL, TEST_PLUGIN]);
    const [row] = await t.query<{ payment_method_id: string }>('SELECT payment_method_id FROM payments WHERE id = $1', [idOf(response.headers.location)]);
    expect(row.payment_method_id).toBe(methods[1].id);
    const [account] = await t.query<{ payment_method_id: string }>('SELECT payment_method_id FROM accounts WHERE id = $1', [accountId]);
    expect(account.payment_method_id).toBe(methods[0].id);
  });

  it('answers as any new transaction: a decline is 402 with Location (the account and method stay created); a type an account cannot start is 412', async () => {
    const accountKey = `decl-${randomUUID()}`;
    const declined = await t.http
      .post('/1.0/kb/payments/combo')
      .set(tenant.headers)
      .send({
        account: { externalKey: accountKey, name: 'Declined', currency: 'USD' },
        paymentMethod: { pluginName: TEST_PLUGIN },
        transaction: { transactionType: 'PURCHASE', amount: 10 },
        transactionPluginProperties: [{ key: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', value: 'purchasePayment' }],
      })
      .expect(402);
    expect(declined.headers.location).toMatch(/\/1\.0\/kb\/payments\/[0-9a-f-]{36}$/);
    expect(declined.body.message).toBe('Payment decline by gateway. Error message: null');
    expect(await accountsWithKey(accountKey)).toHaveLength(1);
    const refused = await combo({ account: { externalKey: accountKey }, transaction: { transactionType: 'REFUND', amount: 1 } }).expect(412);
    expect(refused.text).toBe('TransactionType REFUND is not allowed for an account');
  });

  it('errors: an unknown account id 404 3002, a method id of another account 404 7000, no body 400', async () => {
    expect((await combo({ account: { accountId: randomUUID() }, transaction: { transactionType: 'PURCHASE', amount: 1 } }).expect(404)).body.code).toBe(3002);
    const accountId = await createAccount(t, tenant);
    const otherId = await createAccount(t, tenant);
    const method = await t.http.post(`/1.0/kb/accounts/${otherId}/paymentMethods`).set(tenant.headers).send({ pluginName: EXTERNAL }).expect(201);
    const foreign = await combo({ account: { accountId }, paymentMethod: { pluginName: EXTERNAL, paymentMethodId: idOf(method.headers.location) }, transaction: { transactionType: 'PURCHASE', amount: 1 } }).expect(404);
    expect(foreign.body.code).toBe(7000);
    expect((await combo({}).expect(400)).body.message).toBe('ComboPaymentTransactionJson body should be specified');
  });

  it('POST /paymentGateways/hosted/form: the account created, its method added, then the plugin’s form (200); an unknown account id 404', async () => {
    const accountKey = `hpp-${randomUUID()}`;
    const response = await t.http
      .post('/1.0/kb/paymentGateways/hosted/form')
      .set(tenant.headers)
      .send({
        account: { externalKey: accountKey, name: 'Hosted', currency: 'USD' },
        paymentMethod: { pluginName: TEST_PLUGIN },
        hostedPaymentPageFields: { formFields: [{ key: 'amount', value: '10' }] },
      })
      .expect(200);
    const [account] = await accountsWithKey(accountKey);
    expect(response.body.kbAccountId).toBe(account.id);
    expect(await methodsOf(account.id)).toHaveLength(1);
    await t.http.post('/1.0/kb/paymentGateways/hosted/form').set(tenant.headers).send({ account: { accountId: randomUUID() } }).expect(404);
  });
});
