import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const START = '2013-08-01T06:00:00.000Z';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

interface ItemRow {
  invoice_number: string;
  status: string;
  type: string;
  start_date: string;
  end_date: string | null;
  amount: string;
  linked_item_id: string | null;
  plan_name: string | null;
  phase_name: string | null;
}

/**
 * Invoicing as it runs by itself (bus events, next-billing-date notifications, the test clock) and
 * through `POST /invoices`, with SpyCarAdvanced and the amounts of the spec's worked examples.
 */
describe('Invoice generation', () => {
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
  // Moves forward from the current (flowing) test time, as Kill Bill's integration tests do: events created at 06:00:00.xxx come due.
  const addDays = (days: number) => t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(tenant.headers).expect(200);
  const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);

  async function subscribe(accountId: string, planName: string): Promise<string> {
    const response = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName }).expect(201);
    await drain();
    return idOf(response.headers.location);
  }

  /** The account's items, invoice by invoice (number order), as stored. */
  async function items(accountId: string): Promise<ItemRow[]> {
    return t.query<ItemRow>(
      `SELECT i.record_id::text AS invoice_number, i.status, it.type, it.start_date::text, it.end_date::text, it.amount::text, it.linked_item_id, it.plan_name, it.phase_name
         FROM invoice_items it JOIN invoices i ON i.id = it.invoice_id
        WHERE it.account_id = $1 ORDER BY i.record_id, it.record_id`,
      [accountId],
    );
  }
  const summary = (rows: ItemRow[]) => rows.map((row) => [row.type, row.start_date, row.end_date, Number(row.amount).toFixed(2)]);
  const invoiceCount = async (accountId: string) => new Set((await items(accountId)).map((row) => row.invoice_number)).size;

  it('trial to evergreen (E4): $0 trial invoice at creation, $500 on 2013-08-31 with BCD 31, CTD at the period end', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Sports', currency: 'USD' });
    const subscriptionId = await subscribe(accountId, 'sports-monthly');
    expect(summary(await items(accountId))).toEqual([['FIXED', '2013-08-01', '2013-08-31', '0.00']]);
    const account = (await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200)).body;
    expect(account.billCycleDayLocal).toBe(31);

    await addDays(30);
    expect(summary(await items(accountId))).toEqual([
      ['FIXED', '2013-08-01', '2013-08-31', '0.00'],
      ['RECURRING', '2013-08-31', '2013-09-30', '500.00'],
    ]);
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body;
    expect(subscription.chargedThroughDate).toBe('2013-09-30');

    // E4: an immediate cancel on 2013-09-10 repairs 20 of the 30 days and credits the account.
    await addDays(10);
    await t.http.delete(`/1.0/kb/subscriptions/${subscriptionId}`).query({ requestedDate: '2013-09-10', billingPolicy: 'IMMEDIATE' }).set(tenant.headers).expect(204);
    await drain();
    const rows = await items(accountId);
    const onInvoice = (n: number) => summary(rows.filter((row) => row.invoice_number === [...new Set(rows.map((r) => r.invoice_number))][n - 1]));
    expect(onInvoice(3)).toEqual([
      ['REPAIR_ADJ', '2013-09-10', '2013-09-30', '-333.33'],
      ['CBA_ADJ', '2013-09-10', '2013-09-10', '333.33'],
    ]);
    // No payment system yet: invoice #2 is unpaid, so it uses the credit at once (E4 pays it first).
    expect(onInvoice(2)).toEqual([
      ['RECURRING', '2013-08-31', '2013-09-30', '500.00'],
      ['CBA_ADJ', '2013-09-10', '2013-09-10', '-333.33'],
    ]);
    const balance = (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(tenant.headers).expect(200)).body;
    expect([balance.accountBalance, balance.accountCBA]).toEqual([166.67, 0]);
    expect(await invoiceCount(accountId)).toBe(3);
  });

  it('next billing dates: each month the clock reaches the period end, one invoice more (BCD 31 clamps to 30)', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Monthly', currency: 'USD' });
    await subscribe(accountId, 'sports-monthly');
    await addDays(30); // 2013-08-31
    await addDays(30); // 2013-09-30
    await addDays(31); // 2013-10-31
    const recurring = (await items(accountId)).filter((row) => row.type === 'RECURRING');
    expect(recurring.map((row) => [row.start_date, row.end_date, Number(row.amount).toFixed(2)])).toEqual([
      ['2013-08-31', '2013-09-30', '500.00'],
      ['2013-09-30', '2013-10-31', '500.00'],
      ['2013-10-31', '2013-11-30', '500.00'],
    ]);
  });

  it("next billing dates: one notification per account and day naming every subscription due (Kill Bill's uuidKeys), gaining later ones", async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Two due', currency: 'USD' });
    const pending = async () =>
      (
        await t.query<{ event_json: string }>(
          `SELECT n.event_json FROM notifications n JOIN accounts a ON a.record_id = n.search_key1
            WHERE a.id = $1 AND n.queue_name = 'invoice-next-billing-date' ORDER BY n.record_id`,
          [accountId],
        )
      ).map((row) => JSON.parse(row.event_json));
    const first = await subscribe(accountId, 'sports-monthly');
    await addDays(10); // 2013-08-11
    const second = await subscribe(accountId, 'sports-monthly');
    await addDays(20); // 2013-08-31: the first is billed to 2013-09-30
    expect(await pending()).toEqual([{ accountId, subscriptionIds: [first], targetDate: '2013-09-30' }]);
    // 2013-09-10: the second's trial ends, it is billed to the same day, and the pending notification gains it.
    await addDays(10);
    expect(await pending()).toEqual([{ accountId, subscriptionIds: [first, second], targetDate: '2013-09-30' }]);

    await addDays(20); // 2013-09-30: one run bills both, and the next day is one notification again.
    const billed = (await items(accountId)).filter((row) => row.type === 'RECURRING').map((row) => [row.start_date, row.end_date, Number(row.amount).toFixed(2)]);
    // Kill Bill's leading proration (calculateProRationBeforeFirstBillingPeriod): 20 of the 31 days from 2013-08-30, the period end minus a month.
    expect(billed).toEqual([
      ['2013-08-31', '2013-09-30', '500.00'],
      ['2013-09-10', '2013-09-30', '322.58'],
      ['2013-09-30', '2013-10-31', '500.00'],
      ['2013-09-30', '2013-10-31', '500.00'],
    ]);
    const next = await pending();
    expect(next).toEqual([{ accountId, subscriptionIds: expect.arrayContaining([first, second]), targetDate: '2013-10-31' }]);
    expect(next[0].subscriptionIds).toHaveLength(2);
  });

  it('POST /invoices: 201 to the invoice when something is due, a bare 404 when nothing is, 4005 too far ahead', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Api', currency: 'USD' });
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send(['00000000-0000-0000-0000-000000000002']).expect(201);
    await subscribe(accountId, 'sports-monthly');
    // AUTO_INVOICING_OFF: the system run did nothing, the API run invoices.
    expect(await invoiceCount(accountId)).toBe(0);
    const created = await t.http.post('/1.0/kb/invoices').query({ accountId }).set(tenant.headers).expect(201);
    expect(String(created.headers.location)).toMatch(/\/1\.0\/kb\/invoices\/[0-9a-f-]{36}\/$/);
    expect(await invoiceCount(accountId)).toBe(1);

    const nothing = await t.http.post('/1.0/kb/invoices').query({ accountId }).set(tenant.headers).expect(404);
    expect(nothing.text).toBe('');
    const tooFar = await t.http.post('/1.0/kb/invoices').query({ accountId, targetDate: '2017-08-02' }).set(tenant.headers).expect(400);
    expect(tooFar.body.code).toBe(4005);
    await t.http.post('/1.0/kb/invoices').query({ accountId, targetDate: '2013-13-01' }).set(tenant.headers).expect(400);
    await t.http.post('/1.0/kb/invoices').set(tenant.headers).expect(400);
    await t.http.post('/1.0/kb/invoices').query({ accountId: 'not-a-uuid' }).set(tenant.headers).expect(400);
    // Another tenant does not see the account.
    await t.http.post('/1.0/kb/invoices').query({ accountId }).set(other.headers).expect(404);
    expect(await invoiceCount(accountId)).toBe(1);
  });

  it('POST /invoices/group: 201 to the group, which GET /invoices/{groupId}/group answers; a bare 404 when nothing is due', async () => {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Group', currency: 'USD' });
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send(['00000000-0000-0000-0000-000000000002']).expect(201);
    await subscribe(accountId, 'sports-monthly');
    const created = await t.http.post('/1.0/kb/invoices/group').query({ accountId }).set(tenant.headers).expect(201);
    const location = String(created.headers.location);
    expect(location).toMatch(/\/1\.0\/kb\/invoices\/[0-9a-f-]{36}\/group$/);
    const groupId = location.split('/').slice(-2)[0];
    const group = (await t.http.get(`/1.0/kb/invoices/${groupId}/group`).query({ accountId }).set(tenant.headers).expect(200)).body;
    expect(group.map((invoice: { invoiceId: string }) => invoice.invoiceId)).toEqual([groupId]);
    const nothing = await t.http.post('/1.0/kb/invoices/group').query({ accountId }).set(tenant.headers).expect(404);
    expect(nothing.text).toBe('');
  });
});
