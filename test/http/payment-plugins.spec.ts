import Big from 'big.js';
import { randomUUID } from 'node:crypto';
import { PaymentPluginRegistry, type PaymentPluginApi, type PaymentTransactionCall } from '@kb/payment';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const TEST_PLUGIN = 'killbill-payment-test';

describe('Payment plugins: pluginsInfo, the test plugin, plugin timeouts, gateways', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    // A tiny timeout: a plugin that sleeps 1s is given up long before.
    t = await startTestApp({ 'org.killbill.payment.plugin.timeout': '200ms' });
    tenant = await t.createTenant();
    other = await t.createTenant();
  });
  afterAll(() => t.close());

  const configure = (body: Record<string, unknown>) => t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(tenant.headers).send(body);
  const registry = () => t.app.get(PaymentPluginRegistry);
  const call = (overrides: Partial<PaymentTransactionCall> = {}): PaymentTransactionCall => ({
    kbAccountId: randomUUID(),
    kbPaymentId: randomUUID(),
    kbTransactionId: randomUUID(),
    kbPaymentMethodId: randomUUID(),
    amount: new Big('10.50'),
    currency: 'USD',
    properties: [],
    context: { tenantId: null, tenantRecordId: 1, createdDate: new Date(), userName: null, reasonCode: null, comments: null },
    ...overrides,
  });

  it('GET /pluginsInfo lists the test plugin as a payment plugin (the built-in external one is no plugin)', async () => {
    const response = await t.http.get('/1.0/kb/pluginsInfo').set(tenant.headers).expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({
        pluginName: TEST_PLUGIN,
        state: 'RUNNING',
        services: [{ serviceTypeName: 'org.killbill.billing.payment.plugin.api.PaymentPluginApi', registrationName: TEST_PLUGIN }],
      }),
    ]);
    await t.http.get('/1.0/kb/pluginsInfo').expect(401);
  });

  it('configure sets a global action per method, status shows it, ACTION_CLEAR removes it; an unknown method is a 400', async () => {
    await configure({ CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', METHODS: 'purchasePayment' }).expect(200);
    await configure({ AMOUNT: '3.25' }).expect(200);
    expect((await t.http.get(`/plugins/${TEST_PLUGIN}/status`).set(tenant.headers).expect(200)).body).toEqual({
      states: { purchasePayment: 'ACTION_RETURN_PLUGIN_STATUS_ERROR' },
      sleeps: {},
      amounts: { '*': '3.25' },
    });
    const plugin = registry().require(TEST_PLUGIN);
    expect(await plugin.purchasePayment(call())).toMatchObject({ status: 'ERROR', transactionType: 'PURCHASE' });
    const authorized = await plugin.authorizePayment(call());
    expect(authorized?.status).toBe('PROCESSED');
    expect(authorized?.processedAmount?.toString()).toBe('3.25');
    await configure({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200);
    expect((await t.http.get(`/plugins/${TEST_PLUGIN}/status`).set(tenant.headers).expect(200)).body).toEqual({ states: {}, sleeps: {}, amounts: {} });
    await configure({ CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', METHODS: 'noSuchMethod' }).expect(400);
    await configure({ CONFIGURE_ACTION: 'NOT_AN_ACTION' }).expect(400);
  });

  it('per-call properties override the default answer; the answers given are what getPaymentInfo reports', async () => {
    const plugin = registry().require(TEST_PLUGIN);
    const payment = call({ properties: [{ key: 'ACTION_RETURN_PLUGIN_STATUS_PENDING', value: 'purchasePayment' }] });
    expect((await plugin.purchasePayment(payment))?.status).toBe('PENDING');
    // The property names another method: this call is not affected.
    expect((await plugin.authorizePayment({ ...payment, kbTransactionId: randomUUID() }))?.status).toBe('PROCESSED');
    expect(await plugin.purchasePayment(call({ properties: [{ key: 'RETURN_NIL', value: '*' }] }))).toBeNull();
    await expect(plugin.refundPayment(call({ properties: [{ key: 'ACTION_THROW_EXCEPTION', value: '' }] }))).rejects.toMatchObject({ name: 'PaymentPluginApiException' });
    const infos = await plugin.getPaymentInfo(payment.kbAccountId, payment.kbPaymentId, [], payment.context);
    expect(infos.map((info) => [info.transactionType, info.status])).toEqual([
      ['PURCHASE', 'PENDING'],
      ['AUTHORIZE', 'PROCESSED'],
    ]);
    expect(await plugin.getPaymentInfo(payment.kbAccountId, payment.kbPaymentId, [], { ...payment.context, tenantRecordId: 2 })).toEqual([]);
  });

  it('a plugin call past org.killbill.payment.plugin.timeout fails with a timeout error; over HTTP it is 504 PAYMENT_PLUGIN_TIMEOUT', async () => {
    const plugin = registry().require(TEST_PLUGIN);
    const started = Date.now();
    await expect(plugin.purchasePayment(call({ properties: [{ key: 'ACTION_SLEEP', value: '*' }, { key: 'sleepFor', value: '1' }] }))).rejects.toMatchObject({
      name: 'PaymentPluginTimeoutException',
    });
    expect(Date.now() - started).toBeLessThan(900);

    const slow: PaymentPluginApi = { ...(registry().require('__EXTERNAL_PAYMENT__') as PaymentPluginApi), addPaymentMethod: () => new Promise((resolve) => setTimeout(resolve, 1000).unref()) };
    registry().register('slow-gateway', slow);
    try {
      const accountId = await createAccount(t, tenant);
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: 'slow-gateway' }).expect(504);
      expect(response.body).toMatchObject({ code: 7100 });
      const [rows] = await t.query<{ count: string }>('SELECT count(*) FROM payment_methods WHERE account_id = $1', [accountId]);
      expect(Number(rows.count)).toBe(0);
    } finally {
      registry().unregister('slow-gateway');
    }
  });

  it('the external plugin fails on purpose with its test properties', async () => {
    const plugin = registry().require('__EXTERNAL_PAYMENT__');
    expect((await plugin.purchasePayment(call()))?.status).toBe('PROCESSED');
    expect((await plugin.purchasePayment(call({ properties: [{ key: 'killbill.external.payment.fail.error', value: 'true' }] })))?.status).toBe('ERROR');
    expect((await plugin.purchasePayment(call({ properties: [{ key: 'killbill.external.payment.fail.cancellation', value: 'true' }] })))?.status).toBe('CANCELED');
    await expect(plugin.purchasePayment(call({ properties: [{ key: 'killbill.external.payment.fail.exception', value: 'true' }] }))).rejects.toMatchObject({ name: 'PaymentPluginApiException' });
    await expect(plugin.purchasePayment(call({ properties: [{ key: 'killbill.external.payment.fail.timeout', value: 'true' }] }))).rejects.toMatchObject({ name: 'PaymentPluginTimeoutException' });
  });

  it('hosted payment form and gateway notifications are answered by the plugin; unknown account, method or plugin are errors', async () => {
    const accountId = await createAccount(t, tenant);
    const noDefault = await t.http.post(`/1.0/kb/paymentGateways/hosted/form/${accountId}`).set(tenant.headers).send({ formFields: [] }).expect(404);
    expect(noDefault.body.code).toBe(7021);
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: true }).set(tenant.headers).send({ pluginName: '__EXTERNAL_PAYMENT__' }).expect(201);
    const form = await t.http.post(`/1.0/kb/paymentGateways/hosted/form/${accountId}`).set(tenant.headers).send({ formFields: [{ key: 'a', value: 'b' }] }).expect(200);
    expect(form.body).toMatchObject({ kbAccountId: accountId, formMethod: null, formUrl: null, formFields: {}, properties: {} });
    await t.http.post(`/1.0/kb/paymentGateways/hosted/form/${randomUUID()}`).set(tenant.headers).send({}).expect(404);
    await t.http.post(`/1.0/kb/paymentGateways/hosted/form/${accountId}`).set(other.headers).send({}).expect(404);
    await t.http.post(`/1.0/kb/paymentGateways/notification/${TEST_PLUGIN}`).set(tenant.headers).set('Content-Type', 'text/plain').send('event=1').expect(200);
    const unknown = await t.http.post('/1.0/kb/paymentGateways/notification/nope').set(tenant.headers).set('Content-Type', 'text/plain').send('x').expect(400);
    expect(unknown.body.code).toBe(7028);
  });
});
