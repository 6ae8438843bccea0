import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const START = '2013-08-01T06:00:00.000Z';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

interface JsonItem {
  itemType: string;
  startDate: string;
  endDate: string | null;
  amount: number;
}

/**
 * `POST /invoices/dryRun` with SpyCarAdvanced: what a run would invoice (by target date, the next
 * upcoming invoice, after a hypothetical change, cancel or new subscription), never stored.
 */
describe('Invoice dry run', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  const setClock = (requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(tenant.headers).expect(200);
  const addDays = (days: number) => t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(tenant.headers).expect(200);
  const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
  const dryRun = (query: Record<string, string>, body?: Record<string, unknown>) => {
    const request = t.http.post('/1.0/kb/invoices/dryRun').query(query).set(tenant.headers);
    return body === undefined ? request : request.send(body);
  };
  const summary = (items: JsonItem[]) => items.map((item) => [item.itemType, item.startDate, item.endDate, Number(item.amount).toFixed(2)]);

  async function subscribe(accountId: string, planName: string): Promise<{ subscriptionId: string; bundleId: string }> {
    const response = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName }).expect(201);
    await drain();
    const subscriptionId = idOf(response.headers.location);
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body;
    return { subscriptionId, bundleId: subscription.bundleId };
  }

  /** Rows a dry run must leave alone: invoices, items, notifications, bus events, the account's BCD. */
  async function footprint(accountId: string) {
    const [row] = await t.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM invoices WHERE account_id = $1)::text AS invoices,
              (SELECT count(*) FROM invoice_items WHERE account_id = $1)::text AS items,
              (SELECT count(*) FROM notifications)::text AS notifications,
              (SELECT count(*) FROM notifications_history)::text AS notifications_history,
              (SELECT count(*) FROM bus_events_history)::text AS bus_events,
              (SELECT billing_cycle_day_local::text FROM accounts WHERE id = $1) AS bcd`,
      [accountId],
    );
    return row;
  }

  /** The stored items of the account's latest invoice. */
  async function latestInvoiceItems(accountId: string): Promise<string[][]> {
    const rows = await t.query<{ type: string; start_date: string; end_date: string | null; amount: string }>(
      `SELECT it.type, it.start_date::text, it.end_date::text, it.amount::text FROM invoice_items it
        WHERE it.invoice_id = (SELECT id FROM invoices WHERE account_id = $1 ORDER BY record_id DESC LIMIT 1) ORDER BY it.record_id`,
      [accountId],
    );
    return rows.map((row) => [row.type, row.start_date, row.end_date ?? null, Number(row.amount).toFixed(2)] as string[]);
  }

  it('TARGET_DATE at the trial end: the first recurring period, nothing stored; nothing due is a bare 204', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Target', currency: 'USD' });
    await subscribe(accountId, 'sports-monthly');
    const before = await footprint(accountId);

    const response = await dryRun({ accountId, targetDate: '2013-08-31' }, { dryRunType: 'TARGET_DATE' }).expect(200);
    expect(summary(response.body.items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);
    expect(response.body).toMatchObject({ accountId, invoiceNumber: null, status: 'COMMITTED', targetDate: '2013-08-31', invoiceDate: '2013-08-01', amount: 500, balance: 500, creditAdj: 0 });
    expect(response.body.invoiceId).toMatch(/^[0-9a-f-]{36}$/);
    const invoiceIds = (await t.query<{ id: string }>(`SELECT id FROM invoices WHERE account_id = $1`, [accountId])).map((row) => row.id);
    expect(invoiceIds).not.toContain(response.body.invoiceId);

    // No body at all reads as TARGET_DATE.
    const bare = await dryRun({ accountId, targetDate: '2013-08-31' }).expect(200);
    expect(summary(bare.body.items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);
    // Two months ahead: the periods in between are replayed, the target date's invoice is the second one.
    const later = await dryRun({ accountId, targetDate: '2013-09-30' }).expect(200);
    expect(summary(later.body.items)).toEqual([['RECURRING', '2013-09-30', '2013-10-31', '500.00']]);
    // A target between boundaries: the last boundary's invoice.
    const between = await dryRun({ accountId, targetDate: '2013-09-10' }).expect(200);
    expect(summary(between.body.items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);

    const nothing = await dryRun({ accountId, targetDate: '2013-08-15' }, {}).expect(204);
    expect(nothing.text).toBe('');
    // Today was invoiced already.
    await dryRun({ accountId }).expect(204);
    expect(await footprint(accountId)).toEqual(before);
  });

  it('UPCOMING_INVOICE: the next renewal, whatever the target date; filtered by subscription', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Upcoming', currency: 'USD' });
    const { subscriptionId, bundleId } = await subscribe(accountId, 'sports-monthly');
    const empty = await createAccount(t, tenant, { name: 'Empty', currency: 'USD' });
    // Its ACCOUNT_CREATION has subscribers (push notifications): delivered before the footprint is taken.
    await drain();
    const before = await footprint(accountId);
    const response = await dryRun({ accountId, targetDate: '2013-08-02' }, { dryRunType: 'UPCOMING_INVOICE' }).expect(200);
    expect(summary(response.body.items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);
    const filtered = await dryRun({ accountId }, { dryRunType: 'UPCOMING_INVOICE', subscriptionId }).expect(200);
    expect(summary(filtered.body.items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);
    const byBundle = await dryRun({ accountId }, { dryRunType: 'UPCOMING_INVOICE', bundleId }).expect(200);
    expect(summary(byBundle.body.items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);
    // An account with nothing ahead: 204.
    await dryRun({ accountId: empty }, { dryRunType: 'UPCOMING_INVOICE' }).expect(204);
    expect(await footprint(accountId)).toEqual(before);
  });

  it('SUBSCRIPTION_ACTION CHANGE IMMEDIATE shows exactly what the real change then invoices', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Change', currency: 'USD' });
    const { subscriptionId, bundleId } = await subscribe(accountId, 'sports-monthly');
    await addDays(30); // 2013-08-31: [08-31, 09-30) 500
    await addDays(10); // 2013-09-10
    const before = await footprint(accountId);

    const spec = { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'CHANGE', subscriptionId, bundleId, planName: 'super-monthly', billingPolicy: 'IMMEDIATE' };
    const response = await dryRun({ accountId }, spec).expect(200);
    const expected = [
      // The leading partial period is prorated over the BCD period it falls in ([08-30, 09-30): 20/31).
      ['RECURRING', '2013-09-10', '2013-09-30', '645.16'],
      ['REPAIR_ADJ', '2013-09-10', '2013-09-30', '-333.33'],
    ];
    expect(summary(response.body.items)).toEqual(expected);
    expect(response.body).toMatchObject({ amount: 311.83, balance: 311.83, invoiceNumber: null });
    expect(await footprint(accountId)).toEqual(before);
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body;
    expect(subscription.planName).toBe('sports-monthly');

    await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'IMMEDIATE' }).set(tenant.headers).send({ planName: 'super-monthly' }).expect(204);
    await drain();
    expect(await latestInvoiceItems(accountId)).toEqual(summary(response.body.items));
  });

  it('SUBSCRIPTION_ACTION STOP_BILLING shows the repair and the credit it generates; START_BILLING the first invoice of a new subscription', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Stop', currency: 'USD' });
    const { subscriptionId, bundleId } = await subscribe(accountId, 'sports-monthly');
    await addDays(30);
    await addDays(10); // 2013-09-10
    const before = await footprint(accountId);

    const stop = await dryRun({ accountId }, { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'STOP_BILLING', subscriptionId, bundleId, billingPolicy: 'IMMEDIATE' }).expect(200);
    expect(summary(stop.body.items)).toEqual([
      ['REPAIR_ADJ', '2013-09-10', '2013-09-30', '-333.33'],
      ['CBA_ADJ', '2013-09-10', '2013-09-10', '333.33'],
    ]);
    expect(stop.body).toMatchObject({ amount: -333.33, creditAdj: 333.33, balance: 0 });

    // By product, in a new bundle: the trial's $0 fixed item.
    const start = await dryRun(
      { accountId },
      { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'START_BILLING', productName: 'Standard', productCategory: 'BASE', billingPeriod: 'MONTHLY', priceListName: 'DEFAULT' },
    ).expect(200);
    expect(summary(start.body.items)).toEqual([['FIXED', '2013-09-10', '2013-10-10', '0.00']]);
    expect(await footprint(accountId)).toEqual(before);

    // An effective date ahead: the change's invoice on that day.
    const ahead = await dryRun(
      { accountId, targetDate: '2013-09-20' },
      { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'STOP_BILLING', subscriptionId, bundleId, effectiveDate: '2013-09-20' },
    ).expect(200);
    expect(summary(ahead.body.items)).toEqual([
      ['REPAIR_ADJ', '2013-09-20', '2013-09-30', '-166.67'],
      ['CBA_ADJ', '2013-09-10', '2013-09-10', '166.67'],
    ]);
  });

  it('bad specs are 400, an unknown account or one of another tenant 404', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Errors', currency: 'USD' });
    const { subscriptionId, bundleId } = await subscribe(accountId, 'sports-monthly');
    const both = await dryRun({ accountId }, { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'CHANGE', subscriptionId, bundleId, planName: 'super-monthly', productName: 'Super' }).expect(400);
    expect(both.body.message).toBe('DryRun subscription productName should not be set when planName is specified');
    const noSubscription = await dryRun({ accountId }, { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'CHANGE', bundleId, planName: 'super-monthly' }).expect(400);
    expect(noSubscription.body.message).toBe('DryRun subscriptionID should be specified');
    const noPlan = await dryRun({ accountId }, { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'START_BILLING', productName: 'Super' }).expect(400);
    expect(noPlan.body.message).toBe('DryRun subscription billingPeriod should be specified when no planName is specified');
    const badEnum = await dryRun({ accountId }, { dryRunType: 'SOMETIME' }).expect(400);
    expect(badEnum.body.message).toMatch(/dryRunType/);
    await dryRun({ accountId, targetDate: 'not-a-date' }).expect(400);
    await dryRun({ accountId }, { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'PAUSE_BILLING' }).expect(400);
    await dryRun({}).expect(400);

    const unknown = await dryRun({ accountId: '6f1c2a3e-0000-4000-8000-000000000000' }).expect(404);
    expect(unknown.body.code).toBe(3002);
    await t.http.post('/1.0/kb/invoices/dryRun').query({ accountId }).set(other.headers).expect(404);
  });
});
