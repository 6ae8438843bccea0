/**
 * The machine's floor for a PostgreSQL round trip (not a test): the embedded PostgreSQL the tests
 * use, reached as the application reaches it (Unix socket), with one trivial prepared statement
 * (`SELECT $1::int`). Prints round trips per second and CPU per round trip (this process and
 * PostgreSQL, from /proc) for one connection in turn and for BENCH_CONNECTIONS (10) at once. A
 * payment's round trips times this cost bounds the payments a second this machine can answer.
 * Run with `npm run bench:round-trips`.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV } from '../test/support/test-database';
import { withDatabase } from '@kb/platform';
import { postgresCpuSeconds } from './postgres-cpu';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? 30_000);

async function measure(label: string, clients: readonly Client[], total: number): Promise<void> {
  let next = 0;
  const run = async (client: Client) => {
    while (next < total) {
      next++;
      await client.query({ name: 'round_trip', text: 'SELECT $1::int AS n', values: [next] });
    }
  };
  const cpu = process.cpuUsage();
  const postgres = postgresCpuSeconds();
  const start = performance.now();
  await Promise.all(clients.map(run));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const nodeMs = ((used.user + used.system) / 1000 / total) * 1000;
  const postgresMs = ((postgresCpuSeconds() - postgres) / total) * 1e6;
  console.log(
    `${label}: ${total} round trips in ${(seconds * 1000).toFixed(0)} ms: ${(total / seconds).toFixed(0)}/s; ` +
      `CPU per round trip: this process ${nodeMs.toFixed(0)} µs, PostgreSQL ${postgresMs.toFixed(0)} µs`,
  );
}

async function main(): Promise<void> {
  await globalSetup();
  const url = withDatabase(process.env[TEST_SERVER_URL_ENV] ?? '', process.env[TEST_TEMPLATE_ENV] ?? '');
  const clients = Array.from({ length: CONNECTIONS }, () => new Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    await measure('warm-up', clients, 2_000);
    await measure('1 connection, one round trip after the other', clients.slice(0, 1), ROUND_TRIPS);
    await measure(`${CONNECTIONS} connections at once`, clients, ROUND_TRIPS);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await globalTeardown();
  }
}

void main();
