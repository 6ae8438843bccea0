/**
 * Bill run benchmark (not a test): the real application in test mode on an embedded PostgreSQL;
 * BENCH_ACCOUNTS (10,000) accounts of one pistol-monthly-notrial subscription each (copies of one
 * created over HTTP, written in bulk: see setup.ts). Each account gets the next-billing-date
 * notification its subscription's creation would have led to, due now, and the system invoices them
 * once (the set-up's first invoices, timed too). Then the test clock moves one month
 * (`PUT /1.0/kb/test/clock?months=1&timeoutSec=600`, which answers once the queues are drained): every
 * account is invoiced again by its notification, each run under the account's lock. Prints invoices
 * per second and the total time, then checks one new invoice per account.
 * Run with `npm run bench:invoicing-bill-run` (queue settings as in the tests unless BENCH_CLAIMED /
 * BENCH_SLEEP give `org.killbill.notificationq.main.claimed` / `.sleep`; BENCH_ANALYZE=1 analyzes the copied rows first).
 * BENCH_PAY=1 gives every account `__EXTERNAL_PAYMENT__` as its default payment method (over HTTP), so
 * each invoice is also paid automatically (INVOICE_CREATION → invoice payment): the bill run then
 * counts accounts billed and paid, and checks one successful payment per new invoice.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { newRequestContext, Queues, runWithContext, Transactions } from '@kb/platform';
import { NextBillingDateQueue } from '@kb/invoice';
import globalSetup from '../../test/support/global-setup';
import globalTeardown from '../../test/support/global-teardown';
import { startTestApp } from '../../test/support/test-app';
import { benchTenant, copyTemplate, expectLikeTemplate, ms, START, templateOverHttp, timed } from './setup';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);

const perSecond = (count: number, millis: number) => `${((count * 1000) / millis).toFixed(1)} invoices/s`;

async function main(): Promise<void> {
  await globalSetup();
  const properties: Record<string, string> = {};
  if (process.env.BENCH_CLAIMED) properties['org.killbill.notificationq.main.claimed'] = process.env.BENCH_CLAIMED;
  if (process.env.BENCH_SLEEP) properties['org.killbill.notificationq.main.sleep'] = process.env.BENCH_SLEEP;
  const t = await startTestApp(properties);
  try {
    const tenant = await benchTenant(t);
    const template = await templateOverHttp(t, tenant);
    const { value: accounts } = await timed(`set-up: ${ACCOUNTS} accounts, bundles, subscriptions, events (bulk insertManyLikeSave)`, () =>
      copyTemplate(t, tenant, template, { accounts: ACCOUNTS, subscriptionsPerAccount: 1 }),
    );
    await expectLikeTemplate(t, template, { accountRecordId: accounts[0].recordId, subscriptionId: accounts[0].subscriptionIds[0] });
    const paying = process.env.BENCH_PAY === '1';
    if (paying) {
      await timed(`set-up: an __EXTERNAL_PAYMENT__ default payment method on each of ${ACCOUNTS} accounts (over HTTP)`, async () => {
        for (const account of accounts) {
          await t.http.post(`/1.0/kb/accounts/${account.id}/paymentMethods`).query({ isDefault: 'true' }).set(tenant.headers).send({ pluginName: '__EXTERNAL_PAYMENT__' }).expect(201);
        }
      });
    }

    // The notification each subscription's creation leads to (its first invoice is due at once), as the system schedules it.
    const transactions = t.app.get(Transactions);
    const queues = t.app.get(Queues);
    await runWithContext(newRequestContext({ tenant: { recordId: tenant.recordId }, createdBy: 'bench', userToken: randomUUID() }), () =>
      transactions.run(async () => {
        for (const account of accounts) {
          await queues.schedule(
            NextBillingDateQueue,
            new Date(START),
            { accountId: account.id, subscriptionIds: account.subscriptionIds, targetDate: START.slice(0, 10) },
            { accountRecordId: account.recordId, tenantRecordId: tenant.recordId },
          );
        }
      }),
    );
    // BENCH_ANALYZE=1: planner statistics for the rows just copied in bulk, as autovacuum soon keeps them in a live database
    // (without, until autovacuum runs, most per-account queries of a run filter the tenant's rows through a tenant_record_id index).
    if (process.env.BENCH_ANALYZE === '1') await timed('set-up: ANALYZE', () => t.query('ANALYZE'));
    const first = await timed(`set-up: the first invoice of each of ${ACCOUNTS} accounts (queue drained)`, () =>
      t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 600 }).set(tenant.headers).expect(200),
    );
    console.log(`  ${perSecond(ACCOUNTS, first.millis)}`);
    const invoicesOf = async () =>
      Number(
        (
          await t.query<{ n: string }>(`SELECT count(*) AS n FROM invoices WHERE tenant_record_id = $1 AND account_id <> $2`, [
            tenant.recordId,
            template.account.id,
          ])
        )[0].n,
      );
    if ((await invoicesOf()) !== ACCOUNTS) throw new Error(`expected ${ACCOUNTS} first invoices, found ${await invoicesOf()}`);

    const start = performance.now();
    await t.http.put('/1.0/kb/test/clock').query({ months: 1, timeoutSec: 600 }).set(tenant.headers).expect(200);
    const total = performance.now() - start;
    console.log(`bill run: clock moved one month, ${ACCOUNTS} accounts invoiced${paying ? ' and paid' : ''} in ${ms(total)}: ${perSecond(ACCOUNTS, total)}`);

    const [check] = await t.query<{ invoices: string; accounts: string; items: string }>(
      `SELECT count(*) AS invoices, count(DISTINCT account_id) AS accounts,
              (SELECT count(*) FROM invoice_items i WHERE i.tenant_record_id = $1 AND i.account_id <> $2 AND i.start_date = '2012-06-01' AND i.type = 'RECURRING') AS items
         FROM invoices WHERE tenant_record_id = $1 AND account_id <> $2 AND target_date = '2012-06-01'`,
      [tenant.recordId, template.account.id],
    );
    console.log(`checked: ${JSON.stringify(check)}`);
    if (Number(check.accounts) !== ACCOUNTS || Number(check.invoices) !== ACCOUNTS || Number(check.items) !== ACCOUNTS) {
      throw new Error(`expected one new invoice of one item per account: ${JSON.stringify(check)}`);
    }
    if (paying) {
      const [paid] = await t.query<{ payments: string; unpaid: string }>(
        `SELECT count(*) AS payments,
                (SELECT count(*) FROM invoices i WHERE i.tenant_record_id = $1 AND i.account_id <> $2 AND i.target_date = '2012-06-01'
                    AND NOT EXISTS (SELECT 1 FROM invoice_payments ip WHERE ip.invoice_id = i.id AND ip.status = 'SUCCESS')) AS unpaid
           FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
          WHERE i.tenant_record_id = $1 AND i.account_id <> $2 AND i.target_date = '2012-06-01' AND p.status = 'SUCCESS' AND p.type = 'ATTEMPT'`,
        [tenant.recordId, template.account.id],
      );
      console.log(`paid: ${JSON.stringify(paid)}`);
      if (Number(paid.payments) !== ACCOUNTS || Number(paid.unpaid) !== 0) throw new Error(`expected every new invoice paid once: ${JSON.stringify(paid)}`);
    }
  } finally {
    await t.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
