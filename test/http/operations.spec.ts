import { Controller, Get, HttpCode, Logger, Module } from '@nestjs/common';
import { Writable } from 'node:stream';
import {
  createRootLogger,
  defineQueue,
  InFlightRequests,
  KillBillException,
  Locks,
  newRequestContext,
  Public,
  Queues,
  runWithContext,
  Transactions,
} from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

type LogLine = Record<string, unknown> & { msg?: string; requestId?: string; context?: string };

/** Collects the JSON lines a logger writes. */
function logCapture() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { lines, stream };
}

@Controller('log-probe')
class LogProbeController {
  @Get()
  @Public()
  @HttpCode(204)
  probe(): void {
    new Logger('LogProbe').log('inside the request');
  }

  @Get('fail')
  @Public()
  fail(): void {
    throw new Error('probe failure');
  }
}

@Module({ controllers: [LogProbeController] })
class LogProbeModule {}

/** A request that stays in progress until the test lets it finish. */
let finishSlowRequest: (() => void) | undefined;
@Controller('slow-probe')
class SlowProbeController {
  @Get()
  @Public()
  async slow(): Promise<{ finished: boolean }> {
    await new Promise<void>((resolve) => (finishSlowRequest = resolve));
    return { finished: true };
  }
}

@Module({ controllers: [SlowProbeController] })
class SlowProbeModule {}

const UnhandledQueue = defineQueue<{ n: number }>('metrics-nobody-handles');

describe('Structured logs', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const capture = logCapture();
  let startupLines: LogLine[];

  beforeAll(async () => {
    t = await startTestApp({}, { logger: createRootLogger({ logLevel: 'info', nodeName: 'log-node' }, capture.stream), extraModules: [LogProbeModule] });
    startupLines = [...capture.lines];
    tenant = await t.createTenant('log-tenant', 'log-secret');
  });
  afterAll(() => t.close());

  const linesOf = (requestId: string) => capture.lines.filter((line) => line.requestId === requestId);

  it('starts with a few lines, none per module or per route', () => {
    expect(startupLines.length).toBeGreaterThan(0);
    expect(startupLines.length).toBeLessThan(5);
    expect(startupLines.filter((line) => /RouterExplorer|RoutesResolver|InstanceLoader/.test(String(line.context)))).toEqual([]);
  });

  it('writes one JSON access line per request with its request id, tenant and account, and no secret', async () => {
    const accountId = await createAccount(t, tenant);
    const response = await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200);
    const requestId = String(response.headers['x-request-id']);
    const lines = linesOf(requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      node: 'log-node',
      requestId,
      tenantRecordId: expect.any(Number),
      apiKey: 'log-tenant',
      accountId,
      req: { method: 'GET', path: `/1.0/kb/accounts/${accountId}` },
      res: { status: 200 },
      durationMs: expect.any(Number),
      msg: expect.stringMatching(new RegExp(`^GET /1.0/kb/accounts/${accountId} 200 \\d+ms$`)),
    });
    const everything = JSON.stringify(capture.lines);
    expect(everything).not.toContain('log-secret');
    expect(everything).not.toContain(Buffer.from('admin:password').toString('base64'));
  });

  it("keeps the caller's X-Request-Id, and puts it on the lines the request's code logs through Nest's Logger", async () => {
    await t.http.get('/log-probe').set('X-Request-Id', 'probe-42').expect(204);
    expect(linesOf('probe-42')).toEqual([
      expect.objectContaining({ context: 'LogProbe', msg: 'inside the request' }),
      expect.objectContaining({ msg: expect.stringMatching(/^GET \/log-probe 204/) }),
    ]);
  });

  it('writes the access line of a failed request at error level, after the error line, both with its request id', async () => {
    await t.http.get('/log-probe/fail').set('X-Request-Id', 'probe-500').expect(500);
    const lines = linesOf('probe-500');
    expect(lines[lines.length - 1]).toMatchObject({
      level: 'error',
      req: { method: 'GET', path: '/log-probe/fail' },
      res: { status: 500 },
      msg: 'GET /log-probe/fail 500 failed',
    });
    expect(lines.some((line) => line.context === 'Errors' && String(line.msg).includes('probe failure'))).toBe(true);
  });

  it('replaces a request id that is not a sane token', async () => {
    const response = await t.http.get('/log-probe').set('X-Request-Id', 'x'.repeat(300)).expect(204);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(linesOf(String(response.headers['x-request-id']))).toHaveLength(2);
  });

  it('masks credentials and passwords in anything logged', () => {
    const logger = createRootLogger({ logLevel: 'info', nodeName: 'n' }, capture.stream);
    logger.info(
      {
        headers: { authorization: 'Basic c2VjcmV0', 'x-killbill-apisecret': 'header-secret' },
        body: { password: 'pw-secret', apiSecret: 'body-secret', name: 'ok' },
      },
      'masking',
    );
    const line = capture.lines.find((entry) => entry.msg === 'masking');
    expect(line).toMatchObject({
      headers: { authorization: '[redacted]', 'x-killbill-apisecret': '[redacted]' },
      body: { password: '[redacted]', apiSecret: '[redacted]', name: 'ok' },
    });
  });

  it('honours the level: at warn, successful requests write nothing', async () => {
    const quiet = logCapture();
    const other = await startTestApp({}, { sharedDatabaseOf: t, logger: createRootLogger({ logLevel: 'warn', nodeName: 'quiet' }, quiet.stream) });
    try {
      await other.http.get('/1.0/healthcheck').expect(200);
      await other.http.get('/1.0/kb/tenants?apiKey=log-tenant').set(tenant.headers).expect(200);
      expect(quiet.lines).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('Prometheus metrics, X-Powered-By, draining', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let tenantRecordId: number;
  beforeAll(async () => {
    t = await startTestApp({ 'org.killbill.invoice.globalLock.retries': '0' }, { extraModules: [SlowProbeModule] });
    tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
  });
  afterAll(() => t.close());

  const scrape = async () => {
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4|^text\/plain; charset=utf-8; version=0\.0\.4/);
    return response.text;
  };
  const inJob = <T>(work: () => Promise<T>) => runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), work);

  it('answers GET /metrics without credentials, in Prometheus text, with process metrics', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# HELP process_cpu_user_seconds_total/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('times requests by method, route template and status', async () => {
    const accountId = await createAccount(t, tenant);
    await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200);
    await t.http.get(`/1.0/kb/accounts/${accountId}`).expect(401);
    await t.http.get(`/1.0/kb/no-such-resource/${accountId}`).set(tenant.headers).expect(404);
    const text = await scrape();
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/1.0/kb/accounts/:accountId",status="200"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/1.0/kb/accounts/:accountId",status="401"} 1');
    expect(text).not.toContain(accountId);
  });

  it('reports queue depth and the age of the oldest due entry, read at scrape time', async () => {
    await inJob(() =>
      t.app.get(Transactions).run(async () => {
        await t.app.get(Queues).schedule(UnhandledQueue, new Date(Date.now() - 120_000), { n: 1 });
        await t.app.get(Queues).schedule(UnhandledQueue, new Date(Date.now() - 30_000), { n: 2 });
        await t.app.get(Queues).schedule(UnhandledQueue, new Date(Date.now() + 3_600_000), { n: 3 });
      }),
    );
    const text = await scrape();
    expect(text).toContain('kb_queue_depth{kind="notification",queue="metrics-nobody-handles"} 2');
    expect(text).toContain('kb_notifications_scheduled{queue="metrics-nobody-handles"} 1');
    const age = Number(/^kb_queue_oldest_age_seconds\{kind="notification",queue="metrics-nobody-handles"\} ([\d.]+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(180);
    await t.query(`DELETE FROM notifications WHERE queue_name = 'metrics-nobody-handles'`);
    expect(await scrape()).not.toContain('queue="metrics-nobody-handles"');
  });

  it('times lock acquisitions, the ones that fail apart', async () => {
    const locks = t.app.get(Locks);
    await inJob(() => locks.withLock('metrics-lock', async () => undefined));
    let release!: () => void;
    const held = inJob(() => locks.withLock('metrics-lock', () => new Promise<void>((resolve) => (release = resolve))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(inJob(() => locks.withLock('metrics-lock', async () => undefined))).rejects.toBeInstanceOf(KillBillException);
    release();
    await held;
    const text = await scrape();
    expect(Number(/^kb_lock_wait_seconds_count\{kind="transaction",outcome="acquired"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^kb_lock_wait_seconds_count\{kind="transaction",outcome="failed"\} 1$/m);
  });

  it('sends no X-Powered-By', async () => {
    const response = await t.http.get('/1.0/healthcheck').expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  // Last: a draining application refuses everything after it.
  it('once draining, lets the request in progress finish and refuses new ones with a 503 that closes the connection', async () => {
    const inFlight = t.app.get(InFlightRequests);
    const slowAnswer = t.http.get('/slow-probe').then((response) => response);
    for (let i = 0; !finishSlowRequest; i++) {
      if (i > 400) throw new Error('the request never started');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(inFlight.count).toBe(1);
    const drained = inFlight.drain(10_000);
    const refused = await t.http.get('/1.0/healthcheck');
    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.body).toMatchObject({ message: 'The server is shutting down' });
    finishSlowRequest?.();
    const slow = await slowAnswer;
    expect(slow.status).toBe(200);
    expect(slow.body).toEqual({ finished: true });
    expect(slow.headers.connection).toBe('close');
    expect(await drained).toBe(true);
    expect(inFlight.count).toBe(0);
  });
});
