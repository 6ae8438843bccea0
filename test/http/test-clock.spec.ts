import { Injectable } from '@nestjs/common';
import { defineQueue, newRequestContext, OnNotification, type QueueMessage, Queues, runWithContext, Transactions } from '@kb/platform';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const TestClockQueue = defineQueue<{ key: string }>('test-clock-queue');
const AlwaysFailing = defineQueue<{ key: string }>('always-failing');
const fired: { key: string; at: string }[] = [];

@Injectable()
class TestClockHandlers {
  @OnNotification(TestClockQueue)
  async fire(message: QueueMessage<{ key: string }>): Promise<void> {
    fired.push({ key: message.payload.key, at: message.effectiveDate.toISOString() });
  }

  @OnNotification(AlwaysFailing)
  async fail(): Promise<void> {
    throw new Error('this handler always fails');
  }
}

describe('Test clock (test mode)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp({}, { providers: [TestClockHandlers] });
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const tenantRecordId = async () => Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);

  async function schedule(queue: typeof TestClockQueue, effectiveDate: string, key: string): Promise<void> {
    const recordId = await tenantRecordId();
    await runWithContext(newRequestContext({ tenant: { recordId } }), () =>
      t.app.get(Transactions).run(() => t.app.get(Queues).schedule(queue, new Date(effectiveDate), { key })),
    );
  }

  it('sets the clock to a date-time and reports it in UTC and in a time zone', async () => {
    const response = await t.http
      .post('/1.0/kb/test/clock')
      .query({ requestedDate: '2013-08-01T06:00:00.000Z', timeZone: 'Asia/Tokyo' })
      .set(tenant.headers)
      .expect(200);
    expect(response.body.currentUtcTime).toMatch(/^2013-08-01T06:00:0/);
    expect(response.body).toMatchObject({ timeZone: 'Asia/Tokyo', localDate: '2013-08-01' });
    const samoa = await t.http.get('/1.0/kb/test/clock').query({ timeZone: 'Pacific/Samoa' }).set(tenant.headers).expect(200);
    expect(samoa.body.localDate).toBe('2013-07-31');
  });

  it('accepts a plain date (midnight UTC)', async () => {
    const response = await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2012-01-31' }).set(tenant.headers).expect(200);
    expect(response.body.currentUtcTime).toMatch(/^2012-01-31T00:00:0/);
  });

  it('moves by months with end-of-month clamping, and by days, weeks and years', async () => {
    const months = await t.http.put('/1.0/kb/test/clock').query({ months: 1 }).set(tenant.headers).expect(200);
    expect(months.body.localDate).toBe('2012-02-29');
    expect((await t.http.put('/1.0/kb/test/clock').query({ days: 1 }).set(tenant.headers).expect(200)).body.localDate).toBe('2012-03-01');
    expect((await t.http.put('/1.0/kb/test/clock').query({ weeks: 2 }).set(tenant.headers).expect(200)).body.localDate).toBe('2012-03-15');
    expect((await t.http.put('/1.0/kb/test/clock').query({ years: 1 }).set(tenant.headers).expect(200)).body.localDate).toBe('2013-03-15');
    // Only the first unit, in the order days, weeks, months, years, is used.
    expect((await t.http.put('/1.0/kb/test/clock').query({ years: 5, days: 2 }).set(tenant.headers).expect(200)).body.localDate).toBe('2013-03-17');
  });

  it('refuses an invalid time zone, date or amount with 400', async () => {
    await t.http.get('/1.0/kb/test/clock').query({ timeZone: 'Mars/Olympus' }).set(tenant.headers).expect(400);
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: 'yesterday' }).set(tenant.headers).expect(400);
    await t.http.put('/1.0/kb/test/clock').query({ days: 'two' }).set(tenant.headers).expect(400);
    await t.http.put('/1.0/kb/test/clock').set(tenant.headers).expect(400);
  });

  it('never holds an invalid instant: impossible dates and moves out of range are 400s, and the clock keeps working', async () => {
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2020-01-01T00:00:00.000Z' }).set(tenant.headers).expect(200);
    for (const requestedDate of ['2020-13-45', '275760-09-13', '2021-02-30T00:00:00Z']) {
      await t.http.post('/1.0/kb/test/clock').query({ requestedDate }).set(tenant.headers).expect(400);
    }
    for (const move of [{ years: 100000 }, { days: 999999999 }, { years: -3000 }]) {
      await t.http.put('/1.0/kb/test/clock').query(move).set(tenant.headers).expect(400);
    }
    const after = await t.http.get('/1.0/kb/test/clock').set(tenant.headers).expect(200);
    expect(after.body.localDate).toBe('2020-01-01');
    // writes and a reset still work
    await t.http.post('/1.0/kb/accounts').set(tenant.headers).send({ name: 'after', currency: 'USD' }).expect(201);
    await t.http.post('/1.0/kb/test/clock').set(tenant.headers).expect(200);
  });

  it('needs the tenant headers', async () => {
    await t.http.get('/1.0/kb/test/clock').set(t.adminHeaders).expect(401);
  });

  it('fires every notification that comes due, in chronological order, before answering', async () => {
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2013-08-01T06:00:00.000Z' }).set(tenant.headers).expect(200);
    await schedule(TestClockQueue, '2013-09-01T06:00:00.000Z', 'september');
    await schedule(TestClockQueue, '2013-08-15T06:00:00.000Z', 'mid-august');
    await schedule(TestClockQueue, '2014-01-01T00:00:00.000Z', 'next-year');
    await t.http.put('/1.0/kb/test/clock').query({ days: 10 }).set(tenant.headers).expect(200);
    expect(fired).toEqual([]);
    await t.http.put('/1.0/kb/test/clock').query({ months: 1, timeoutSec: 10 }).set(tenant.headers).expect(200);
    expect(fired.map((f) => f.key)).toEqual(['mid-august', 'september']);
    const history = await t.query<{ processing_state: string }>(`SELECT processing_state FROM notifications_history WHERE queue_name = 'test-clock-queue'`);
    expect(history).toEqual([{ processing_state: 'PROCESSED' }, { processing_state: 'PROCESSED' }]);
  });

  it('GET /test/queues answers 200 when drained and 412 while work remains', async () => {
    await t.http.get('/1.0/kb/test/queues').set(tenant.headers).expect(200);
    const now = (await t.http.get('/1.0/kb/test/clock').set(tenant.headers).expect(200)).body.currentUtcTime as string;
    await schedule(AlwaysFailing, now, 'boom');
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 0 }).set(tenant.headers).expect(412);
    // Three failed attempts later the entry is kept as FAILED in history and the queue drains.
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 15 }).set(tenant.headers).expect(200);
    const failed = await t.query<{ processing_state: string; error_count: number }>(
      `SELECT processing_state, error_count FROM notifications_history WHERE queue_name = 'always-failing'`,
    );
    expect(failed).toEqual([{ processing_state: 'FAILED', error_count: 3 }]);
  });

  it('resets to real time without requestedDate', async () => {
    const response = await t.http.post('/1.0/kb/test/clock').set(tenant.headers).expect(200);
    expect(Math.abs(new Date(response.body.currentUtcTime).getTime() - Date.now())).toBeLessThan(60_000);
  });
});

describe('Test clock outside test mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ 'org.killbill.server.test.mode': 'false' });
  });
  afterAll(() => t.close());

  it('is not mounted', async () => {
    const tenant = await t.createTenant();
    await t.http.get('/1.0/kb/test/clock').set(tenant.headers).expect(404);
  });
});
