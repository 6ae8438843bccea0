/**
 * Bulk audited writes benchmark (not a test): the writes of one invoicing run of an account with
 * BENCH_BUNDLES (30,000) bundles, on the real application's data source (embedded PostgreSQL): in ONE
 * transaction, 30,000 invoice items inserted (`insertManyLikeSave`, each with its history and audit
 * row) and 30,000 subscriptions' charged-through dates set (`SubscriptionService.setChargedThroughDates`:
 * one load, `updateManyLikeSave`). Checks every row has its history and audit row, then prints the times.
 * Run with `npm run bench:bulk-writes`.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { Clock, insertManyLikeSave, newRequestContext, runWithContext, tenantRepository, Transactions } from '@kb/platform';
import { AccountRow } from '@kb/account';
import { BundleRow, SubscriptionRow, SubscriptionService } from '@kb/entitlement';
import { InvoiceItemRow } from '@kb/invoice';
import globalSetup from '../../test/support/global-setup';
import globalTeardown from '../../test/support/global-teardown';
import { startTestApp } from '../../test/support/test-app';

const BUNDLES = Number(process.env.BENCH_BUNDLES ?? 30_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; millis: number }> {
  const start = performance.now();
  const value = await work();
  const millis = performance.now() - start;
  console.log(`${label}: ${ms(millis)}`);
  return { value, millis };
}

async function main(): Promise<void> {
  await globalSetup();
  const t = await startTestApp();
  try {
    const tenant = await t.createTenant();
    const [{ record_id }] = await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]);
    const tenantRecordId = Number(record_id);
    const transactions = t.app.get(Transactions);
    const clock = t.app.get(Clock);
    const subscriptions = t.app.get(SubscriptionService);
    const run = <T>(work: () => Promise<T>) =>
      runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'bench', userToken: randomUUID() }), () => transactions.run(work));

    // The account with its bundles and one subscription each (set up in bulk too).
    const { value: account } = await timed(`set-up: 1 account, ${BUNDLES} bundles, ${BUNDLES} subscriptions`, () =>
      run(async () => {
        const manager = transactions.manager();
        const repository = tenantRepository(manager, AccountRow);
        const owner = await repository.save(
          repository.create({ id: randomUUID(), externalKey: `bulk-${randomUUID()}`, referenceTime: clock.now(), timeZone: 'UTC', currency: 'USD' }),
        );
        const common = { tenantRecordId, accountRecordId: owner.recordId, accountId: owner.id };
        const bundles = Array.from({ length: BUNDLES }, (_, i) =>
          Object.assign(new BundleRow(), {
            ...common,
            id: randomUUID(),
            externalKey: `bundle-${i}-${owner.id}`,
            originalCreatedDate: clock.now(),
            lastSysUpdateDate: null,
          }),
        );
        await insertManyLikeSave(manager, BundleRow, bundles, clock);
        const rows = bundles.map((bundle, i) =>
          Object.assign(new SubscriptionRow(), {
            tenantRecordId,
            accountRecordId: owner.recordId,
            id: randomUUID(),
            bundleId: bundle.id,
            externalKey: `subscription-${i}-${owner.id}`,
            category: 'BASE',
            startDate: clock.now(),
            bundleStartDate: clock.now(),
            chargedThroughDate: null,
            migrated: false,
          }),
        );
        await insertManyLikeSave(manager, SubscriptionRow, rows, clock);
        return { owner, bundles, subscriptions: rows };
      }),
    );

    const totals: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const invoiceId = randomUUID();
      const through = new Date(Date.UTC(2024, round, 1));
      const start = performance.now();
      await run(async () => {
        const manager = transactions.manager();
        const items = account.subscriptions.map((subscription) =>
          Object.assign(new InvoiceItemRow(), {
            tenantRecordId,
            accountRecordId: account.owner.recordId,
            id: randomUUID(),
            type: 'RECURRING',
            invoiceId,
            accountId: account.owner.id,
            childAccountId: null,
            bundleId: subscription.bundleId,
            subscriptionId: subscription.id,
            description: 'sports-monthly-evergreen',
            productName: 'Sports',
            planName: 'sports-monthly',
            phaseName: 'sports-monthly-evergreen',
            usageName: null,
            catalogEffectiveDate: new Date('2024-01-01T00:00:00Z'),
            startDate: LocalDate.of(2024, round, 1),
            endDate: LocalDate.of(2024, round + 1, 1),
            amount: new Big('29.95'),
            rate: new Big('29.95'),
            currency: 'USD',
            linkedItemId: null,
            quantity: null,
            itemDetails: null,
          }),
        );
        await timed(`  round ${round}: insertManyLikeSave ${items.length} invoice items`, () => insertManyLikeSave(manager, InvoiceItemRow, items, clock));
        const dates = new Map(account.subscriptions.map((subscription) => [subscription.id, through]));
        await timed(`  round ${round}: setChargedThroughDates ${dates.size} subscriptions`, () => subscriptions.setChargedThroughDates(manager, dates));
      });
      const total = performance.now() - start;
      totals.push(total);
      console.log(`round ${round}: ${BUNDLES} invoice items + ${BUNDLES} charged-through dates in one transaction (committed): ${ms(total)}`);
    }

    // Every row has its history and its audit row.
    const [counts] = await t.query<{ items: string; item_history: string; item_audit: string; ctd: string; sub_history: string; sub_audit: string }>(
      `SELECT (SELECT count(*) FROM invoice_items WHERE tenant_record_id = $1) AS items,
              (SELECT count(*) FROM invoice_items_history WHERE tenant_record_id = $1 AND change_type = 'INSERT') AS item_history,
              (SELECT count(*) FROM audit_log WHERE tenant_record_id = $1 AND table_name = 'invoice_items' AND change_type = 'INSERT') AS item_audit,
              (SELECT count(*) FROM subscriptions WHERE tenant_record_id = $1 AND charged_through_date = $2) AS ctd,
              (SELECT count(*) FROM subscriptions_history WHERE tenant_record_id = $1 AND change_type = 'UPDATE') AS sub_history,
              (SELECT count(*) FROM audit_log WHERE tenant_record_id = $1 AND table_name = 'subscriptions' AND change_type = 'UPDATE') AS sub_audit`,
      [tenantRecordId, new Date(Date.UTC(2024, ROUNDS, 1))],
    );
    const expected = String(BUNDLES * ROUNDS);
    const ok =
      counts.items === expected &&
      counts.item_history === expected &&
      counts.item_audit === expected &&
      counts.ctd === String(BUNDLES) &&
      counts.sub_history === expected &&
      counts.sub_audit === expected;
    console.log(JSON.stringify(counts));
    if (!ok) throw new Error(`Rows, history or audit rows missing: ${JSON.stringify(counts)}`);
    const sorted = [...totals].sort((a, b) => a - b);
    console.log(
      `one invoicing run's writes, ${BUNDLES} bundles: median ${ms(sorted[Math.floor(sorted.length / 2)])} (best ${ms(sorted[0])}) over ${ROUNDS} rounds`,
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
