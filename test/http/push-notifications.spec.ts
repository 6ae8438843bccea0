import { Broadcasts, QueueDispatcher } from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';
import { type PushReceiver, startPushReceiver } from '../support/push-receiver';

const START = '2013-08-01T06:00:00.000Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const drain = (t: TestApp, tenant: TestTenant) => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
const setClock = (t: TestApp, tenant: TestTenant, requestedDate: string) =>
  t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(tenant.headers).expect(200);
const register = (t: TestApp, tenant: TestTenant, url: string) => t.http.post('/1.0/kb/tenants/registerNotificationCallback').query({ cb: url }).set(tenant.headers).expect(201);
const pause = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** Spec 3.3: every external event of a tenant POSTed to its callback, as Kill Bill's PushNotificationListener does. */
describe('Push notifications: the events of an account, invoiced and paid, reach the callback', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: PushReceiver;
  const statesDuringPost: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    receiver = await startPushReceiver();
    tenant = await globalCatalogTenant(t);
    receiver.onRequest = async () => {
      // Other events' rows may be waiting (AVAILABLE); the one being posted must read IN_PROCESSING from here.
      const rows = await t.query<{ processing_state: string }>(`SELECT processing_state FROM notifications WHERE queue_name = 'push-notification-queue'`);
      statesDuringPost.push(rows.some((row) => row.processing_state === 'IN_PROCESSING') ? 'IN_PROCESSING' : 'none in process');
    };
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('sends ACCOUNT_CREATION, SUBSCRIPTION_CREATION, INVOICE_CREATION and PAYMENT_SUCCESS with Kill Bill’s fields and headers', async () => {
    // The clock first: a push is due at the clock's now, so moving the clock back would leave the registration's own push in the future.
    await setClock(t, tenant, START);
    await register(t, tenant, receiver.url);
    const accountId = await createAccount(t, tenant, { name: 'Pushed', currency: 'USD' });
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(tenant.headers).send({ pluginName: '__EXTERNAL_PAYMENT__' }).expect(201);
    const created = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'sports-monthly' }).expect(201);
    const subscriptionId = String(created.headers.location).split('/').pop();
    await drain(t, tenant);
    await t.http.put('/1.0/kb/test/clock').query({ days: 30, timeoutSec: 10 }).set(tenant.headers).expect(200);
    await drain(t, tenant);

    const [account] = receiver.ofType('ACCOUNT_CREATION');
    expect(account.body).toEqual({ eventType: 'ACCOUNT_CREATION', accountId, objectType: 'ACCOUNT', objectId: accountId, metaData: null });
    expect(account.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(account.headers['user-agent']).toBe('KillBill/1.0');

    const subscriptionCreations = receiver.ofType('SUBSCRIPTION_CREATION');
    // The requested creation and the effective one, as Kill Bill sends both.
    expect(subscriptionCreations.map((n) => JSON.parse(n.body.metaData ?? '{}').actionType).sort()).toEqual(['EFFECTIVE', 'REQUESTED']);
    for (const notification of subscriptionCreations) {
      expect(notification.body).toMatchObject({ accountId, objectType: 'SUBSCRIPTION', objectId: subscriptionId });
      expect(JSON.parse(notification.body.metaData ?? '{}')).toEqual({ actionType: expect.any(String), bundleExternalKey: expect.any(String), subscriptionChangeUndo: false });
    }
    expect(receiver.ofType('ENTITLEMENT_CREATION')[0].body).toMatchObject({ accountId, objectType: 'SUBSCRIPTION', objectId: subscriptionId, metaData: null });

    const invoices = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(tenant.headers).expect(200)).body as { invoiceId: string; amount: number }[];
    const paid = invoices.find((invoice) => invoice.amount === 500);
    expect(receiver.ofType('INVOICE_CREATION').map((n) => n.body.objectId).sort()).toEqual(invoices.map((invoice) => invoice.invoiceId).sort());
    expect(receiver.ofType('INVOICE_CREATION')[0].body).toMatchObject({ accountId, objectType: 'INVOICE', metaData: null });

    const [payment] = receiver.ofType('PAYMENT_SUCCESS');
    expect(payment.body).toMatchObject({ accountId, objectType: 'PAYMENT', objectId: expect.stringMatching(UUID) });
    expect(JSON.parse(payment.body.metaData ?? '{}')).toEqual({
      paymentTransactionId: expect.stringMatching(UUID),
      amount: 500,
      currency: 'USD',
      status: 'SUCCESS',
      transactionType: 'PURCHASE',
      effectiveDate: expect.stringMatching(/^2013-08-31T/),
    });
    const [invoicePayment] = receiver.ofType('INVOICE_PAYMENT_SUCCESS');
    expect(invoicePayment.body).toMatchObject({ accountId, objectType: 'INVOICE', objectId: paid?.invoiceId });
    expect(JSON.parse(invoicePayment.body.metaData ?? '{}')).toMatchObject({
      paymentId: payment.body.objectId,
      paymentAttemptId: expect.stringMatching(UUID),
      invoicePaymentType: 'ATTEMPT',
      amount: 500,
      currency: 'USD',
      linkedInvoicePaymentId: null,
      processedCurrency: 'USD',
    });
    // The registration itself is a tenant event: no account.
    expect(receiver.ofType('TENANT_CONFIG_CHANGE')[0].body).toMatchObject({ accountId: null, objectType: 'TENANT_KVS', metaData: '{"key":"PUSH_NOTIFICATION_CB"}' });
  });

  it('posts with its row claimed and committed (IN_PROCESSING seen from another connection), so no transaction stays open across the POST', () => {
    expect(statesDuringPost.length).toBeGreaterThan(0);
    expect(statesDuringPost.every((state) => state === 'IN_PROCESSING')).toBe(true);
  });

  it('sends nothing to a tenant without callback, and nothing after the callback is deleted', async () => {
    await t.http.delete('/1.0/kb/tenants/registerNotificationCallback').set(tenant.headers).expect(204);
    await drain(t, tenant);
    const before = receiver.received.length;
    await createAccount(t, tenant, { name: 'Silent', currency: 'USD' });
    await drain(t, tenant);
    expect(receiver.received.length).toBe(before);
  });
});

/** An account owing one unpaid invoice enters the overdue state of a one-state config: OVERDUE_CHANGE is pushed as Kill Bill's BeatrixListener converts it. */
describe('Push notifications: OVERDUE_CHANGE', () => {
  const ONE_UNPAID_INVOICE_IS_OVERDUE = `<overdueConfig><accountOverdueStates>
    <state name="OD1"><condition><numberOfUnpaidInvoicesEqualsOrExceeds>1</numberOfUnpaidInvoicesEqualsOrExceeds></condition>
      <externalMessage>Reached OD1</externalMessage><blockChanges>true</blockChanges></state>
  </accountOverdueStates></overdueConfig>`;
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: PushReceiver;

  beforeAll(async () => {
    t = await startTestApp();
    receiver = await startPushReceiver();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('sends OVERDUE_CHANGE for the account when an unpaid invoice puts it in OD1', async () => {
    await t.http.post('/1.0/kb/overdue/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(ONE_UNPAID_INVOICE_IS_OVERDUE).expect(201);
    await setClock(t, tenant, START);
    await register(t, tenant, receiver.url);
    // No payment method: the invoice stays unpaid.
    const accountId = await createAccount(t, tenant, { name: 'Overdue', currency: 'USD' });
    await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'sports-monthly' }).expect(201);
    await drain(t, tenant);
    await t.http.put('/1.0/kb/test/clock').query({ days: 30, timeoutSec: 10 }).set(tenant.headers).expect(200);
    await drain(t, tenant);

    expect((await t.http.get(`/1.0/kb/accounts/${accountId}/overdue`).set(tenant.headers).expect(200)).body).toMatchObject({ name: 'OD1', isBlockChanges: true });
    const overdueChanges = receiver.ofType('OVERDUE_CHANGE');
    expect(overdueChanges).toHaveLength(1);
    expect(overdueChanges[0].body).toEqual({ eventType: 'OVERDUE_CHANGE', accountId, objectType: 'ACCOUNT', objectId: accountId, metaData: null });
  });
});

describe('Push notifications: a failing receiver is retried on org.killbill.billing.server.notifications.retries, then given up', () => {
  let t: TestApp;
  let receiver: PushReceiver;

  beforeAll(async () => {
    t = await startTestApp();
    receiver = await startPushReceiver();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('retries a 500 after 15m, 30m, 2h, 12h and 1d of the test clock, and not after the last one', async () => {
    const tenant = await t.createTenant();
    receiver.status = () => 500;
    const T0 = Date.parse('2014-01-01T00:00:00.000Z');
    await setClock(t, tenant, new Date(T0).toISOString());
    await register(t, tenant, receiver.url);
    const accountId = await createAccount(t, tenant, { name: 'Retried', currency: 'USD' });
    await drain(t, tenant);
    const attempts = () => receiver.ofType('ACCOUNT_CREATION').filter((n) => n.body.objectId === accountId).length;
    expect(attempts()).toBe(1);

    let at = T0;
    const minutes = [15, 30, 120, 720, 1440];
    for (const [index, delay] of minutes.entries()) {
      // One minute short of the delay: not yet.
      await setClock(t, tenant, new Date(at + (delay - 1) * 60_000).toISOString());
      await drain(t, tenant);
      expect(attempts()).toBe(index + 1);
      // The retry is due `delay` after the failed POST (the clock runs on from the last move): a few seconds more.
      at += delay * 60_000 + 5_000;
      await setClock(t, tenant, new Date(at).toISOString());
      await drain(t, tenant);
      expect(attempts()).toBe(index + 2);
    }
    await setClock(t, tenant, new Date(at + 7 * 86_400_000).toISOString());
    await drain(t, tenant);
    expect(attempts()).toBe(6);
    const [pending] = await t.query<{ count: string }>(`SELECT count(*) FROM notifications WHERE queue_name = 'push-notification-queue'`);
    expect(Number(pending.count)).toBe(0);
  });

  it('stops retrying once the receiver answers 2xx', async () => {
    const tenant = await t.createTenant();
    let answers = 0;
    receiver.status = () => (++answers === 1 ? 503 : 204);
    const T0 = Date.parse('2015-01-01T00:00:00.000Z');
    await setClock(t, tenant, new Date(T0).toISOString());
    await register(t, tenant, receiver.url);
    await drain(t, tenant);
    answers = 0;
    const accountId = await createAccount(t, tenant, { name: 'Recovers', currency: 'USD' });
    await drain(t, tenant);
    await setClock(t, tenant, new Date(T0 + 15 * 60_000).toISOString());
    await drain(t, tenant);
    await setClock(t, tenant, new Date(T0 + 3 * 86_400_000).toISOString());
    await drain(t, tenant);
    expect(receiver.ofType('ACCOUNT_CREATION').filter((n) => n.body.objectId === accountId)).toHaveLength(2);
  });

  it('retries a refused connection the same way', async () => {
    const tenant = await t.createTenant();
    const closed = await startPushReceiver();
    await closed.close();
    const T0 = Date.parse('2016-01-01T00:00:00.000Z');
    await setClock(t, tenant, new Date(T0).toISOString());
    await register(t, tenant, closed.url);
    await createAccount(t, tenant, { name: 'Refused', currency: 'USD' });
    await drain(t, tenant);
    const rows = await t.query<{ event_json: string; effective_date: Date }>(
      `SELECT event_json, effective_date FROM notifications WHERE queue_name = 'push-notification-queue' AND event_json LIKE '%ACCOUNT_CREATION%' AND search_key2 = (SELECT record_id FROM tenants WHERE id = $1)`,
      [tenant.id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].event_json)).toMatchObject({ attemptNumber: 1, url: closed.url, eventType: 'ACCOUNT_CREATION' });
    expect(new Date(rows[0].effective_date).getTime()).toBeGreaterThanOrEqual(T0 + 15 * 60_000);
  });
});

describe('Push notifications: the outbox survives a restart and two nodes send each once', () => {
  it('delivers an event written by a node stopped before dispatching exactly once, from the two nodes started after it', async () => {
    const receiver = await startPushReceiver();
    const first = await startTestApp({}, { nodeName: 'node-first' });
    const tenant = await first.createTenant();
    await register(first, tenant, receiver.url);
    await drain(first, tenant);
    await first.app.get(QueueDispatcher).stop();
    const accountId = await createAccount(first, tenant, { name: 'Restarted', currency: 'USD' });
    await pause(200);
    expect(receiver.ofType('ACCOUNT_CREATION')).toHaveLength(0);

    const second = await startTestApp({}, { nodeName: 'node-second', sharedDatabaseOf: first });
    const third = await startTestApp({}, { nodeName: 'node-third', sharedDatabaseOf: first });
    try {
      await drain(second, tenant);
      await pause(200);
      expect(receiver.ofType('ACCOUNT_CREATION').map((n) => n.body.objectId)).toEqual([accountId]);
      const owners = await second.query<{ processing_owner: string }>(
        `SELECT processing_owner FROM notifications_history WHERE queue_name = 'push-notification-queue' AND event_json LIKE $1`,
        [`%${accountId}%`],
      );
      expect(owners).toHaveLength(1);
      expect(['node-second', 'node-third']).toContain(owners[0].processing_owner);
    } finally {
      await third.close();
      await second.close();
      await first.close();
      await receiver.close();
    }
  });
});

describe('Push notifications: the callbacks are cached per node, and a change reaches the other nodes by broadcast', () => {
  it('a node keeps the callbacks it read until the broadcast of a change, as Kill Bill’s TENANT_KV cache and TenantBroadcast', async () => {
    const receiver = await startPushReceiver();
    const writer = await startTestApp({}, { nodeName: 'node-writer' });
    // no timed poll on the reader: its broadcasts are read when the test says so
    const rates = { 'org.killbill.billing.util.broadcast.rate': '1h', 'org.killbill.tenant.broadcast.rate': '1h' };
    const reader = await startTestApp(rates, { nodeName: 'node-reader', sharedDatabaseOf: writer });
    try {
      await writer.app.get(QueueDispatcher).stop(); // every event is delivered by the reader
      const tenant = await writer.createTenant();
      const before = await createAccount(writer, tenant, { name: 'Before', currency: 'USD' });
      await drain(reader, tenant); // the reader has read (and cached) "no callback"
      await register(writer, tenant, receiver.url);
      const stale = await createAccount(writer, tenant, { name: 'Stale', currency: 'USD' });
      await drain(reader, tenant);
      await reader.app.get(Broadcasts).poll();
      const after = await createAccount(writer, tenant, { name: 'After', currency: 'USD' });
      await drain(reader, tenant);
      await pause(200);
      const pushed = receiver.ofType('ACCOUNT_CREATION').map((n) => n.body.objectId);
      expect(pushed).toEqual([after]);
      expect(pushed).not.toContain(before);
      expect(pushed).not.toContain(stale);
    } finally {
      await reader.close();
      await writer.close();
      await receiver.close();
    }
  });
});
