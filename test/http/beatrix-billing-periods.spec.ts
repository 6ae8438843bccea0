import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const FIXTURES = join(__dirname, '..', 'fixtures');

type Item = [type: string, start: string, end: string | null, amount: string];

/**
 * Kill Bill's beatrix TestIntegrationWithDifferentBillingPeriods, over HTTP: the Firearms catalog
 * (catalogTest.xml, beatrix's default), an account with an external default payment method (its
 * createAccountWithNonOsgiPaymentMethod), the test clock. Each test's items and amounts are those
 * beatrix's InvoiceChecker expects, invoice by invoice, exactly (no other item on the invoice).
 */
describe("Beatrix TestIntegrationWithDifferentBillingPeriods (Kill Bill's amounts)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A tenant of its own per test: each sets its own clock. */
  async function firearmsTenant(today: string): Promise<TestTenant> {
    const tenant = await t.createTenant();
    const catalog = readFileSync(join(FIXTURES, 'catalogs/catalogTest.xml'), 'utf8');
    await t.http.post('/1.0/kb/catalog/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(catalog).expect(201);
    await t.http
      .post('/1.0/kb/test/clock')
      .query({ requestedDate: `${today}T00:00:00.000Z` })
      .set(tenant.headers)
      .expect(200);
    return tenant;
  }

  function scenario(tenant: TestTenant) {
    const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
    const move = async (period: Record<string, number>) => {
      await t.http
        .put('/1.0/kb/test/clock')
        .query({ ...period, timeoutSec: 10 })
        .set(tenant.headers)
        .expect(200);
      await drain();
    };
    return {
      drain,
      move,
      async account(billCycleDayLocal: number): Promise<string> {
        const accountId = await createAccount(t, tenant, { name: 'Beatrix', currency: 'USD', billCycleDayLocal, timeZone: 'UTC' });
        await t.http
          .post(`/1.0/kb/accounts/${accountId}/paymentMethods`)
          .query({ isDefault: true })
          .set(tenant.headers)
          .send({ pluginName: '__EXTERNAL_PAYMENT__' })
          .expect(201);
        return accountId;
      },
      async subscribe(accountId: string, planName: string): Promise<{ subscriptionId: string; bundleId: string }> {
        const response = await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName }).expect(201);
        await drain();
        const subscriptionId = String(response.headers.location).split('/').pop() as string;
        const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body as { bundleId: string };
        return { subscriptionId, bundleId: subscription.bundleId };
      },
      /** PUT /bundles/{id}/pause or /resume today. */
      async bundle(bundleId: string, action: 'pause' | 'resume'): Promise<void> {
        await t.http.put(`/1.0/kb/bundles/${bundleId}/${action}`).set(tenant.headers).expect(204);
        await drain();
      },
      async change(subscriptionId: string, planName: string): Promise<void> {
        await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'IMMEDIATE' }).set(tenant.headers).send({ planName }).expect(204);
        await drain();
      },
      /** Each invoice's items, in invoice order, each invoice's items sorted. */
      async invoices(accountId: string): Promise<Item[][]> {
        const list = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(tenant.headers).expect(200)).body as { invoiceId: string }[];
        const invoices: Item[][] = [];
        for (const { invoiceId } of list) {
          const invoice = (await t.http.get(`/1.0/kb/invoices/${invoiceId}`).set(tenant.headers).expect(200)).body as {
            items: { itemType: string; startDate: string; endDate: string | null; amount: number }[];
          };
          invoices.push(invoice.items.map((item): Item => [item.itemType, item.startDate, item.endDate, item.amount.toFixed(2)]).sort());
        }
        return invoices;
      },
      /** checkNoMoreInvoiceToGenerate: an invoice run today has nothing to add (404). */
      async nothingMoreToInvoice(accountId: string): Promise<void> {
        await t.http.post('/1.0/kb/invoices').query({ accountId }).set(tenant.headers).expect(404);
      },
    };
  }

  it('testChangeMonthlyToAnnual: shotgun monthly, then annual IMMEDIATE on 2012-05-12 (2327.62, repair −161.26)', async () => {
    const s = scenario(await firearmsTenant('2012-04-01'));
    const accountId = await s.account(1);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 31 });
    expect((await s.invoices(accountId))[1]).toEqual([['RECURRING', '2012-05-01', '2012-06-01', '249.95']]);

    await s.move({ days: 10 });
    await s.change(subscriptionId, 'shotgun-annual');
    const invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[1]).toEqual([['RECURRING', '2012-05-01', '2012-06-01', '249.95']]);
    expect(invoices[2]).toEqual([
      ['RECURRING', '2012-05-12', '2013-05-01', '2327.62'],
      ['REPAIR_ADJ', '2012-05-12', '2012-06-01', '-161.26'],
    ]);
    await s.nothingMoreToInvoice(accountId);
  });

  it('testChangeMonthlyToAnnualWithDifferentBCD: BCD 10, then annual IMMEDIATE aligned on the subscription (BCD 1: 2399.95, repair −72.57)', async () => {
    const s = scenario(await firearmsTenant('2016-06-01'));
    const accountId = await s.account(10);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 30 });
    expect((await s.invoices(accountId))[1]).toEqual([['RECURRING', '2016-07-01', '2016-07-10', '74.99']]);
    await s.move({ months: 1 });
    let invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[2]).toEqual([['RECURRING', '2016-07-10', '2016-08-10', '249.95']]);

    await s.change(subscriptionId, 'shotgun-annual');
    invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toEqual([
      ['RECURRING', '2016-08-01', '2017-08-01', '2399.95'],
      ['REPAIR_ADJ', '2016-08-01', '2016-08-10', '-72.57'],
    ]);
    await s.nothingMoreToInvoice(accountId);
  });

  it('testChangeMonthlyToQuarterly: pistol monthly, then quarterly IMMEDIATE on 2012-05-12 (61.59, repair −19.32), then 69.95 from 2012-08-01', async () => {
    const s = scenario(await firearmsTenant('2012-04-01'));
    const accountId = await s.account(1);
    const { subscriptionId } = await s.subscribe(accountId, 'pistol-monthly');
    await s.move({ days: 31 });
    expect((await s.invoices(accountId))[1]).toEqual([['RECURRING', '2012-05-01', '2012-06-01', '29.95']]);

    await s.move({ days: 10 });
    await s.change(subscriptionId, 'pistol-quarterly');
    let invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[2]).toEqual([
      ['RECURRING', '2012-05-12', '2012-08-01', '61.59'],
      ['REPAIR_ADJ', '2012-05-12', '2012-06-01', '-19.32'],
    ]);

    await s.move({ days: 20 });
    await s.move({ months: 2 });
    invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toEqual([['RECURRING', '2012-08-01', '2012-11-01', '69.95']]);
    await s.nothingMoreToInvoice(accountId);
  });

  it('testPauseResumeAnnual: a paid annual period paused on 2012-05-12 (credit 2327.62) and resumed on 2012-06-04 (2380.22, the credit used)', async () => {
    const s = scenario(await firearmsTenant('2012-04-01'));
    const accountId = await s.account(1);
    const { bundleId } = await s.subscribe(accountId, 'shotgun-annual');
    await s.move({ days: 31 });
    await s.move({ days: 10 }); // 2012-05-12
    await s.bundle(bundleId, 'pause');
    let invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[1]).toEqual([['RECURRING', '2012-05-01', '2013-05-01', '2399.95']]);
    expect(invoices[2]).toEqual([
      ['CBA_ADJ', '2012-05-12', '2012-05-12', '2327.62'],
      ['REPAIR_ADJ', '2012-05-12', '2013-05-01', '-2327.62'],
    ]);

    await s.move({ days: 23 }); // 2012-06-04
    await s.bundle(bundleId, 'resume');
    invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toEqual([
      ['CBA_ADJ', '2012-06-04', '2012-06-04', '-2327.62'],
      ['RECURRING', '2012-06-04', '2013-06-01', '2380.22'],
    ]);

    await s.move({ years: 1 });
    invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(5);
    expect(invoices[4]).toEqual([['RECURRING', '2013-06-01', '2014-06-01', '2399.95']]);
    await s.nothingMoreToInvoice(accountId);
  });
});
