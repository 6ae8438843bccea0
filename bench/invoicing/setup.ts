/**
 * What the invoicing benchmarks share: a tenant on catalogTest.xml (pistol-monthly-notrial: $19.95 a
 * month in advance, no trial), a template subscription created over HTTP, and copies of its rows
 * (account, bundle, subscription, subscription events, blocking states) written in bulk with
 * `insertManyLikeSave`, so that each copy, its history rows and its audit rows look exactly like those
 * the API wrote for the template (`expectLikeTemplate` checks it, column by column).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EntityManager, EntityTarget } from 'typeorm';
import { Clock, insertManyLikeSave, newRequestContext, runWithContext, Transactions } from '@kb/platform';
import { AccountRow } from '@kb/account';
import { BlockingStateRow, BundleRow, SubscriptionEventRow, SubscriptionRow } from '@kb/entitlement';
import { createAccount, type TestApp, type TestTenant } from '../../test/support/test-app';

export const PLAN = 'pistol-monthly-notrial';
export const START = '2012-05-01T00:00:00.000Z';

export const ms = (value: number) => `${value.toFixed(0)} ms`;

export async function timed<T>(label: string, work: () => Promise<T>): Promise<{ value: T; millis: number }> {
  const start = performance.now();
  const value = await work();
  const millis = performance.now() - start;
  console.log(`${label}: ${ms(millis)}`);
  return { value, millis };
}

export interface BenchTenant extends TestTenant {
  readonly recordId: number;
}

/** A tenant with catalogTest.xml, its clock at START. */
export async function benchTenant(t: TestApp): Promise<BenchTenant> {
  const tenant = await t.createTenant();
  const xml = fs.readFileSync(path.resolve(__dirname, '../../test/fixtures/catalogs/catalogTest.xml'), 'utf8');
  await t.http
    .post('/1.0/kb/catalog/xml')
    .set({ ...tenant.headers, 'Content-Type': 'text/xml' })
    .send(xml)
    .expect(201);
  await t.http.post('/1.0/kb/test/clock').query({ requestedDate: START, timeoutSec: 10 }).set(tenant.headers).expect(200);
  const [row] = await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]);
  return { ...tenant, recordId: Number(row.record_id) };
}

/** The rows the API wrote for one account with one subscription. */
export interface Template {
  readonly account: AccountRow;
  readonly bundle: BundleRow;
  readonly subscription: SubscriptionRow;
  readonly events: SubscriptionEventRow[];
  readonly blockingStates: BlockingStateRow[];
}

/** An account and one PLAN subscription created over HTTP; the queues drained (its own invoice written). */
export async function templateOverHttp(t: TestApp, tenant: BenchTenant): Promise<Template> {
  const accountId = await createAccount(t, tenant, { name: 'Template', currency: 'USD', externalKey: `template-${randomUUID()}` });
  const created = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: PLAN }).expect(201);
  const subscriptionId = String(created.headers.location).split('/').pop() ?? '';
  await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 60 }).set(tenant.headers).expect(200);
  const manager = t.dataSource.manager;
  const account = await manager.findOneByOrFail(AccountRow, { id: accountId });
  const subscription = await manager.findOneByOrFail(SubscriptionRow, { id: subscriptionId });
  const bundle = await manager.findOneByOrFail(BundleRow, { id: subscription.bundleId });
  const events = await manager.find(SubscriptionEventRow, { where: { subscriptionId }, order: { recordId: 'ASC' } });
  const blockingStates = await manager.find(BlockingStateRow, { where: { accountRecordId: account.recordId }, order: { recordId: 'ASC' } });
  // The template's charged-through date (and its last updater, the system) come from its invoice: the copies are not invoiced yet.
  const uninvoiced = Object.assign(new SubscriptionRow(), subscription, {
    chargedThroughDate: null,
    updatedBy: subscription.createdBy,
    updatedDate: subscription.createdDate,
  });
  return { account, bundle, subscription: uninvoiced, events, blockingStates };
}

/** A copy of `row` as a new entity (no record id, so insertManyLikeSave draws one), with `changes`. */
function copyOf<T extends object>(type: new () => T, row: T, changes: Partial<T>): T {
  return Object.assign(new type(), row, { recordId: undefined }, changes);
}

export interface CopiedAccount {
  readonly id: string;
  readonly recordId: number;
  readonly subscriptionIds: string[];
}

/**
 * Writes `accounts` copies of the template's account (or, with `into`, uses that account), each with
 * `subscriptionsPerAccount` copies of its bundle and subscription, in one transaction of bulk writes.
 */
export async function copyTemplate(
  t: TestApp,
  tenant: BenchTenant,
  template: Template,
  options: { readonly accounts?: number; readonly into?: AccountRow; readonly subscriptionsPerAccount: number },
): Promise<CopiedAccount[]> {
  const transactions = t.app.get(Transactions);
  const clock = t.app.get(Clock);
  const context = newRequestContext({ tenant: { recordId: tenant.recordId }, createdBy: template.account.createdBy, userToken: randomUUID() });
  return runWithContext(context, () =>
    transactions.run(async () => {
      const manager = transactions.manager();
      const insert = <T extends object>(target: EntityTarget<T>, rows: T[]) => insertManyLikeSave(manager as EntityManager, target, rows, clock);
      const accounts = options.into
        ? [options.into]
        : await insert(
            AccountRow,
            Array.from({ length: options.accounts ?? 1 }, (_, i) =>
              copyOf(AccountRow, template.account, { id: randomUUID(), externalKey: `bench-${i}-${randomUUID()}`, name: `Bench ${i}` }),
            ),
          );
      const bundles: BundleRow[] = [];
      const subscriptions: SubscriptionRow[] = [];
      const events: SubscriptionEventRow[] = [];
      const states: BlockingStateRow[] = [];
      const copied: CopiedAccount[] = [];
      for (const account of accounts) {
        const owner = { accountId: account.id, accountRecordId: account.recordId };
        const subscriptionIds: string[] = [];
        for (let i = 0; i < options.subscriptionsPerAccount; i++) {
          const bundle = copyOf(BundleRow, template.bundle, { ...owner, id: randomUUID(), externalKey: randomUUID() });
          const subscription = copyOf(SubscriptionRow, template.subscription, {
            accountRecordId: account.recordId,
            id: randomUUID(),
            bundleId: bundle.id,
            externalKey: bundle.externalKey,
          });
          bundles.push(bundle);
          subscriptions.push(subscription);
          subscriptionIds.push(subscription.id);
          for (const event of template.events)
            events.push(copyOf(SubscriptionEventRow, event, { accountRecordId: account.recordId, id: randomUUID(), subscriptionId: subscription.id }));
          for (const state of template.blockingStates) {
            const blockableId =
              state.blockableId === template.subscription.id ? subscription.id : state.blockableId === template.bundle.id ? bundle.id : account.id;
            states.push(copyOf(BlockingStateRow, state, { accountRecordId: account.recordId, id: randomUUID(), blockableId }));
          }
        }
        copied.push({ id: account.id, recordId: account.recordId, subscriptionIds });
      }
      await insert(BundleRow, bundles);
      await insert(SubscriptionRow, subscriptions);
      await insert(SubscriptionEventRow, events);
      await insert(BlockingStateRow, states);
      return copied;
    }),
  );
}

/** Fails unless the copy's rows, history rows and audit rows equal the template's but for ids, keys and record ids. */
export async function expectLikeTemplate(t: TestApp, template: Template, copy: { accountRecordId: number; subscriptionId: string }): Promise<void> {
  const differs = new Set([
    'record_id',
    'id',
    'external_key',
    'name',
    'account_id',
    'account_record_id',
    'bundle_id',
    'subscription_id',
    'blockable_id',
    'target_record_id',
    'user_token',
    'charged_through_date',
    'created_date',
    'updated_date',
  ]);
  const shapeOf = async (accountRecordId: number) => {
    const shape: Record<string, unknown[]> = {};
    const tables: [string, string, number][] = [
      ['accounts', 'record_id', 1],
      ['bundles', 'account_record_id', 1],
      ['subscriptions', 'account_record_id', 1],
      ['subscription_events', 'account_record_id', template.events.length],
      ['blocking_states', 'account_record_id', template.blockingStates.length],
    ];
    for (const [table, column, count] of tables) {
      const strip = (rows: Record<string, unknown>[], also?: string) =>
        rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !differs.has(key) && key !== also)));
      // The template subscription was last updated by its invoicing (its charged-through date): its insert is compared through its history row.
      shape[table] = strip(
        await t.query(`SELECT * FROM ${table} WHERE ${column} = $1 ORDER BY record_id LIMIT ${count}`, [accountRecordId]),
        table === 'subscriptions' ? 'updated_by' : undefined,
      );
      // The template account's own history also holds its later updates (its bill cycle day): its copy starts from the row as it is now.
      if (table === 'accounts') continue;
      shape[`${table}_history`] = strip(
        await t.query(`SELECT * FROM ${table}_history WHERE ${column} = $1 AND change_type = 'INSERT' ORDER BY record_id LIMIT ${count}`, [accountRecordId]),
      );
      const [audit] = await t.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log a JOIN ${table}_history h ON h.record_id = a.target_record_id
          WHERE a.table_name = '${table}' AND a.change_type = 'INSERT' AND h.record_id IN
                (SELECT record_id FROM ${table}_history WHERE ${column} = $1 AND change_type = 'INSERT' ORDER BY record_id LIMIT ${count})`,
        [accountRecordId],
      );
      shape[`${table}_audit`] = [audit.n];
    }
    return shape;
  };
  const expected = await shapeOf(template.account.recordId);
  const actual = await shapeOf(copy.accountRecordId);
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    throw new Error(`the copied rows differ from the API's:\n${JSON.stringify(expected)}\n${JSON.stringify(actual)}`);
  }
  console.log(`checked: a copy's rows, history rows and audit rows equal those the API wrote (but for ids, keys and record ids)`);
}
