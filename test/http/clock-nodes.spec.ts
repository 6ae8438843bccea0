import { createServer } from 'node:net';
import request from 'supertest';
import { Clock, newRequestContext, Queues, runWithContext, Transactions } from '@kb/platform';
import { ClockProbe, ClockProbeHandler } from '../support/clock-probe';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The test clock is stored in the database: every node sharing it tells the same time, a node
 * started later picks it up, and what becomes due is processed once, by any node.
 */
describe('One test clock for every node', () => {
  let nodeA: TestApp;
  let nodeB: ServerProcess;
  let tenant: TestTenant;
  let tenantRecordId: number;

  const clockOf = async (agent: ReturnType<typeof request>): Promise<string> =>
    (await agent.get('/1.0/kb/test/clock').set(tenant.headers).expect(200)).body.currentUtcTime as string;

  beforeAll(async () => {
    nodeA = await startTestApp({}, { nodeName: 'node-a', providers: [ClockProbeHandler] });
    nodeB = await startServerProcess(nodeA.databaseUrl, await freePort(), 'node-b');
    tenant = await nodeA.createTenant();
    tenantRecordId = Number((await nodeA.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]))[0].record_id);
  }, 90_000);
  afterAll(async () => {
    await nodeB?.stop();
    await nodeA?.close();
  });

  const schedule = (count: number, effectiveDate: Date) =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), () =>
      nodeA.app.get(Transactions).run(async () => {
        for (let i = 0; i < count; i++) await nodeA.app.get(Queues).schedule(ClockProbe, effectiveDate, { label: `n${i}` });
      }),
    );

  it('a clock set through one node is the time of the other', async () => {
    await nodeA.http.post('/1.0/kb/test/clock').query({ requestedDate: '2029-12-31T10:00:00.000Z' }).set(tenant.headers).expect(200);
    expect(Date.parse(await clockOf(request(nodeB.url))) - Date.parse('2029-12-31T10:00:00.000Z')).toBeLessThan(5_000);
    await request(nodeB.url).put('/1.0/kb/test/clock').query({ days: 1 }).set(tenant.headers).expect(200);
    expect(Date.parse(await clockOf(nodeA.http)) - Date.parse('2030-01-01T10:00:00.000Z')).toBeLessThan(5_000);
  });

  it('processes each notification that becomes due exactly once, by either node, before the move answers', async () => {
    await nodeA.http.post('/1.0/kb/test/clock').query({ requestedDate: '2031-01-01T00:00:00.000Z' }).set(tenant.headers).expect(200);
    await schedule(60, new Date('2031-01-05T00:00:00.000Z'));
    // moved through node B: PUT waits until every node has processed what became due
    await request(nodeB.url).put('/1.0/kb/test/clock').query({ days: 5 }).set(tenant.headers).expect(200);
    const processed = await nodeA.query<{ owner: string; n: string }>(
      `SELECT processing_owner AS owner, count(*) AS n FROM notifications_history WHERE queue_name = 'clock-probe' AND processing_state = 'PROCESSED' GROUP BY 1`,
    );
    expect(processed.reduce((sum, row) => sum + Number(row.n), 0)).toBe(60);
    expect(processed.every((row) => ['node-a', 'node-b'].includes(row.owner))).toBe(true);
    expect(await nodeA.query(`SELECT 1 FROM notifications WHERE queue_name = 'clock-probe'`)).toEqual([]);
    // no notification was handled twice: one history row per queued row
    expect(await nodeA.query(`SELECT record_id FROM notifications_history WHERE queue_name = 'clock-probe' GROUP BY record_id HAVING count(*) > 1`)).toEqual([]);
  });

  it('a node started later reads the moved clock', async () => {
    await nodeA.http.post('/1.0/kb/test/clock').query({ requestedDate: '2033-03-03T03:03:03.000Z' }).set(tenant.headers).expect(200);
    const nodeC = await startTestApp({}, { nodeName: 'node-c', sharedDatabaseOf: nodeA });
    try {
      expect(Math.abs(nodeC.app.get(Clock).now().getTime() - Date.parse('2033-03-03T03:03:03.000Z'))).toBeLessThan(5_000);
    } finally {
      await nodeC.close();
    }
  });

  it('resetting through one node brings every node back to real time', async () => {
    await request(nodeB.url).post('/1.0/kb/test/clock').set(tenant.headers).expect(200);
    expect(Math.abs(Date.parse(await clockOf(nodeA.http)) - Date.now())).toBeLessThan(5_000);
    expect(Math.abs(Date.parse(await clockOf(request(nodeB.url))) - Date.now())).toBeLessThan(5_000);
  });
});
