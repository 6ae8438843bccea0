/**
 * Subscription benchmark (not a test): starts the real application in test mode on an embedded
 * PostgreSQL, creates BENCH_SUBSCRIPTIONS (1,000) accounts and one sports-monthly subscription each
 * through the API (BENCH_CONCURRENCY requests in flight) on a tenant reading the global catalog,
 * then moves the test clock 31 days so that every 30-day trial ends, and times how long the queue
 * takes to process every PHASE transition. Checks each transition was processed exactly once (the
 * notification history and the bus history) and that the subscriptions are in EVERGREEN.
 * Run with `npm run bench:subscriptions`.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { globalCatalogTenant } from '../test/support/entitlement';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../test/support/test-app';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const DEADLINE_MS = 10 * 60_000;

const ms = (value: number) => `${value.toFixed(0)} ms`;
const perSecond = (count: number, millis: number) => `${((count * 1000) / millis).toFixed(1)}/s`;

/** Runs `work(i)` for i in [0, count) with at most `CONCURRENCY` in flight; answers the results in order. */
async function pooled<T>(count: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return results;
}

async function tenantRecordId(t: TestApp, tenant: TestTenant): Promise<number> {
  const [row] = await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]);
  return Number(row.record_id);
}

async function processedPhases(t: TestApp, tenant: number): Promise<number> {
  const [row] = await t.query<{ count: string }>(
    `SELECT count(*) FROM notifications_history WHERE queue_name = 'subscription-events' AND processing_state = 'PROCESSED' AND search_key2 = $1`,
    [tenant],
  );
  return Number(row.count);
}

async function main(): Promise<void> {
  await globalSetup();
  const t = await startTestApp();
  try {
    const tenant = await globalCatalogTenant(t);
    const tenantId = await tenantRecordId(t, tenant);

    const accountsStart = performance.now();
    const accounts = await pooled(SUBSCRIPTIONS, (i) => createAccount(t, tenant, { name: `Bench ${i}`, currency: 'USD' }));
    const accountsTime = performance.now() - accountsStart;
    console.log(`created ${SUBSCRIPTIONS} accounts in ${ms(accountsTime)} (${perSecond(SUBSCRIPTIONS, accountsTime)})`);

    const createStart = performance.now();
    const latencies: number[] = [];
    const subscriptionIds = await pooled(SUBSCRIPTIONS, async (i) => {
      const start = performance.now();
      const response = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId: accounts[i], planName: 'sports-monthly' }).expect(201);
      latencies.push(performance.now() - start);
      return String(response.headers.location).split('/').pop() ?? '';
    });
    const createTime = performance.now() - createStart;
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `created ${SUBSCRIPTIONS} subscriptions (POST /subscriptions, ${CONCURRENCY} in flight) in ${ms(createTime)}: ${perSecond(SUBSCRIPTIONS, createTime)} ` +
        `(median ${ms(sorted[Math.floor(sorted.length / 2)])}, p95 ${ms(sorted[Math.floor(sorted.length * 0.95)])})`,
    );
    // the creations' own bus events are handled before the clock moves, so the timing below is the phases'
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 120 }).set(tenant.headers).expect(200);
    const before = await processedPhases(t, tenantId);

    const moveStart = performance.now();
    await t.http
      .put('/1.0/kb/test/clock')
      .query({ days: 31, timeoutSec: 0 })
      .set(tenant.headers)
      .expect((response) => {
        if (response.status !== 200 && response.status !== 408) throw new Error(`moving the clock answered ${response.status}`);
      });
    let processed = 0;
    while ((processed = (await processedPhases(t, tenantId)) - before) < SUBSCRIPTIONS) {
      if (performance.now() - moveStart > DEADLINE_MS) throw new Error(`only ${processed} of ${SUBSCRIPTIONS} phase transitions processed`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const phasesTime = performance.now() - moveStart;
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 120 }).set(tenant.headers).expect(200);
    const phasesAndBusTime = performance.now() - moveStart;
    console.log(
      `moved the clock 31 days: ${SUBSCRIPTIONS} PHASE notifications processed in ${ms(phasesTime)} (${perSecond(SUBSCRIPTIONS, phasesTime)}), ` +
        `queues idle (bus events delivered) after ${ms(phasesAndBusTime)}`,
    );

    // exactly once: one processed notification per PHASE event, one PHASE transition on the bus per subscription
    const duplicates = await t.query(
      `SELECT event_json::json->>'eventId' AS event_id FROM notifications_history
       WHERE queue_name = 'subscription-events' AND search_key2 = $1 GROUP BY 1 HAVING count(*) > 1`,
      [tenantId],
    );
    const [notifications] = await t.query<{ count: string }>(
      `SELECT count(*) FROM notifications_history WHERE queue_name = 'subscription-events' AND search_key2 = $1`,
      [tenantId],
    );
    const [pending] = await t.query<{ count: string }>(`SELECT count(*) FROM notifications WHERE queue_name = 'subscription-events' AND search_key2 = $1`, [
      tenantId,
    ]);
    const [transitions] = await t.query<{ count: string }>(
      `SELECT count(*) FROM bus_events_history WHERE search_key2 = $1 AND event_json::json->>'transitionType' = 'PHASE'`,
      [tenantId],
    );
    if (duplicates.length > 0) throw new Error(`${duplicates.length} subscription events were processed more than once`);
    if (Number(notifications.count) !== SUBSCRIPTIONS || Number(pending.count) !== 0) {
      throw new Error(`expected ${SUBSCRIPTIONS} processed notifications and none pending, found ${notifications.count} and ${pending.count}`);
    }
    if (Number(transitions.count) !== SUBSCRIPTIONS) throw new Error(`expected ${SUBSCRIPTIONS} PHASE transitions on the bus, found ${transitions.count}`);
    for (const id of [subscriptionIds[0], subscriptionIds[SUBSCRIPTIONS - 1]]) {
      const json = (await t.http.get(`/1.0/kb/subscriptions/${id}`).set(tenant.headers).expect(200)).body as { phaseType: string };
      if (json.phaseType !== 'EVERGREEN') throw new Error(`subscription ${id} is in ${json.phaseType}, expected EVERGREEN`);
    }
    console.log(`checked: ${SUBSCRIPTIONS} notifications processed once each, ${transitions.count} PHASE transitions on the bus, none pending`);
  } finally {
    await t.close();
    await globalTeardown();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
