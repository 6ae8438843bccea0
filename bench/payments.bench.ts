/**
 * Payments benchmark (not a test): the real application on an embedded PostgreSQL, listening on the
 * loopback; BENCH_ACCOUNTS (100) accounts, each with `__EXTERNAL_PAYMENT__` as its default payment
 * method. BENCH_PAYMENTS (3,000) `POST /1.0/kb/accounts/{accountId}/payments` PURCHASEs of $10 are
 * sent by a load generator in a process of its own over BENCH_CONNECTIONS (10) keep-alive connections, each connection taking the next account in
 * turn (so concurrent payments mostly hit different accounts, as a burst of customers does; each
 * payment still takes its account's lock). Every answer must be 201. Prints payments per second and
 * the latency percentiles, then checks one SUCCESS purchase transaction per payment.
 * Run with `npm run bench:payments`.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { createAccount, startTestApp } from '../test/support/test-app';
import { postgresCpuSeconds } from './postgres-cpu';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100);
const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 3_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARMUP = 200;
const LOAD_ROLE = 'KB_BENCH_LOAD_GENERATOR';

function post(agent: http.Agent, port: number, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; millis: number }> {
  const text = JSON.stringify(body);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, millis: performance.now() - start }));
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))].toFixed(1);

interface LoadJob {
  readonly port: number;
  readonly accountIds: readonly string[];
  readonly headers: Record<string, string>;
}

type LoadMessage =
  { readonly kind: 'measuring' } | { readonly kind: 'done'; readonly millis: number; readonly latencies: number[]; readonly cpuMicros: number };

/** The load generator, in a process of its own so that the server's CPU figure is the server's alone. */
async function generateLoad(job: LoadJob, report: (message: LoadMessage) => void): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const run = async (count: number): Promise<number[]> => {
    let next = 0;
    const latencies: number[] = [];
    const connection = async () => {
      while (next < count) {
        const index = next++;
        const accountId = job.accountIds[index % job.accountIds.length];
        const answer = await post(agent, job.port, `/1.0/kb/accounts/${accountId}/payments`, job.headers, {
          transactionType: 'PURCHASE',
          amount: 10,
          currency: 'USD',
        });
        if (answer.status !== 201) throw new Error(`payment ${index}: status ${answer.status}`);
        latencies.push(answer.millis);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));
    return latencies;
  };
  await run(WARMUP);
  report({ kind: 'measuring' });
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const latencies = await run(PAYMENTS);
  const cpu = process.cpuUsage(cpuBefore);
  report({ kind: 'done', millis: performance.now() - start, latencies, cpuMicros: cpu.user + cpu.system });
  agent.destroy();
}

async function main(): Promise<void> {
  await globalSetup();
  // Production mode: no test clock read on each request.
  const t = await startTestApp({ 'org.killbill.server.test.mode': 'false' });
  try {
    const tenant = await t.createTenant();
    const accountIds: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const accountId = await createAccount(t, tenant, { name: `Payer ${i}`, currency: 'USD' });
      await t.http
        .post(`/1.0/kb/accounts/${accountId}/paymentMethods`)
        .query({ isDefault: 'true' })
        .set(tenant.headers)
        .send({ pluginName: '__EXTERNAL_PAYMENT__' })
        .expect(201);
      accountIds.push(accountId);
    }
    await t.app.listen(0, '127.0.0.1');
    const port = (t.app.getHttpServer().address() as AddressInfo).port;

    const loader = fork(__filename, [], { execArgv: process.execArgv, env: { ...process.env, [LOAD_ROLE]: '1' } });
    let nodeCpuBefore = process.cpuUsage();
    let postgresCpuBefore = 0;
    const finished = new Promise<{ millis: number; latencies: number[]; cpuMicros: number }>((resolve, reject) => {
      loader.on('message', (message: LoadMessage) => {
        if (message.kind === 'measuring') {
          nodeCpuBefore = process.cpuUsage();
          postgresCpuBefore = postgresCpuSeconds();
        } else resolve(message);
      });
      loader.on('exit', (code) => reject(new Error(`the load generator stopped (${code}) before it finished`)));
    });
    loader.send({ port, accountIds, headers: tenant.headers } satisfies LoadJob);
    const { millis, latencies: unsorted, cpuMicros: loaderCpuMicros } = await finished;
    // The payments' events are delivered after the answers: the sustained rate counts their delivery too.
    const drainStart = performance.now();
    for (;;) {
      const [{ pending }] = await t.query<{ pending: string }>(`SELECT count(*) AS pending FROM bus_deliveries`);
      if (Number(pending) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const drainMillis = performance.now() - drainStart;
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const postgresCpu = postgresCpuSeconds() - postgresCpuBefore;
    loader.removeAllListeners('exit');
    loader.kill();
    const latencies = unsorted.sort((a, b) => a - b);
    console.log(
      `${PAYMENTS} payments over ${CONNECTIONS} connections on ${ACCOUNTS} accounts in ${millis.toFixed(0)} ms: ${((PAYMENTS * 1000) / millis).toFixed(1)} payments/s; ` +
        `latency p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, p99 ${percentile(latencies, 99)} ms`,
    );
    console.log(
      `events delivered ${drainMillis.toFixed(0)} ms after the last answer: sustained ${((PAYMENTS * 1000) / (millis + drainMillis)).toFixed(1)} payments/s`,
    );
    // Where the machine's time goes (answers and deliveries): the server process (the load generator is another) against PostgreSQL's backends.
    console.log(
      `CPU per payment: server ${((nodeCpu.user + nodeCpu.system) / 1000 / PAYMENTS).toFixed(2)} ms, PostgreSQL ${((postgresCpu * 1000) / PAYMENTS).toFixed(2)} ms` +
        ` (and the load generator's ${(loaderCpuMicros / 1000 / PAYMENTS).toFixed(2)} ms per answer, on the same cores)`,
    );

    const [check] = await t.query<{ payments: string; purchases: string }>(
      `SELECT (SELECT count(*) FROM payments p JOIN accounts a ON a.record_id = p.account_record_id WHERE a.id = ANY($1)) AS payments,
              (SELECT count(*) FROM payment_transactions pt JOIN accounts a ON a.record_id = pt.account_record_id
                WHERE a.id = ANY($1) AND pt.transaction_type = 'PURCHASE' AND pt.transaction_status = 'SUCCESS') AS purchases`,
      [accountIds],
    );
    console.log(`checked: ${JSON.stringify(check)}`);
    if (Number(check.payments) !== PAYMENTS + WARMUP || Number(check.purchases) !== PAYMENTS + WARMUP) {
      throw new Error(`expected ${PAYMENTS + WARMUP} successful purchases: ${JSON.stringify(check)}`);
    }
  } finally {
    await t.close();
    await globalTeardown();
  }
}

if (process.env[LOAD_ROLE]) {
  process.once('message', (job: LoadJob) => {
    generateLoad(job, (message) => process.send?.(message)).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
