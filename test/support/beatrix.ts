import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, type TestApp, type TestTenant } from './test-app';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** An invoice item as beatrix's InvoiceChecker compares it: type, start, end, amount. */
export type CheckedItem = [type: string, start: string, end: string | null, amount: string];

/** An invoice item of the API as InvoiceChecker compares it. */
export function checkedItemOf(item: { itemType: string; startDate: string; endDate: string | null; amount: number }): CheckedItem {
  return [item.itemType, item.startDate, item.endDate, item.amount.toFixed(2)];
}

/**
 * What Kill Bill's beatrix integration tests do, over HTTP: a tenant of its own on the Firearms
 * catalog (catalogTest.xml, beatrix's default) with its clock at `today`, accounts with an external
 * default payment method (createAccountWithNonOsgiPaymentMethod), subscriptions, clock moves that
 * wait for the queues, and each invoice's items as InvoiceChecker sees them.
 */
export async function beatrixScenario(t: TestApp, today: string) {
  const tenant: TestTenant = await t.createTenant();
  const catalog = readFileSync(join(FIXTURES, 'catalogs/catalogTest.xml'), 'utf8');
  await t.http.post('/1.0/kb/catalog/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(catalog).expect(201);
  await t.http
    .post('/1.0/kb/test/clock')
    // A day, or an instant (beatrix's `new DateTime(2016, 4, 1, 0, 13, 42)`).
    .query({ requestedDate: today.includes('T') ? today : `${today}T00:00:00.000Z` })
    .set(tenant.headers)
    .expect(200);
  const drain = () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
  return {
    tenant,
    drain,
    async move(period: Record<string, number>): Promise<void> {
      await t.http
        .put('/1.0/kb/test/clock')
        .query({ ...period, timeoutSec: 10 })
        .set(tenant.headers)
        .expect(200);
      await drain();
    },
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
    /** cancelEntitlementWithPolicyOverrideBillingPolicy(IMMEDIATE, IMMEDIATE). */
    async cancelNow(subscriptionId: string): Promise<void> {
      await t.http
        .delete(`/1.0/kb/subscriptions/${subscriptionId}`)
        .query({ entitlementPolicy: 'IMMEDIATE', billingPolicy: 'IMMEDIATE' })
        .set(tenant.headers)
        .expect(204);
      await drain();
    },
    /** refundPaymentWithInvoiceItemAdjAndCheckForCompletion: a refund of the whole payment (its purchased amount, as beatrix's helper), the items adjusted by the amounts given. */
    async refundWithItemAdjustments(paymentId: string, adjustments: Record<string, string>): Promise<void> {
      const payment = (await t.http.get(`/1.0/kb/payments/${paymentId}`).set(tenant.headers).expect(200)).body as { purchasedAmount: number };
      await t.http
        .post(`/1.0/kb/invoicePayments/${paymentId}/refunds`)
        .set(tenant.headers)
        .send({
          amount: payment.purchasedAmount,
          isAdjusted: true,
          adjustments: Object.entries(adjustments).map(([invoiceItemId, amount]) => ({ invoiceItemId, amount })),
        })
        .expect(201);
      await drain();
    },
    async accountBalance(accountId: string): Promise<number> {
      return (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalance: true }).set(tenant.headers).expect(200)).body
        .accountBalance as number;
    },
    async payments(accountId: string): Promise<{ paymentId: string }[]> {
      return (await t.http.get(`/1.0/kb/accounts/${accountId}/payments`).set(tenant.headers).expect(200)).body as { paymentId: string }[];
    },
    /** A plan change IMMEDIATE, or with the catalog's policy (`null`, as beatrix's changeEntitlementAndCheckForCompletion with no policy). */
    async change(subscriptionId: string, planName: string, billingPolicy: 'IMMEDIATE' | null = 'IMMEDIATE'): Promise<void> {
      await t.http
        .put(`/1.0/kb/subscriptions/${subscriptionId}`)
        .query(billingPolicy === null ? {} : { billingPolicy })
        .set(tenant.headers)
        .send({ planName })
        .expect(204);
      await drain();
    },
    /** subscriptionBaseInternalApi.updateBCD(id, bcd, null): the subscription's BCD from its next occurrence. */
    async updateBcd(subscriptionId: string, billCycleDayLocal: number): Promise<void> {
      await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}/bcd`).set(tenant.headers).send({ billCycleDayLocal }).expect(204);
      await drain();
    },
    /** Each invoice's id and items, in invoice order, each invoice's items sorted. */
    async invoices(accountId: string): Promise<{ invoiceId: string; items: CheckedItem[]; itemIds: Map<string, string> }[]> {
      const list = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(tenant.headers).expect(200)).body as { invoiceId: string }[];
      const invoices = [];
      for (const { invoiceId } of list) {
        const invoice = (await t.http.get(`/1.0/kb/invoices/${invoiceId}`).set(tenant.headers).expect(200)).body as {
          items: { invoiceItemId: string; itemType: string; startDate: string; endDate: string | null; amount: number }[];
        };
        const checked = invoice.items.map(checkedItemOf);
        invoices.push({
          invoiceId,
          items: [...checked].sort(),
          itemIds: new Map(invoice.items.map((item, index) => [checked[index].join(' '), item.invoiceItemId])),
        });
      }
      return invoices;
    },
    /** Each invoice's items only (see invoices). */
    async itemsByInvoice(accountId: string): Promise<CheckedItem[][]> {
      return (await this.invoices(accountId)).map((invoice) => invoice.items);
    },
    /** checkNoMoreInvoiceToGenerate: an invoice run today has nothing to add (404). */
    async nothingMoreToInvoice(accountId: string): Promise<void> {
      await t.http.post('/1.0/kb/invoices').query({ accountId }).set(tenant.headers).expect(404);
    },
  };
}
