/**
 * One account's invoicing run benchmark (not a test): the real application in test mode on an
 * embedded PostgreSQL; one account with BENCH_BUNDLES (30,000) bundles of one pistol-monthly-notrial
 * subscription each (copies of one created over HTTP, written in bulk: see setup.ts), then ONE run,
 * `POST /1.0/kb/invoices?accountId=` over HTTP on the day every subscription starts. Prints the run's
 * time and where it went (the dispatcher's steps, timed around the services it calls), then checks the
 * invoice (30,000 items of $19.95), the charged-through dates and the next-billing-date notification.
 * Run with `npm run bench:invoicing-one-account`; add `--cpu-prof` to profile
 * (`node --cpu-prof -r @swc-node/register bench/invoicing/one-account.bench.ts`).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import Big from 'big.js';
import { Queues } from '@kb/platform';
import { BillingEventsService } from '@kb/entitlement';
import { ChargedThroughDates, InvoiceDispatcher, InvoiceStore, InvoiceWriter } from '@kb/invoice';
import globalSetup from '../../test/support/global-setup';
import globalTeardown from '../../test/support/global-teardown';
import { startTestApp } from '../../test/support/test-app';
import { measurePostgresFloor } from './postgres-floor';
import { benchTenant, copyTemplate, expectLikeTemplate, ms, templateOverHttp, timed } from './setup';

const BUNDLES = Number(process.env.BENCH_BUNDLES ?? 30_000);

/** Time spent in each wrapped method, by label (nested calls are counted in their own label and in their caller's). */
const spent = new Map<string, number>();
/** With --cpu-prof: each wrapped call's window on the profile's clock (µs), to split the profile by step. */
const windows: string[] = [];
const profiling = process.execArgv.includes('--cpu-prof');

function measure(prototype: object, method: string, label: string): void {
  const target = prototype as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method];
  target[method] = async function (this: unknown, ...args: unknown[]) {
    const start = performance.now();
    const from = process.hrtime.bigint() / 1000n;
    try {
      return await original.apply(this, args);
    } finally {
      spent.set(label, (spent.get(label) ?? 0) + performance.now() - start);
      if (profiling) windows.push(`step window: ${from} ${process.hrtime.bigint() / 1000n} ${label}`);
    }
  };
}

async function main(): Promise<void> {
  await globalSetup();
  const t = await startTestApp();
  try {
    const tenant = await benchTenant(t);
    const template = await templateOverHttp(t, tenant);
    const { value: account } = await timed(`set-up: 1 account, ${BUNDLES} bundles, subscriptions, events (bulk insertManyLikeSave)`, async () => {
      const [owner] = await copyTemplate(t, tenant, template, { accounts: 1, subscriptionsPerAccount: BUNDLES });
      return owner;
    });
    await expectLikeTemplate(t, template, { accountRecordId: account.recordId, subscriptionId: account.subscriptionIds[0] });

    measure(InvoiceDispatcher.prototype, 'run', 'run (under the account lock, in its transaction)');
    measure(BillingEventsService.prototype, 'forAccount', 'billing events load');
    measure(InvoiceStore.prototype, 'forAccount', 'invoices load (InvoiceStore.forAccount)');
    measure(Queues.prototype, 'removeFutureNotifications', 'notifications: remove future');
    measure(InvoiceDispatcher.prototype, 'scheduleNextBillingDates', 'notifications: schedule next billing dates');
    measure(ChargedThroughDates.prototype, 'set', 'charged-through dates');
    measure(InvoiceWriter.prototype, 'insertItems', 'items write (rows, history, audit)');
    measure(InvoiceWriter.prototype, 'rebalanceCredit', 'credit (engine on the invoices the run loaded, CBA items, events)');

    const window = process.hrtime.bigint() / 1000n;
    const start = performance.now();
    const response = await t.http.post('/1.0/kb/invoices').query({ accountId: account.id }).set(tenant.headers).expect(201);
    const total = performance.now() - start;
    const invoiceId = String(response.headers.location).split('/').filter(Boolean).pop() ?? '';
    // The run's window on the --cpu-prof clock (µs), to read its samples alone.
    if (profiling) {
      console.log(`profile window: ${window} ${process.hrtime.bigint() / 1000n}`);
      for (const line of windows) console.log(line);
    }
    console.log(`ONE run, ${BUNDLES} subscriptions, POST /1.0/kb/invoices over HTTP: ${ms(total)}`);
    const run = spent.get('run (under the account lock, in its transaction)') ?? 0;
    const steps = [...spent].filter(([label]) => !label.startsWith('run'));
    for (const [label, millis] of steps) console.log(`  ${label}: ${ms(millis)}`);
    // The credit step reads the invoices the run loaded (an InvoiceStore reload, by another caller, would be inside its own time).
    const outside = [
      'billing events load',
      'invoices load (InvoiceStore.forAccount)',
      'notifications: schedule next billing dates',
      'charged-through dates',
      'items write (rows, history, audit)',
      'credit (engine on the invoices the run loaded, CBA items, events)',
    ];
    const named = outside.reduce((sum, label) => sum + (spent.get(label) ?? 0), 0);
    console.log(`  generator, flags, usage, invoice row, commit (the rest of the run, approx.): ${ms(run - named)}`);
    console.log(`  HTTP, lock, transaction begin (outside the run): ${ms(total - run)}`);

    // What the run wrote.
    const [invoice] = await t.query<{ items: string; amount: string }>(
      `SELECT count(*) AS items, coalesce(sum(amount), 0) AS amount FROM invoice_items WHERE invoice_id = $1 AND type = 'RECURRING'`,
      [invoiceId],
    );
    const [history] = await t.query<{ n: string }>(`SELECT count(*) AS n FROM invoice_items_history h WHERE invoice_id = $1 AND change_type = 'INSERT'`, [
      invoiceId,
    ]);
    const [ctd] = await t.query<{ n: string }>(
      `SELECT count(*) AS n FROM subscriptions WHERE account_record_id = $1 AND charged_through_date = '2012-06-01T00:00:00Z'`,
      [account.recordId],
    );
    // Kill Bill's one next-billing-date notification per account and day, naming every subscription due.
    const [notifications] = await t.query<{ n: string; subscriptions: string }>(
      `SELECT count(*) AS n, sum(json_array_length(event_json::json -> 'subscriptionIds')) AS subscriptions FROM notifications
        WHERE search_key1 = $1 AND queue_name = 'invoice-next-billing-date' AND effective_date = '2012-06-01T00:00:00Z'`,
      [account.recordId],
    );
    const expectedAmount = new Big('19.95').times(BUNDLES);
    const counts = {
      items: Number(invoice.items),
      amount: invoice.amount,
      history: Number(history.n),
      chargedThrough: Number(ctd.n),
      notifications: Number(notifications.n),
      notifiedSubscriptions: Number(notifications.subscriptions),
    };
    console.log(`checked: ${JSON.stringify(counts)}`);
    if (
      counts.items !== BUNDLES ||
      !new Big(counts.amount).eq(expectedAmount) ||
      counts.history !== BUNDLES ||
      counts.chargedThrough !== BUNDLES ||
      counts.notifications !== 1 ||
      counts.notifiedSubscriptions !== BUNDLES
    ) {
      throw new Error(`the run did not write what it should: ${JSON.stringify(counts)}`);
    }

    // The same minutes, the same database: what PostgreSQL alone needs for the run's rows.
    const floor = await measurePostgresFloor(t.dataSource, account.recordId, invoiceId);
    console.log(
      `PostgreSQL alone, the same rows generated in SQL (${floor.rows} rows, one transaction, rolled back): ` +
        `items with history and audit ${ms(floor.itemsMillis)}, charged-through dates with history and audit ${ms(floor.chargedThroughMillis)}, ` +
        `together ${ms(floor.itemsMillis + floor.chargedThroughMillis)} (the run: ${ms(total)})`,
    );
  } finally {
    await t.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
