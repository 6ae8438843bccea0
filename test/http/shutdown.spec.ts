import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

/** The real server as a child process, on its own database, stopped with SIGTERM in the middle of a burst of writes. */
const ROOT = resolve(__dirname, '../..');
const GRACE_MILLIS = 15_000;

interface Answer {
  readonly requestId?: string;
  readonly name?: string;
  readonly status?: number;
  readonly location?: string;
  readonly error?: string;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/** One request, on a kept-alive connection of `agent` or else on one of its own. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string, agent: Agent | false = false): Promise<Answer> {
  return new Promise((done) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers, agent }, (response) => {
      response.resume();
      response.on('end', () => done({ status: response.statusCode, location: response.headers.location }));
      response.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    outgoing.end(body);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Graceful shutdown of the real server', () => {
  let database: { name: string; url: string };
  let server: ChildProcess;
  let output = '';

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (server?.pid && isAlive(server.pid)) server.kill('SIGKILL');
    await dropTestDatabase(database.name);
  });

  it('on SIGTERM during a burst of writes, answers every request it started, keeps every acknowledged write and exits 0', async () => {
    const port = await freePort();
    server = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/killbill/src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        PORT: String(port),
        KB_NODE_NAME: 'shutdown-node',
        KB_SHUTDOWN_GRACE: `${GRACE_MILLIS}ms`,
        LOG_LEVEL: 'info',
        KILLBILL_SECURITY_SHIRONBHASHITERATIONS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; at: number }>((done) => server.once('exit', (code) => done({ code, at: Date.now() })));
    for (let i = 0; !output.includes('Kill Bill listening'); i++) {
      if (i > 1200 || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((done) => setTimeout(done, 50));
    }

    const admin = { Authorization: `Basic ${Buffer.from('admin:password').toString('base64')}`, 'X-Killbill-CreatedBy': 'shutdown-test' };
    const json = { 'Content-Type': 'application/json' };
    const tenant = await send(port, 'POST', '/1.0/kb/tenants', { ...admin, ...json }, JSON.stringify({ apiKey: 'shutdown', apiSecret: 'secret' }));
    expect(tenant.status).toBe(201);
    const tenantHeaders = { ...admin, ...json, 'X-Killbill-ApiKey': 'shutdown', 'X-Killbill-ApiSecret': 'secret' };

    // Eight writers (half on kept-alive connections, as most clients) create accounts back to back until
    // the server stops answering; SIGTERM goes out mid-burst.
    const answers: Answer[] = [];
    const keepAlive = new Agent({ keepAlive: true });
    let stopped = false;
    const writer = async (n: number) => {
      for (let i = 0; !stopped; i++) {
        const name = `w${n}-${i}`;
        const requestId = `shutdown-${name}`;
        const answer = await send(port, 'POST', '/1.0/kb/accounts', { ...tenantHeaders, 'X-Request-Id': requestId }, JSON.stringify({ name, currency: 'USD' }), n % 2 === 0 && keepAlive);
        answers.push({ ...answer, requestId, name });
        if (answer.error || answer.status === 503) stopped = true;
      }
    };
    const writers = Promise.all(Array.from({ length: 8 }, (_, n) => writer(n)));
    while (answers.filter((answer) => answer.status === 201).length < 40) await new Promise((done) => setTimeout(done, 10));
    const signalledAt = Date.now();
    server.kill('SIGTERM');
    // A server that kept serving kept-alive connections would never stop the writers.
    const giveUp = setTimeout(() => (stopped = true), GRACE_MILLIS);
    await writers;
    clearTimeout(giveUp);
    keepAlive.destroy();
    const exit = await exited;

    expect({ code: exit.code, withinGrace: exit.at - signalledAt < GRACE_MILLIS }).toEqual({ code: 0, withinGrace: true });
    // Each request was answered (201, or 503 once shutdown had begun) or refused: none was cut. A
    // connection still in the listen backlog when the server stops listening is reset by the kernel;
    // such a request never reached the server: no log line carries its id, and it wrote nothing.
    const failed = answers.filter((answer) => answer.error);
    const unexpected = answers.filter((answer) => !(answer.status === 201 || answer.status === 503 || answer.error === 'ECONNREFUSED' || answer.error === 'ECONNRESET'));
    expect(unexpected).toEqual([]);
    expect(failed.filter((answer) => output.includes(`"requestId":"${answer.requestId}"`))).toEqual([]);
    // Every acknowledged create has its row.
    const created = answers.filter((answer) => answer.status === 201).map((answer) => String(answer.location).split('/').pop());
    expect(created.length).toBeGreaterThanOrEqual(40);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query<{ id: string }>('SELECT id FROM accounts WHERE id = ANY($1)', [created]);
      expect(rows.rows.map((row) => row.id).sort()).toEqual([...created].sort());
      const unanswered = failed.map((answer) => answer.name);
      expect((await client.query('SELECT name FROM accounts WHERE name = ANY($1)', [unanswered])).rows).toEqual([]);
      // Nothing left connected to the database by the stopped server.
      const sessions = await client.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database.name]);
      expect(sessions.rowCount).toBe(0);
    } finally {
      await client.end();
    }
    expect(isAlive(server.pid ?? 0)).toBe(false);
    expect(output).toMatch(/"msg":"SIGTERM received"/);
    expect(output).toMatch(/"msg":"Stopped in \d+ms"/);
  }, 120_000);
});
