/**
 * Request path benchmark (not a test): what our HTTP stack costs over the SQL it runs. One embedded
 * PostgreSQL, two servers each in a process of its own (so the load generator here does not share
 * their CPU): the real application (production settings: no test mode, the default KDF iterations,
 * credentials cached) and a bare `node:http` server that runs the same SQL through `pg`. Measured
 * with 10 keep-alive connections, 10 requests in flight, for a fixed time each, ours and bare in turn:
 *
 * 1. ours  GET /1.0/kb/accounts/{id} (basic auth + tenant headers)
 * 2. bare  GET: tenant by api key, then the account row by id and tenant, as JSON
 * 3. ours  POST /1.0/kb/accounts (validation, history, audit, ACCOUNT_CREATION bus event)
 * 4. bare  POST: in one transaction the account row, its history row, its audit row, a bus event row
 *
 * Prints requests/s of each, the ratios ours / bare, and the median latency of one create at a time.
 * Run with `npm run bench:request-path` (BENCH_ROUNDS alternating rounds, default 2, of BENCH_SECONDS per measure,
 * default 5; BENCH_WARMUP_SECONDS, default 3). To profile our server: BENCH_SERVER_NODE_OPTIONS=--cpu-prof with
 * BENCH_PROFILE=ours-get (ours-create, bare-get, bare-create), which loads one server with one request.
 */
import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool, type PoolClient } from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = 10;
const SEQUENTIAL_CREATES = Number(process.env.BENCH_SEQUENTIAL_CREATES ?? 200);
const ADMIN = `Basic ${Buffer.from('admin:password').toString('base64')}`;

// ---------------------------------------------------------------------------------------------
// The two servers (child processes)
// ---------------------------------------------------------------------------------------------

async function serveApp(databaseUrl: string): Promise<number> {
  const { KillBillConfig } = await import('@kb/platform');
  const { createApplication } = await import('../apps/killbill/src/bootstrap');
  const config = KillBillConfig.load({}, { KB_NODE_NAME: 'bench-app' });
  if (config.testMode) throw new Error('The benchmark measures the production path: test mode must be off');
  const app = await createApplication({ config, databaseUrl });
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

/** The same SQL as our path, with nothing around it: the floor our stack is measured against. */
async function serveBare(databaseUrl: string): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const tenantOf = async (request: IncomingMessage): Promise<number | undefined> => {
    const { rows } = await pool.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE api_key = $1', [request.headers['x-killbill-apikey']]);
    return rows.length ? Number(rows[0].record_id) : undefined;
  };
  const send = (response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    response.end(text);
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const tenantRecordId = await tenantOf(request);
        if (tenantRecordId === undefined) return send(response, 401);
        const path = request.url ?? '';
        if (request.method === 'GET' && path.startsWith('/1.0/kb/accounts/')) {
          const { rows } = await pool.query('SELECT * FROM accounts WHERE id = $1 AND tenant_record_id = $2', [
            path.slice('/1.0/kb/accounts/'.length),
            tenantRecordId,
          ]);
          return rows.length ? send(response, 200, rows[0]) : send(response, 404);
        }
        if (request.method === 'POST' && path === '/1.0/kb/accounts') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
          const id = await createBare(pool, tenantRecordId, body, String(request.headers['x-killbill-createdby']));
          return send(response, 201, undefined, { Location: `http://${request.headers.host}/1.0/kb/accounts/${id}` });
        }
        send(response, 404);
      })().catch((error: unknown) => {
        console.error(error);
        send(response, 500);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function createBare(pool: Pool, tenantRecordId: number, body: Record<string, string>, createdBy: string): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    const {
      rows: [{ record_id: recordId }],
    } = await client.query<{ record_id: string }>(
      `INSERT INTO accounts (id, created_date, created_by, updated_date, updated_by, tenant_record_id, external_key, email, name, currency,
                             billing_cycle_day_local, is_payment_delegated_to_parent, reference_time, time_zone)
       VALUES ($1, $2, $3, $2, $3, $4, $5, $6, $7, $8, 0, false, $2, 'UTC') RETURNING record_id`,
      [id, now, createdBy, tenantRecordId, body.externalKey, body.email, body.name, body.currency],
    );
    const {
      rows: [{ record_id: historyRecordId }],
    } = await client.query<{ record_id: string }>(
      `INSERT INTO accounts_history (target_record_id, change_type, id, created_date, created_by, updated_date, updated_by, tenant_record_id, external_key,
                                     email, name, currency, billing_cycle_day_local, is_payment_delegated_to_parent, reference_time, time_zone)
       SELECT record_id, 'INSERT', id, created_date, created_by, updated_date, updated_by, tenant_record_id, external_key,
              email, name, currency, billing_cycle_day_local, is_payment_delegated_to_parent, reference_time, time_zone
         FROM accounts WHERE record_id = $1 RETURNING record_id`,
      [recordId],
    );
    await client.query(
      `INSERT INTO audit_log (id, target_record_id, table_name, change_type, created_date, created_by, user_token, account_record_id, tenant_record_id)
       VALUES ($1, $2, 'accounts', 'INSERT', $3, $4, $5, $6, $7)`,
      [randomUUID(), historyRecordId, now, createdBy, randomUUID(), recordId, tenantRecordId],
    );
    await client.query(
      `INSERT INTO bus_events (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2)
       VALUES ('ACCOUNT_CREATION', $1, $2, $3, 'bench-bare', 'AVAILABLE', 0, $4, $5)`,
      [JSON.stringify({ accountId: id, data: body }), randomUUID(), now, recordId, tenantRecordId],
    );
    await client.query('COMMIT');
    return id;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// The load generator (this process)
// ---------------------------------------------------------------------------------------------

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly expect: number;
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function call(port: number, agent: http.Agent, { method, path, headers, body }: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function expectCall(port: number, agent: http.Agent, request: Call): Promise<Answer> {
  const answer = await call(port, agent, request);
  if (answer.status !== request.expect) throw new Error(`${request.method} ${request.path}: ${answer.status}, expected ${request.expect}: ${answer.body}`);
  return answer;
}

interface Server {
  readonly port: number;
  readonly child: ChildProcess;
}

interface Measure {
  readonly rate: number;
  /** CPU time (user + system) the server process spent per request, in microseconds. */
  readonly cpuPerRequest: number;
  /** Of which in the kernel (socket writes and reads). */
  readonly systemPerRequest: number;
}

/** The CPU time a server process has used so far (µs): unlike wall time, what another process on the machine does barely moves it. */
function cpuOf(server: Server): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    server.child.once('message', (message: { cpu: NodeJS.CpuUsage }) => resolve(message.cpu));
    server.child.send('cpu');
  });
}

/** 10 requests in flight over 10 keep-alive connections for `seconds`. */
async function throughput(server: Server, next: () => Call, seconds: number): Promise<Measure> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const cpuBefore = await cpuOf(server);
  let done = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      await expectCall(server.port, agent, next());
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - start) / 1000;
  const cpuAfter = await cpuOf(server);
  agent.destroy();
  const system = cpuAfter.system - cpuBefore.system;
  return { rate: done / elapsed, cpuPerRequest: (cpuAfter.user - cpuBefore.user + system) / done, systemPerRequest: system / done };
}

async function medianLatency(server: Server, next: () => Call, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await expectCall(server.port, agent, next());
    times.push(performance.now() - start);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function startServer(role: 'app' | 'bare', databaseUrl: string): Promise<Server> {
  const execArgv = ['-r', '@swc-node/register', ...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])];
  const child = fork(__filename, ['--serve', role, databaseUrl], { execArgv });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port?: number; error?: string }) =>
      message.port ? resolve({ port: message.port, child }) : reject(new Error(message.error ?? 'no port')),
    );
    child.once('exit', (code) => reject(new Error(`${role} server exited with ${code}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

function average(measures: readonly Measure[]): Measure {
  const sum = (pick: (measure: Measure) => number) => measures.reduce((total, measure) => total + pick(measure), 0) / measures.length;
  return {
    rate: sum((measure) => measure.rate),
    cpuPerRequest: sum((measure) => measure.cpuPerRequest),
    systemPerRequest: sum((measure) => measure.systemPerRequest),
  };
}

async function main(): Promise<void> {
  const { default: globalSetup } = await import('../test/support/global-setup');
  const { default: globalTeardown } = await import('../test/support/global-teardown');
  const { createTestDatabase, dropTestDatabase } = await import('../test/support/test-database');
  await globalSetup();
  const database = await createTestDatabase();
  const servers: ChildProcess[] = [];
  try {
    const ours = await startServer('app', database.url);
    servers.push(ours.child);
    const bare = await startServer('bare', database.url);
    servers.push(bare.child);
    const agent = new http.Agent({ keepAlive: true });

    const apiKey = 'bench';
    const tenantResponse = await expectCall(ours.port, agent, {
      method: 'POST',
      path: '/1.0/kb/tenants',
      headers: { Authorization: ADMIN, 'X-Killbill-CreatedBy': 'bench', 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey, apiSecret: 'bench-secret' }),
      expect: 201,
    });
    if (!tenantResponse.headers.location) throw new Error('No tenant created');
    const headers = { Authorization: ADMIN, 'X-Killbill-ApiKey': apiKey, 'X-Killbill-ApiSecret': 'bench-secret', 'X-Killbill-CreatedBy': 'bench' };

    let created = 0;
    const create = (): Call => {
      const n = ++created;
      return {
        method: 'POST',
        path: '/1.0/kb/accounts',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ externalKey: `bench-${process.pid}-${n}`, name: `Account ${n}`, email: `account${n}@example.com`, currency: 'USD' }),
        expect: 201,
      };
    };
    const accountIds: string[] = [];
    for (let i = 0; i < 100; i++)
      accountIds.push(
        String((await expectCall(ours.port, agent, create())).headers.location)
          .split('/')
          .pop() ?? '',
      );
    let read = 0;
    const get = (): Call => ({ method: 'GET', path: `/1.0/kb/accounts/${accountIds[read++ % accountIds.length]}`, headers, expect: 200 });
    agent.destroy();

    // The warm-up fills our credential and tenant caches and lets V8 optimise both servers.
    for (const server of [ours, bare]) {
      await throughput(server, get, WARMUP_SECONDS);
      await throughput(server, create, WARMUP_SECONDS);
    }

    const profiled = /^(ours|bare)-(get|create)$/.exec(process.env.BENCH_PROFILE ?? '');
    if (profiled) {
      // Profiling (with BENCH_SERVER_NODE_OPTIONS=--cpu-prof): load one server alone, so its profile holds nothing else.
      const [, side, request] = profiled;
      const measure = await throughput(side === 'ours' ? ours : bare, request === 'get' ? get : create, SECONDS);
      console.log(
        `${side} ${request}: ${measure.rate.toFixed(0)} requests/s, ${measure.cpuPerRequest.toFixed(0)} µs of CPU per request (${measure.systemPerRequest.toFixed(0)} µs system)`,
      );
      return;
    }
    // Alternating rounds: a shared machine's load drifts, and each ratio compares figures taken side by side.
    const rounds: { oursGet: Measure; bareGet: Measure; oursCreate: Measure; bareCreate: Measure }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({
        oursGet: await throughput(ours, get, SECONDS),
        bareGet: await throughput(bare, get, SECONDS),
        oursCreate: await throughput(ours, create, SECONDS),
        bareCreate: await throughput(bare, create, SECONDS),
      });
    }
    const oursGet = average(rounds.map((round) => round.oursGet));
    const bareGet = average(rounds.map((round) => round.bareGet));
    const oursCreate = average(rounds.map((round) => round.oursCreate));
    const bareCreate = average(rounds.map((round) => round.bareCreate));
    const oursLatency = await medianLatency(ours, create, SEQUENTIAL_CREATES);
    const bareLatency = await medianLatency(bare, create, SEQUENTIAL_CREATES);

    const show = (measure: Measure) => `${measure.rate.toFixed(0).padStart(5)} requests/s (${measure.cpuPerRequest.toFixed(0).padStart(4)} µs CPU/request)`;
    console.log(`${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s each (after ${WARMUP_SECONDS} s of warm-up)`);
    console.log(`GET  /accounts/{id}  ours ${show(oursGet)}   bare ${show(bareGet)}   ratio ${(oursGet.rate / bareGet.rate).toFixed(2)}`);
    console.log(`POST /accounts       ours ${show(oursCreate)}   bare ${show(bareCreate)}   ratio ${(oursCreate.rate / bareCreate.rate).toFixed(2)}`);
    console.log(`one create at a time (median of ${SEQUENTIAL_CREATES}): ours ${oursLatency.toFixed(2)} ms, bare ${bareLatency.toFixed(2)} ms`);
  } finally {
    for (const child of servers) await stopServer(child);
    await dropTestDatabase(database.name);
    await globalTeardown();
  }
}

if (process.argv[2] === '--serve') {
  const role = process.argv[3];
  const databaseUrl = process.argv[4];
  (role === 'app' ? serveApp(databaseUrl) : serveBare(databaseUrl)).then(
    (port) => process.send?.({ port }),
    (error: unknown) => {
      console.error(error);
      process.send?.({ error: String(error) });
      process.exit(1);
    },
  );
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  process.once('SIGINT', () => process.exit(0));
} else {
  void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
