import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { type PushReceiver, startPushReceiver } from '../support/push-receiver';

interface Entry {
  recordId: number;
  className?: string;
  queueName?: string;
  searchKey1: number | null;
  searchKey2: number;
  event: Record<string, unknown>;
  effectiveDate?: string;
  createdDate: string;
  userToken: string | null;
}

/** GET /1.0/kb/admin/queues (Kill Bill's AdminResource.getQueueEntries). */
describe('GET /1.0/kb/admin/queues', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: PushReceiver;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    receiver = await startPushReceiver();
    tenant = await t.createTenant();
    await t.http.post('/1.0/kb/tenants/registerNotificationCallback').query({ cb: receiver.url }).set(tenant.headers).expect(201);
    accountId = await createAccount(t, tenant, { name: 'Queued', currency: 'USD' });
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('dumps the account’s bus events and notifications, the push notification deliveries among them', async () => {
    const response = await t.http.get('/1.0/kb/admin/queues').query({ accountId }).set(tenant.headers).expect(200);
    const { busEvents, notifications } = response.body as { busEvents: Entry[]; notifications: Entry[] };
    const creation = busEvents.find((entry) => entry.className === 'ACCOUNT_CREATION');
    expect(creation).toMatchObject({ recordId: expect.any(Number), searchKey1: expect.any(Number), searchKey2: expect.any(Number), event: { accountId } });
    const pushed = notifications.filter((entry) => entry.queueName === 'push-notification-queue');
    expect(pushed).toHaveLength(1);
    expect(pushed[0].event).toMatchObject({ eventType: 'ACCOUNT_CREATION', objectId: accountId, accountId, attemptNumber: 0, url: receiver.url });
    expect(pushed[0].effectiveDate).toEqual(expect.any(String));
  });

  it('lists the tenant’s entries without accountId, and honours withBusEvents, withHistory, queueName and serviceName', async () => {
    const all = (await t.http.get('/1.0/kb/admin/queues').set(tenant.headers).expect(200)).body as { busEvents: Entry[]; notifications: Entry[] };
    expect(all.busEvents.map((entry) => entry.className)).toEqual(expect.arrayContaining(['TENANT_CONFIG_CHANGE', 'ACCOUNT_CREATION']));
    expect(all.notifications.map((entry) => entry.event.eventType)).toEqual(expect.arrayContaining(['TENANT_CONFIG_CHANGE', 'ACCOUNT_CREATION']));

    const noBus = (await t.http.get('/1.0/kb/admin/queues').query({ withBusEvents: false }).set(tenant.headers).expect(200)).body as Record<string, unknown>;
    expect(Object.keys(noBus)).toEqual(['notifications']);
    const noHistory = (await t.http.get('/1.0/kb/admin/queues').query({ withHistory: false }).set(tenant.headers).expect(200)).body as { busEvents: Entry[]; notifications: Entry[] };
    expect(noHistory).toEqual({ busEvents: [], notifications: [] });
    const otherQueue = (await t.http.get('/1.0/kb/admin/queues').query({ queueName: 'payment-retry' }).set(tenant.headers).expect(200)).body as { notifications: Entry[] };
    expect(otherQueue.notifications).toEqual([]);
    const server = (await t.http.get('/1.0/kb/admin/queues').query({ serviceName: 'server-service', withBusEvents: false }).set(tenant.headers).expect(200)).body as { notifications: Entry[] };
    expect(server.notifications.length).toBe(all.notifications.filter((entry) => entry.queueName === 'push-notification-queue').length);
    const past = (await t.http.get('/1.0/kb/admin/queues').query({ minDate: '2100-01-01T00:00:00Z' }).set(tenant.headers).expect(200)).body as { busEvents: Entry[] };
    expect(past.busEvents).toEqual([]);
  });

  it('answers 400 for a malformed accountId or date, and 404 for an unknown account', async () => {
    await t.http.get('/1.0/kb/admin/queues').query({ accountId: 'not-a-uuid' }).set(tenant.headers).expect(400);
    await t.http.get('/1.0/kb/admin/queues').query({ minDate: 'yesterday' }).set(tenant.headers).expect(400);
    const unknown = await t.http.get('/1.0/kb/admin/queues').query({ accountId: '00000000-0000-0000-0000-00000000abcd' }).set(tenant.headers).expect(404);
    expect(unknown.body).toMatchObject({ code: 3002 });
  });
});
