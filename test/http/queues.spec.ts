import { Inject, Injectable } from '@nestjs/common';
import {
  defineBusEvent,
  defineQueue,
  newRequestContext,
  NODE_NAME,
  OnBusEvent,
  OnNotification,
  type QueueMessage,
  Queues,
  runWithContext,
  Transactions,
} from '@kb/platform';
import { startTestApp, type TestApp } from '../support/test-app';

const TestEvent = defineBusEvent<{ n: number }>('TEST_EVENT');
const IsolationEvent = defineBusEvent<{ n: number }>('ISOLATION_EVENT');
const GivingUpEvent = defineBusEvent<{ n: number }>('GIVING_UP_EVENT');
const OnlyOnBEvent = defineBusEvent<{ n: number }>('ONLY_ON_B_EVENT');
const RolledBackEvent = defineBusEvent<{ n: number }>('ROLLED_BACK_EVENT');
const SilentEvent = defineBusEvent<{ n: number }>('SILENT_EVENT');
const TwoNodes = defineQueue<{ i: number }>('two-nodes');
const Flaky = defineQueue<Record<string, never>>('flaky');
const OnlyOnB = defineQueue<{ i: number }>('only-on-b');
const Batch = defineQueue<{ i: number; fail: boolean }>('batch');

/** Calls of each handler across both nodes (one process runs both apps). */
const calls = new Map<string, number>();
const called = (name: string): number => {
  const count = (calls.get(name) ?? 0) + 1;
  calls.set(name, count);
  return count;
};

@Injectable()
class Recorder {
  constructor(
    private readonly transactions: Transactions,
    @Inject(NODE_NAME) readonly node: string,
  ) {}

  async write(recordId: number, kind: string): Promise<void> {
    await this.transactions
      .manager()
      .query(`INSERT INTO handled (queue_record_id, node, kind, txid) VALUES ($1, $2, $3, txid_current())`, [recordId, this.node, kind]);
  }
}

@Injectable()
class TestEventSubscribers {
  constructor(private readonly recorder: Recorder) {}

  @OnBusEvent(TestEvent)
  async first(message: QueueMessage<{ n: number }>): Promise<void> {
    called(`first:${message.payload.n}`);
    await this.recorder.write(message.recordId, 'bus');
  }

  @OnBusEvent(TestEvent)
  async second(message: QueueMessage<{ n: number }>): Promise<void> {
    called(`second:${message.payload.n}`);
  }
}

@Injectable()
class IsolationSubscribers {
  constructor(private readonly recorder: Recorder) {}

  @OnBusEvent(IsolationEvent)
  async steady(message: QueueMessage<{ n: number }>): Promise<void> {
    called('steady');
    await this.recorder.write(message.recordId, 'steady');
  }

  @OnBusEvent(IsolationEvent)
  async failsTwice(message: QueueMessage<{ n: number }>): Promise<void> {
    await this.recorder.write(message.recordId, 'fails-twice');
    if (called('fails-twice') <= 2) throw new Error('not yet');
  }

  @OnBusEvent(GivingUpEvent)
  async alwaysFails(message: QueueMessage<{ n: number }>): Promise<void> {
    called('always-fails');
    await this.recorder.write(message.recordId, 'always-fails');
    throw new Error('always fails');
  }

  @OnBusEvent(GivingUpEvent)
  async succeeds(message: QueueMessage<{ n: number }>): Promise<void> {
    called('succeeds');
    await this.recorder.write(message.recordId, 'succeeds');
  }
}

/** Visibility of a handler's write, read from another connection once its after-transaction work runs. */
const seenAfterTransaction: Promise<number>[] = [];

@Injectable()
class SilentSubscribers {
  constructor(
    private readonly recorder: Recorder,
    private readonly transactions: Transactions,
  ) {}

  @OnBusEvent(SilentEvent)
  async writes(message: QueueMessage<{ n: number }>): Promise<void> {
    await this.recorder.write(message.recordId, 'silent-writer');
    const dataSource = this.transactions.manager().connection;
    this.transactions.afterTransaction(() => {
      seenAfterTransaction.push(
        dataSource.query(`SELECT count(*)::int AS n FROM handled WHERE kind = 'silent-writer'`).then((rows: { n: number }[]) => rows[0].n),
      );
    });
  }

  /** Sends no statement, and fails the first time. */
  @OnBusEvent(SilentEvent)
  async failsOnceWithoutStatement(): Promise<void> {
    if (called('fails-once-silently') === 1) throw new Error('not yet');
  }

  @OnBusEvent(SilentEvent)
  async writesToo(message: QueueMessage<{ n: number }>): Promise<void> {
    await this.recorder.write(message.recordId, 'silent-writer-too');
  }
}

@Injectable()
class NotificationHandlers {
  constructor(private readonly recorder: Recorder) {}

  @OnNotification(TwoNodes)
  async twoNodes(message: QueueMessage<{ i: number }>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    await this.recorder.write(message.recordId, 'notification');
  }

  @OnNotification(Flaky)
  async flaky(message: QueueMessage<Record<string, never>>): Promise<void> {
    called('flaky');
    await this.recorder.write(message.recordId, 'flaky');
    throw new Error('always fails');
  }
}

/** Registered on node B only. */
@Injectable()
class NodeBOnlyHandlers {
  constructor(private readonly recorder: Recorder) {}

  @OnNotification(OnlyOnB)
  async onlyOnB(message: QueueMessage<{ i: number }>): Promise<void> {
    await this.recorder.write(message.recordId, 'only-on-b');
  }

  @OnBusEvent(OnlyOnBEvent)
  async onlyOnBEvent(message: QueueMessage<{ n: number }>): Promise<void> {
    await this.recorder.write(message.recordId, 'only-on-b-event');
  }
}

/** Registered on node C only, which claims 5 notifications at a time. */
@Injectable()
class BatchHandler {
  constructor(private readonly recorder: Recorder) {}

  @OnNotification(Batch)
  async handle(message: QueueMessage<{ i: number; fail: boolean }>): Promise<void> {
    await this.recorder.write(message.recordId, message.payload.fail ? 'batch-failing' : 'batch');
    if (message.payload.fail) throw new Error('this one fails');
  }
}

/** Never called: the compiler proves a handle only accepts its own payload type. */
export async function payloadsAreTyped(queues: Queues): Promise<void> {
  // @ts-expect-error TEST_EVENT carries { n: number }
  await queues.post(TestEvent, { i: 1 });
  // @ts-expect-error the batch queue needs its `fail` flag
  await queues.schedule(Batch, new Date(), { i: 1 });
}

/** The persistent bus and notification queue, across server processes on one database. */
describe('Bus and notification queue', () => {
  let nodeA: TestApp;
  let nodeB: TestApp;
  let nodeC: TestApp;
  let tenantRecordId: number;
  const common = [Recorder, TestEventSubscribers, IsolationSubscribers, SilentSubscribers, NotificationHandlers];

  beforeAll(async () => {
    nodeA = await startTestApp({}, { nodeName: 'node-a', providers: common });
    nodeB = await startTestApp({}, { nodeName: 'node-b', sharedDatabaseOf: nodeA, providers: [...common, NodeBOnlyHandlers] });
    nodeC = await startTestApp(
      { 'org.killbill.notificationq.main.claimed': '5' },
      { nodeName: 'node-c', sharedDatabaseOf: nodeA, providers: [Recorder, BatchHandler] },
    );
    const tenant = await nodeA.createTenant();
    tenantRecordId = Number((await nodeA.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    await nodeA.query(`CREATE TABLE handled (queue_record_id bigint NOT NULL, node varchar(20) NOT NULL, kind varchar(20) NOT NULL, txid bigint NOT NULL)`);
  });
  afterAll(async () => {
    await nodeC.close();
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

  const eventDone = (type: string) => async () => (await nodeA.query(`SELECT 1 FROM bus_events_history WHERE class_name = $1`, [type])).length === 1;
  const deliveriesOf = (type: string) =>
    nodeA.query(`SELECT subscriber, processing_state, error_count FROM bus_deliveries_history WHERE class_name = $1 ORDER BY subscriber`, [type]);
  const handledKinds = async (kind: string) => nodeA.query<{ node: string }>(`SELECT node FROM handled WHERE kind = $1`, [kind]);

  it('delivers a bus event to every @OnBusEvent subscriber once, in the transaction that completes it', async () => {
    await inTenant(nodeA, () => nodeA.app.get(Queues).post(TestEvent, { n: 1 }));
    await until(eventDone('TEST_EVENT'));
    expect([calls.get('first:1'), calls.get('second:1')]).toEqual([1, 1]);
    expect(await handledKinds('bus')).toHaveLength(1);
    const deliveries = await deliveriesOf('TEST_EVENT');
    expect(deliveries).toEqual([
      { subscriber: 'TestEventSubscribers.first', processing_state: 'PROCESSED', error_count: 0 },
      { subscriber: 'TestEventSubscribers.second', processing_state: 'PROCESSED', error_count: 0 },
    ]);
    expect(await nodeA.query(`SELECT processing_state FROM bus_events_history WHERE class_name = 'TEST_EVENT'`)).toEqual([{ processing_state: 'PROCESSED' }]);
  });

  it('completes batches of deliveries together: 25 events of two subscribers each, every delivery once, every event and delivery in history', async () => {
    await inTenant(nodeA, async () => {
      for (let n = 100; n < 125; n++) await nodeA.app.get(Queues).post(TestEvent, { n });
    });
    await until(
      async () =>
        Number(
          (await nodeA.query(`SELECT count(*) AS n FROM bus_events_history WHERE class_name = 'TEST_EVENT' AND (event_json::json ->> 'n')::int >= 100`))[0].n,
        ) === 25,
    );
    for (let n = 100; n < 125; n++) expect([calls.get(`first:${n}`), calls.get(`second:${n}`)]).toEqual([1, 1]);
    expect(await nodeA.query(`SELECT count(*)::int AS n FROM bus_deliveries WHERE class_name = 'TEST_EVENT'`)).toEqual([{ n: 0 }]);
    expect(await nodeA.query(`SELECT count(*)::int AS n FROM bus_events WHERE class_name = 'TEST_EVENT'`)).toEqual([{ n: 0 }]);
    const deliveries = await nodeA.query<{ processing_state: string; processing_owner: string; processing_available_date: Date | null }>(
      `SELECT processing_state, processing_owner, processing_available_date FROM bus_deliveries_history
        WHERE bus_event_record_id IN (SELECT record_id FROM bus_events_history WHERE class_name = 'TEST_EVENT' AND (event_json::json ->> 'n')::int >= 100)`,
    );
    expect(deliveries).toHaveLength(50);
    for (const delivery of deliveries) {
      expect(delivery.processing_state).toBe('PROCESSED');
      expect(['node-a', 'node-b']).toContain(delivery.processing_owner);
      expect(delivery.processing_available_date).toBeInstanceOf(Date);
    }
    expect(await nodeA.query(`SELECT DISTINCT processing_state FROM bus_events_history WHERE class_name = 'TEST_EVENT'`)).toEqual([
      { processing_state: 'PROCESSED' },
    ]);
  });

  it('retries a failing subscriber alone: the other ran once, the failing one 3 times, each write committed once', async () => {
    await inTenant(nodeA, () => nodeA.app.get(Queues).post(IsolationEvent, { n: 1 }));
    await until(eventDone('ISOLATION_EVENT'));
    expect([calls.get('steady'), calls.get('fails-twice')]).toEqual([1, 3]);
    expect(await handledKinds('steady')).toHaveLength(1);
    expect(await handledKinds('fails-twice')).toHaveLength(1);
    expect(await deliveriesOf('ISOLATION_EVENT')).toEqual([
      { subscriber: 'IsolationSubscribers.failsTwice', processing_state: 'PROCESSED', error_count: 2 },
      { subscriber: 'IsolationSubscribers.steady', processing_state: 'PROCESSED', error_count: 0 },
    ]);
  });

  it('a subscriber that fails before sending a statement undoes no other subscriber’s writes; after-transaction work waits for the commit', async () => {
    await inTenant(nodeA, () => nodeA.app.get(Queues).post(SilentEvent, { n: 1 }));
    await until(eventDone('SILENT_EVENT'));
    expect(calls.get('fails-once-silently')).toBe(2);
    expect(await handledKinds('silent-writer')).toHaveLength(1);
    expect(await handledKinds('silent-writer-too')).toHaveLength(1);
    expect(await Promise.all(seenAfterTransaction)).toEqual([1]);
    expect(await deliveriesOf('SILENT_EVENT')).toEqual([
      { subscriber: 'SilentSubscribers.failsOnceWithoutStatement', processing_state: 'PROCESSED', error_count: 1 },
      { subscriber: 'SilentSubscribers.writes', processing_state: 'PROCESSED', error_count: 0 },
      { subscriber: 'SilentSubscribers.writesToo', processing_state: 'PROCESSED', error_count: 0 },
    ]);
  });

  it('keeps a subscriber that keeps failing as FAILED after max.failure.retry, and the event as FAILED', async () => {
    await inTenant(nodeA, () => nodeA.app.get(Queues).post(GivingUpEvent, { n: 1 }));
    await until(eventDone('GIVING_UP_EVENT'));
    expect([calls.get('always-fails'), calls.get('succeeds')]).toEqual([3, 1]);
    expect(await handledKinds('always-fails')).toEqual([]);
    expect(await handledKinds('succeeds')).toHaveLength(1);
    expect(await deliveriesOf('GIVING_UP_EVENT')).toEqual([
      { subscriber: 'IsolationSubscribers.alwaysFails', processing_state: 'FAILED', error_count: 3 },
      { subscriber: 'IsolationSubscribers.succeeds', processing_state: 'PROCESSED', error_count: 0 },
    ]);
    expect(await nodeA.query(`SELECT processing_state FROM bus_events_history WHERE class_name = 'GIVING_UP_EVENT'`)).toEqual([{ processing_state: 'FAILED' }]);
  });

  it('completes an event nobody subscribes to when it is posted', async () => {
    const NobodyListens = defineBusEvent<{ n: number }>('NOBODY_LISTENS');
    await inTenant(nodeA, () => nodeA.app.get(Queues).post(NobodyListens, { n: 1 }));
    expect(await nodeA.query(`SELECT processing_state FROM bus_events_history WHERE class_name = 'NOBODY_LISTENS'`)).toEqual([
      { processing_state: 'PROCESSED' },
    ]);
    expect(await nodeA.query(`SELECT 1 FROM bus_events WHERE class_name = 'NOBODY_LISTENS'`)).toEqual([]);
  });

  it('posts nothing when the change that posted rolls back (outbox)', async () => {
    await expect(
      inTenant(nodeA, async () => {
        await nodeA.app.get(Queues).post(RolledBackEvent, { n: 2 });
        throw new Error('the change fails after posting');
      }),
    ).rejects.toThrow('the change fails after posting');
    const rows = await nodeA.query(
      `SELECT 1 FROM bus_events WHERE class_name = 'ROLLED_BACK_EVENT' UNION ALL SELECT 1 FROM bus_events_history WHERE class_name = 'ROLLED_BACK_EVENT'`,
    );
    expect(rows).toEqual([]);
  });

  it('refuses to post outside a transaction', async () => {
    await expect(
      runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId } }), () => nodeA.app.get(Queues).post(TestEvent, { n: 3 })),
    ).rejects.toThrow(/outside a transaction/);
  });

  it('refuses a second handler of a notification queue', () => {
    expect(() => nodeA.app.get(Queues).handleQueue(TwoNodes, async () => undefined)).toThrow(/already has a handler/);
  });

  it('two nodes never handle the same notification twice', async () => {
    const count = 300;
    const due = new Date(Date.now() - 1000);
    await inTenant(nodeA, async () => {
      for (let i = 0; i < count; i++) await nodeA.app.get(Queues).schedule(TwoNodes, due, { i });
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

  it('a node claims only the queues and bus events it handles, leaving the others to a node that does', async () => {
    const due = new Date(Date.now() - 1000);
    await inTenant(nodeA, async () => {
      for (let i = 0; i < 20; i++) await nodeA.app.get(Queues).schedule(OnlyOnB, due, { i });
      await nodeA.app.get(Queues).post(OnlyOnBEvent, { n: 1 });
    });
    await until(async () => (await handledKinds('only-on-b')).length === 20 && (await handledKinds('only-on-b-event')).length === 1);
    await until(eventDone('ONLY_ON_B_EVENT'));
    expect(new Set((await handledKinds('only-on-b')).map((row) => row.node))).toEqual(new Set(['node-b']));
    expect(await handledKinds('only-on-b-event')).toEqual([{ node: 'node-b' }]);
    const owners = await nodeA.query(
      `SELECT DISTINCT processing_state, processing_owner, error_count FROM notifications_history WHERE queue_name = 'only-on-b'`,
    );
    expect(owners).toEqual([{ processing_state: 'PROCESSED', processing_owner: 'node-b', error_count: 0 }]);
  });

  it('claims up to *.claimed rows at a time, each in its own savepoint', async () => {
    const due = new Date(Date.now() - 1000);
    await inTenant(nodeA, async () => {
      for (let i = 0; i < 12; i++) await nodeA.app.get(Queues).schedule(Batch, due, { i, fail: i === 2 });
    });
    await until(async () => (await nodeA.query(`SELECT 1 FROM notifications_history WHERE queue_name = 'batch'`)).length === 12);
    const batches = await nodeA.query<{ rows: string }>(
      `SELECT count(*) AS rows FROM handled WHERE kind = 'batch' GROUP BY txid ORDER BY min(queue_record_id)`,
    );
    // The first claim takes rows 0-4: the failing row's 4 batch-mates commit together; no claim exceeds 5
    // (later claims may hold the failing row's retries, so their split depends on timing).
    const sizes = batches.map((batch) => Number(batch.rows));
    expect(sizes[0]).toBe(4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(11);
    expect(await handledKinds('batch-failing')).toEqual([]);
    expect(
      await nodeA.query(`SELECT processing_state, error_count FROM notifications_history WHERE queue_name = 'batch' AND processing_state = 'FAILED'`),
    ).toEqual([{ processing_state: 'FAILED', error_count: 3 }]);
  });

  it('scheduleMany writes the rows schedule writes, one per notification, in the order given', async () => {
    const Later = defineQueue<{ i: number }>('later');
    const future = (days: number) => new Date(Date.now() + days * 86_400_000);
    await inTenant(nodeA, async () => {
      await nodeA.app.get(Queues).schedule(Later, future(3), { i: 0 }, { accountRecordId: 42 });
      await nodeA.app.get(Queues).scheduleMany(
        Later,
        [
          { effectiveDate: future(2), payload: { i: 1 } },
          { effectiveDate: future(1), payload: { i: 2 } },
        ],
        { accountRecordId: 42 },
      );
      await nodeA.app.get(Queues).scheduleMany(Later, [], { accountRecordId: 42 });
    });
    const rows = await nodeA.query<Record<string, unknown>>(`SELECT * FROM notifications WHERE queue_name = 'later' ORDER BY record_id`);
    expect(rows.map((row) => [JSON.parse(String(row.event_json)), (row.effective_date as Date).getTime()])).toEqual([
      [{ i: 0 }, expect.any(Number)],
      [{ i: 1 }, expect.any(Number)],
      [{ i: 2 }, expect.any(Number)],
    ]);
    expect((rows[1].effective_date as Date).getTime()).toBeGreaterThan((rows[2].effective_date as Date).getTime());
    const shape = (row: Record<string, unknown>) => {
      const {
        record_id: _recordId,
        event_json: _json,
        effective_date: _date,
        user_token: _token,
        future_user_token: _future,
        created_date: _created,
        ...rest
      } = row;
      return rest;
    };
    expect(shape(rows[1])).toEqual(shape(rows[0]));
    expect(shape(rows[2])).toEqual(shape(rows[0]));
    expect(shape(rows[0])).toMatchObject({
      class_name: 'later',
      processing_state: 'AVAILABLE',
      search_key1: '42',
      search_key2: String(tenantRecordId),
      creating_owner: 'node-a',
    });
    expect(rows[1].user_token).toBe(rows[2].user_token);
    expect(rows[1].future_user_token).toBe(rows[1].user_token);
    await nodeA.query(`DELETE FROM notifications WHERE queue_name = 'later'`);
  });

  it('retries a failing handler and keeps it as FAILED after the configured attempts, rolling back its writes', async () => {
    await inTenant(nodeA, () => nodeA.app.get(Queues).schedule(Flaky, new Date(Date.now() - 1000), {}));
    await until(async () => (await nodeA.query(`SELECT 1 FROM notifications_history WHERE queue_name = 'flaky'`)).length === 1);
    expect(calls.get('flaky')).toBe(3);
    expect(await nodeA.query(`SELECT processing_state, error_count FROM notifications_history WHERE queue_name = 'flaky'`)).toEqual([
      { processing_state: 'FAILED', error_count: 3 },
    ]);
    expect(await handledKinds('flaky')).toEqual([]);
  });
});
