import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const TEST_PLUGIN = 'killbill-payment-test';
const FIXTURES = join(__dirname, '../fixtures');
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

interface ItemJson {
  itemType: string;
  startDate: string | null;
  endDate: string | null;
  amount: number;
}
interface InvoiceJson {
  invoiceId: string;
  invoiceDate: string;
  amount: number;
  balance: number;
  items: ItemJson[];
}

/**
 * Worked example E10 (Kill Bill's beatrix TestOverdueIntegration#testOverdueStages1): the Firearms
 * catalog (catalogTest.xml), Shotgun monthly with a 30-day trial, every payment failing, the
 * OD1 (30 days) / OD2 (40) / OD3 (50) ladder of that test, driven by the test clock.
 */
describe('Overdue over HTTP (E10: OD1 → OD2 → OD3 → clear)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    await t.http.post('/1.0/kb/catalog/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(readFileSync(join(FIXTURES, 'catalogs/catalogTest.xml'), 'utf8')).expect(201);
    await t.http.post('/1.0/kb/overdue/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(readFileSync(join(FIXTURES, 'overdue/OverdueIntegration.xml'), 'utf8')).expect(201);
  });
  afterAll(() => t.close());

  const h = () => tenant.headers;
  const setClock = (requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(h()).expect(200);
  const addDays = async (days: number) => {
    await t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(h()).expect(200);
    await drain();
  };
  const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(h()).expect(200);
  const overdueState = async (accountId: string) => (await t.http.get(`/1.0/kb/accounts/${accountId}/overdue`).set(h()).expect(200)).body;
  const stateName = async (accountId: string) => (await overdueState(accountId)).name as string;
  const invoices = async (accountId: string): Promise<InvoiceJson[]> =>
    (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).query({ includeInvoiceComponents: true }).set(h()).expect(200)).body as InvoiceJson[];
  const accountTags = async (accountId: string) => ((await t.http.get(`/1.0/kb/accounts/${accountId}/tags`).set(h()).expect(200)).body as { tagDefinitionName: string }[]).map((tag) => tag.tagDefinitionName);
  const subscription = async (id: string) => (await t.http.get(`/1.0/kb/subscriptions/${id}`).set(h()).expect(200)).body;
  const overdueBlockingStates = async (accountId: string) =>
    ((await t.http.get(`/1.0/kb/accounts/${accountId}/block`).query({ blockingStateSvcs: 'overdue-service' }).set(h()).expect(200)).body as {
      stateName: string;
      isBlockChange: boolean;
      isBlockEntitlement: boolean;
      isBlockBilling: boolean;
      effectiveDate: string;
    }[]);
  const overdueChanges = async (accountId: string) =>
    (
      await t.query<{ event_json: string }>(
        `SELECT event_json FROM bus_events_history WHERE class_name = 'OVERDUE_CHANGE' AND event_json::jsonb ->> 'accountId' = $1 ORDER BY record_id`,
        [accountId],
      )
    ).map((row) => JSON.parse(row.event_json));
  const items = (invoice: InvoiceJson | undefined) => (invoice?.items ?? []).map((item) => [item.itemType, item.startDate, item.endDate, item.amount]);

  it('walks the ladder at the evaluation dates, blocks as each state says, and clears when everything is paid', async () => {
    await setClock('2012-05-01T00:03:42.000Z');
    const accountId = await createAccount(t, tenant, { name: 'overdue', currency: 'USD', billCycleDayLocal: 0 });
    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(h()).send({ pluginName: TEST_PLUGIN }).expect(201);
    await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(h()).send({ CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', METHODS: 'purchasePayment' }).expect(200);
    const created = await t.http.post('/1.0/kb/subscriptions').set(h()).send({ accountId, planName: 'shotgun-monthly' }).expect(201);
    const subscriptionId = idOf(created.headers.location);
    await drain();
    expect(await overdueState(accountId)).toEqual({
      name: '__KILLBILL__CLEAR__OVERDUE_STATE__',
      externalMessage: '',
      isDisableEntitlementAndChangesBlocked: false,
      isBlockChanges: false,
      isClearState: true,
      reevaluationIntervalDays: null,
    });

    await addDays(30); // 2012-05-31: out of trial, 249.95 unpaid
    expect(items((await invoices(accountId)).find((invoice) => invoice.invoiceDate === '2012-05-31'))).toEqual([['RECURRING', '2012-05-31', '2012-06-30', 249.95]]);
    for (const days of [8, 8, 8]) {
      await addDays(days); // 06-08, 06-16, 06-24: retries fail, still clear (30 days not reached)
      expect(await stateName(accountId)).toBe('__KILLBILL__CLEAR__OVERDUE_STATE__');
    }

    await addDays(6); // 2012-06-30: OD1, changes blocked
    expect(await overdueState(accountId)).toEqual({
      name: 'OD1',
      externalMessage: 'Reached OD1',
      isDisableEntitlementAndChangesBlocked: false,
      isBlockChanges: true,
      isClearState: false,
      reevaluationIntervalDays: 10,
    });
    const refused = await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).set(h()).send({ planName: 'pistol-monthly' }).expect(400);
    expect(refused.body.code).toBe(6000);
    expect(items((await invoices(accountId)).find((invoice) => invoice.invoiceDate === '2012-06-30'))).toEqual([['RECURRING', '2012-06-30', '2012-07-31', 249.95]]);
    expect(await accountTags(accountId)).not.toContain('AUTO_INVOICING_OFF');
    expect((await subscription(subscriptionId)).state).toBe('ACTIVE');

    await addDays(2); // 07-02
    await addDays(6); // 07-08
    expect(await stateName(accountId)).toBe('OD1');

    await addDays(2); // 2012-07-10: OD2, billing and entitlement blocked
    expect(await stateName(accountId)).toBe('OD2');
    expect(await accountTags(accountId)).toContain('AUTO_INVOICING_OFF');
    expect((await subscription(subscriptionId)).state).toBe('BLOCKED');

    await addDays(6); // 07-16
    await addDays(2); // 07-18
    expect(await stateName(accountId)).toBe('OD2');

    await addDays(2); // 2012-07-20: OD3
    expect(await stateName(accountId)).toBe('OD3');
    expect((await overdueBlockingStates(accountId)).map((state) => [state.stateName, state.isBlockChange, state.isBlockEntitlement, state.isBlockBilling, state.effectiveDate.slice(0, 10)])).toEqual([
      ['OD1', true, false, false, '2012-06-30'],
      ['OD2', true, true, true, '2012-07-10'],
      ['OD3', true, true, true, '2012-07-20'],
    ]);

    // pay everything: back to clear, billing resumes with a credit for the blocked 07-10 → 07-20
    await t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(h()).send({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200);
    // most recent first, as Kill Bill's test does: the state only flips with the last (oldest) one
    const unpaid = (await invoices(accountId)).filter((invoice) => invoice.balance > 0).sort((a, b) => b.invoiceDate.localeCompare(a.invoiceDate));
    expect(unpaid.map((invoice) => invoice.invoiceDate)).toEqual(['2012-06-30', '2012-05-31']);
    for (const invoice of unpaid) {
      const paid = await t.http.post(`/1.0/kb/invoices/${invoice.invoiceId}/payments`).set(h()).send({ accountId, purchasedAmount: invoice.balance });
      expect([paid.status, paid.status === 201 ? null : paid.body]).toEqual([201, null]);
      await drain();
    }
    expect(await stateName(accountId)).toBe('__KILLBILL__CLEAR__OVERDUE_STATE__');
    expect(await accountTags(accountId)).not.toContain('AUTO_INVOICING_OFF');
    expect((await subscription(subscriptionId)).state).toBe('ACTIVE');
    const repair = (await invoices(accountId)).find((invoice) => invoice.items.some((item) => item.itemType === 'REPAIR_ADJ'));
    expect(items(repair)).toEqual(
      expect.arrayContaining([
        ['REPAIR_ADJ', '2012-07-10', '2012-07-20', -80.63],
        ['CBA_ADJ', '2012-07-20', '2012-07-20', 80.63],
      ]),
    );
    expect((await overdueChanges(accountId)).map((event) => [event.previousOverdueStateName, event.nextOverdueStateName, event.isBlockedBilling, event.isUnblockedBilling])).toEqual([
      ['__KILLBILL__CLEAR__OVERDUE_STATE__', 'OD1', false, false],
      ['OD1', 'OD2', true, false],
      ['OD2', 'OD3', false, false],
      ['OD3', '__KILLBILL__CLEAR__OVERDUE_STATE__', false, true],
    ]);

    await addDays(11); // 2012-07-31: the next period, paid with the credit first
    const next = (await invoices(accountId)).find((invoice) => invoice.invoiceDate === '2012-07-31');
    expect(items(next)).toEqual(
      expect.arrayContaining([
        ['RECURRING', '2012-07-31', '2012-08-31', 249.95],
        ['CBA_ADJ', '2012-07-31', '2012-07-31', -80.63],
      ]),
    );
    const balance = (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(h()).expect(200)).body.accountBalance;
    expect(balance).toBe(0);
  });

  it('GET /accounts/{id}/overdue: 404 for an unknown account, 400 for a bad id', async () => {
    await t.http.get('/1.0/kb/accounts/2f4a3b1c-0000-4000-8000-000000000000/overdue').set(h()).expect(404);
    await t.http.get('/1.0/kb/accounts/not-a-uuid/overdue').set(h()).expect(400);
  });
});
