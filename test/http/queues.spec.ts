import { newRequestContext, Queues, runWithContext, Transactions } from '@kb/platform';
import { startTestApp, type TestApp } from '../support/test-app';

/** The persistent bus and notification queue, across two server processes on one database. */
describe('Bus and notification queue', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let tenantRecordId: number;

  beforeAll(async () => {
    nodeA = await startTestApp({}, { nodeName: 'node-a' });
    nodeB = await startTestApp({}, { nodeName: 'node-b', sharedDatabaseOf: nodeA });
    const tenant = await nodeA.createTenant();
    tenantRecordId = Number((await nodeA.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    await nodeA.query(`CREATE TABLE handled (queue_record_id bigint NOT NULL, node varchar(20) NOT NULL, kind varchar(20) NOT NULL)`);
  });
  afterAll(async () => {
    await nodeB.close();
    await nodeA.close();
  });

  const inTenant = <T>(app: TestApp, work: () => Promise<T>) =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), () => app.app.get(Transactions).run(work));

  async function until(condition: () => Promise<boolean>, timeoutMillis = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not reached in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('delivers a bus event to every subscriber once, in the transaction that completes it', async () => {
    const seen: string[] = [];
    for (const app of [nodeA, nodeB]) {
      app.app.get(Queues).subscribe<{ n: number }>('TEST_EVENT', async (message) => {
        seen.push(`first:${message.payload.n}`);
        await app.app.get(Transactions).manager().query(`INSERT INTO handled VALUES ($1, 'x', 'bus')`, [message.recordId]);
      });
      app.app.get(Queues).subscribe<{ n: number }>('TEST_EVENT', async (message) => {
        seen.push(`second:${message.payload.n}`);
      });
    }
    await inTenant(nodeA, () => nodeA.app.get(Queues).post('TEST_EVENT', { n: 1 }));
    await until(async () => (await nodeA.query(`SELECT 1 FROM bus_events_history WHERE class_name = 'TEST_EVENT'`)).length === 1);
    expect(seen.sort()).toEqual(['first:1', 'second:1']);
    expect(await nodeA.query(`SELECT kind FROM handled WHERE kind = 'bus'`)).toEqual([{ kind: 'bus' }]);
  });

  it('posts nothing when the change that posted rolls back (outbox)', async () => {
    await expect(
      inTenant(nodeA, async () => {
        await nodeA.app.get(Queues).post('ROLLED_BACK_EVENT', { n: 2 });
        throw new Error('the change fails after posting');
      }),
    ).rejects.toThrow('the change fails after posting');
    const rows = await nodeA.query(
      `SELECT 1 FROM bus_events WHERE class_name = 'ROLLED_BACK_EVENT' UNION ALL SELECT 1 FROM bus_events_history WHERE class_name = 'ROLLED_BACK_EVENT'`,
    );
    expect(rows).toEqual([]);
  });

  it('refuses to post outside a transaction', async () => {
    await expect(runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId } }), () => nodeA.app.get(Queues).post('X', {}))).rejects.toThrow(
      /outside a transaction/,
    );
  });

  it('two nodes never handle the same notification twice', async () => {
    const count = 300;
    for (const app of [nodeA, nodeB]) {
      const node = app === nodeA ? 'node-a' : 'node-b';
      app.app.get(Queues).handleQueue('two-nodes', async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await app.app.get(Transactions).manager().query(`INSERT INTO handled VALUES ($1, $2, 'notification')`, [message.recordId, node]);
      });
    }
    const due = new Date(Date.now() - 1000);
    await inTenant(nodeA, async () => {
      for (let i = 0; i < count; i++) await nodeA.app.get(Queues).schedule('two-nodes', due, { i });
    });
    await until(async () => Number((await nodeA.query<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE queue_name = 'two-nodes'`))[0].n) === 0);
    const handled = await nodeA.query<{ total: string; distinct_rows: string; nodes: string }>(
      `SELECT count(*) AS total, count(DISTINCT queue_record_id) AS distinct_rows, count(DISTINCT node) AS nodes FROM handled WHERE kind = 'notification'`,
    );
    expect(handled[0]).toEqual({ total: String(count), distinct_rows: String(count), nodes: '2' });
    const history = await nodeA.query<{ n: string }>(
      `SELECT count(*) AS n FROM notifications_history WHERE queue_name = 'two-nodes' AND processing_state = 'PROCESSED'`,
    );
    expect(history[0].n).toBe(String(count));
  });

  it('retries a failing handler and keeps it as FAILED after the configured attempts, rolling back its writes', async () => {
    let attempts = 0;
    nodeA.app.get(Queues).handleQueue('flaky', async (message) => {
      attempts++;
      await nodeA.app.get(Transactions).manager().query(`INSERT INTO handled VALUES ($1, 'flaky', 'flaky')`, [message.recordId]);
      throw new Error('always fails');
    });
    nodeB.app.get(Queues).handleQueue('flaky', async () => {
      attempts++;
      throw new Error('always fails');
    });
    await inTenant(nodeA, () => nodeA.app.get(Queues).schedule('flaky', new Date(Date.now() - 1000), {}));
    await until(async () => (await nodeA.query(`SELECT 1 FROM notifications_history WHERE queue_name = 'flaky'`)).length === 1);
    expect(attempts).toBe(3);
    expect(await nodeA.query(`SELECT processing_state, error_count FROM notifications_history WHERE queue_name = 'flaky'`)).toEqual([
      { processing_state: 'FAILED', error_count: 3 },
    ]);
    expect(await nodeA.query(`SELECT 1 FROM handled WHERE kind = 'flaky'`)).toEqual([]);
  });
});
