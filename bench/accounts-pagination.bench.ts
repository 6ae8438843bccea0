/**
 * Account listing benchmark (not a test): starts the real application on an embedded PostgreSQL,
 * inserts 10,000 accounts for one tenant (plus 10,000 for a second tenant, so tenant scoping is
 * exercised) with one SQL insert per batch, then pages through all of them with
 * GET /accounts/pagination and times it. Run with
 * `node -r @swc-node/register bench/accounts-pagination.bench.ts`.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { startTestApp, type TestApp } from '../test/support/test-app';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const BATCH = 1_000;

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function insertAccounts(t: TestApp, tenantId: string, prefix: string): Promise<void> {
  const [{ record_id: tenantRecordId }] = await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenantId]);
  for (let start = 0; start < ACCOUNTS; start += BATCH) {
    await t.query(
      `INSERT INTO accounts (id, created_date, created_by, updated_date, updated_by, tenant_record_id, external_key, email, name, currency,
                             billing_cycle_day_local, is_payment_delegated_to_parent, reference_time, time_zone, company_name)
       SELECT gen_random_uuid(), now(), 'bench', now(), 'bench', $1, $2 || n, $2 || n || '@example.com', 'Account ' || n, 'USD', 0, false, now(), 'UTC', 'Company ' || (n % 100)
         FROM generate_series($3::int, $4::int) AS n`,
      [tenantRecordId, prefix, start, Math.min(start + BATCH, ACCOUNTS) - 1],
    );
  }
}

async function main(): Promise<void> {
  await globalSetup();
  const t = await startTestApp();
  try {
    const tenant = await t.createTenant('bench', 'bench');
    const noise = await t.createTenant('noise', 'noise');
    const insertStart = performance.now();
    await insertAccounts(t, tenant.id, 'acc-');
    await insertAccounts(t, noise.id, 'noise-');
    await t.query('ANALYZE accounts');
    console.log(`inserted ${2 * ACCOUNTS} accounts (2 tenants) in ${ms(performance.now() - insertStart)}`);

    for (const limit of [100, 1000]) {
      for (const audit of ['NONE', 'MINIMAL']) {
        let path: string | undefined = `/1.0/kb/accounts/pagination?offset=0&limit=${limit}&audit=${audit}`;
        let pages = 0;
        let rows = 0;
        const perPage: number[] = [];
        const start = performance.now();
        while (path) {
          const pageStart = performance.now();
          const response: { body: unknown[]; headers: Record<string, string | undefined> } = await t.http.get(path).set(tenant.headers).expect(200);
          perPage.push(performance.now() - pageStart);
          pages++;
          rows += response.body.length;
          path = response.headers['x-killbill-pagination-nextpageuri'];
        }
        const total = performance.now() - start;
        if (rows !== ACCOUNTS) throw new Error(`paged ${rows} accounts, expected ${ACCOUNTS}`);
        const sorted = [...perPage].sort((a, b) => a - b);
        console.log(
          `GET /accounts/pagination limit=${limit} audit=${audit}: ${pages} pages, ${rows} accounts in ${ms(total)} ` +
            `(median page ${ms(sorted[Math.floor(sorted.length / 2)])}, last page ${ms(perPage[perPage.length - 1])}, max ${ms(sorted[sorted.length - 1])})`,
        );
      }
    }
    const searchStart = performance.now();
    const search = await t.http.get('/1.0/kb/accounts/search/Company%2042?limit=100').set(tenant.headers).expect(200);
    console.log(
      `GET /accounts/search/Company 42: ${search.headers['x-killbill-pagination-totalnbrecords']} matches, first page in ${ms(performance.now() - searchStart)}`,
    );
  } finally {
    await t.close();
    await globalTeardown();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
