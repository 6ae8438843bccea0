import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const START = '2013-08-01T06:00:00.000Z';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

/** DELETE /accounts/{id} with the flags that act on subscriptions and invoices (Kill Bill's AccountResource#closeAccount). */
describe('Closing an account with subscriptions and invoices', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  const setClock = (requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(tenant.headers).expect(200);
  const addDays = (days: number) => t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(tenant.headers).expect(200);
  const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
  const invoicesOf = async (accountId: string) =>
    (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).query({ includeInvoiceComponents: true }).set(tenant.headers).expect(200)).body as {
      invoiceId: string;
      balance: number;
      amount: number;
      items: { itemType: string; amount: number; linkedInvoiceItemId: string | null }[];
    }[];
  const balanceOf = async (accountId: string) =>
    (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalance: true }).set(tenant.headers).expect(200)).body.accountBalance as number;

  /** An account owing the first $500 period of sports-monthly (2013-08-31). */
  async function owingAccount(): Promise<{ accountId: string; subscriptionId: string }> {
    await setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Closing', currency: 'USD' });
    const created = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'sports-monthly' }).expect(201);
    await drain();
    await addDays(30);
    expect(await balanceOf(accountId)).toBe(500);
    return { accountId, subscriptionId: idOf(created.headers.location) };
  }

  it('writeOffUnpaidInvoices: the unpaid invoice is tagged WRITTEN_OFF and owes nothing', async () => {
    const { accountId } = await owingAccount();
    await t.http.delete(`/1.0/kb/accounts/${accountId}`).query({ writeOffUnpaidInvoices: true }).set(tenant.headers).expect(204);
    const invoices = await invoicesOf(accountId);
    const owed = invoices.find((invoice) => invoice.amount === 500)!;
    expect(owed.balance).toBe(0);
    const tags = (await t.http.get(`/1.0/kb/invoices/${owed.invoiceId}/tags`).set(tenant.headers).expect(200)).body as { tagDefinitionName: string }[];
    expect(tags.map((tag) => tag.tagDefinitionName)).toEqual(['WRITTEN_OFF']);
    expect(await balanceOf(accountId)).toBe(0);
    await drain();
    const adjustments = await t.query<{ n: string }>(
      `SELECT count(*) AS n FROM bus_events_history WHERE class_name = 'INVOICE_ADJUSTMENT' AND event_json::jsonb ->> 'invoiceId' = $1`,
      [owed.invoiceId],
    );
    expect(Number(adjustments[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('itemAdjustUnpaidInvoices: each charge of an unpaid invoice is adjusted away', async () => {
    const { accountId } = await owingAccount();
    await t.http.delete(`/1.0/kb/accounts/${accountId}`).query({ itemAdjustUnpaidInvoices: true }).set(tenant.headers).set('X-Killbill-Comment', 'bye').expect(204);
    const owed = (await invoicesOf(accountId)).find((invoice) => invoice.items.some((item) => item.itemType === 'RECURRING'))!;
    const recurring = owed.items.find((item) => item.itemType === 'RECURRING')!;
    const adjustment = owed.items.find((item) => item.itemType === 'ITEM_ADJ')!;
    expect([recurring.amount, adjustment.amount, owed.balance]).toEqual([500, -500, 0]);
    expect(await balanceOf(accountId)).toBe(0);
  });

  it('cancelAllSubscriptions: entitlement ends now, billing at the charged-through date', async () => {
    const { accountId, subscriptionId } = await owingAccount();
    await t.http.delete(`/1.0/kb/accounts/${accountId}`).query({ cancelAllSubscriptions: true }).set(tenant.headers).expect(204);
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body;
    expect([subscription.cancelledDate.slice(0, 10), subscription.billingEndDate.slice(0, 10), subscription.chargedThroughDate]).toEqual(['2013-08-31', '2013-09-30', '2013-09-30']);
    // AUTO_INVOICING_OFF: the clock passing the period end bills nothing more.
    await addDays(31);
    expect((await invoicesOf(accountId)).length).toBe(2);
  });
});
