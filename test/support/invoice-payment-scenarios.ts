import type { TestApp, TestTenant } from './test-app';
import { createAccount } from './test-app';

export const SPORTS_START = '2013-08-01T06:00:00.000Z';
export const EXTERNAL_PLUGIN = '__EXTERNAL_PAYMENT__';
export const TEST_PLUGIN = 'killbill-payment-test';
export const AUTO_PAY_OFF = '00000000-0000-0000-0000-000000000001';
export const MANUAL_PAY = '00000000-0000-0000-0000-000000000005';

export const idOf = (location: unknown): string => String(location).replace(/\/$/, '').split('/').pop() ?? '';

export interface InvoiceView {
  invoiceId: string;
  invoiceDate: string;
  amount: number;
  balance: number;
}

/**
 * The HTTP steps the invoice payment tests share, on a tenant with the SpyCarAdvanced catalog: the
 * test clock, the queues, payment methods, and an account on sports-monthly whose $500 evergreen
 * invoice of 2013-08-31 is the one paid.
 */
export function invoicePaymentSteps(t: TestApp, tenant: () => TestTenant) {
  const h = () => tenant().headers;
  const steps = {
    h,
    setClock: (requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(h()).expect(200),
    addDays: (days: number) => t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(h()).expect(200),
    drain: () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(h()).expect(200),
    configurePlugin: (body: Record<string, unknown>) => t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(h()).send(body).expect(200),
    clearPlugin: () => t.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(h()).send({ CONFIGURE_ACTION: 'ACTION_CLEAR' }).expect(200),
    async addMethod(accountId: string, pluginName: string, isDefault = true): Promise<string> {
      const response = await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault }).set(h()).send({ pluginName }).expect(201);
      return idOf(response.headers.location);
    },
    tag: (accountId: string, tagDefinitionId: string) => t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(h()).send([tagDefinitionId]).expect(201),
    untag: (accountId: string, tagDefinitionId: string) => t.http.delete(`/1.0/kb/accounts/${accountId}/tags`).query({ tagDef: tagDefinitionId }).set(h()).expect(204),
    invoices: async (accountId: string) => (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(h()).expect(200)).body as InvoiceView[],
    accountBalance: async (accountId: string) =>
      (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(h()).expect(200)).body as { accountBalance: number; accountCBA: number },
    purchases: (accountId: string) =>
      t.query<{ payment_id: string; transaction_status: string; transaction_external_key: string; processed_amount: string | null }>(
        `SELECT tr.payment_id, tr.transaction_status, tr.transaction_external_key, tr.processed_amount FROM payment_transactions tr JOIN payments p ON p.id = tr.payment_id
          WHERE p.account_id = $1 AND tr.transaction_type = 'PURCHASE' ORDER BY tr.record_id`,
        [accountId],
      ),
    /** An account on sports-monthly from 2013-08-01, the clock moved to 2013-08-31 (the $500 invoice). */
    async sportsAfterTrial(name: string, before: (accountId: string) => Promise<unknown> = async () => undefined) {
      await steps.setClock(SPORTS_START);
      const accountId = await createAccount(t, tenant(), { name, currency: 'USD' });
      await before(accountId);
      await t.http.post('/1.0/kb/subscriptions').set(h()).send({ accountId, planName: 'sports-monthly' }).expect(201);
      await steps.drain();
      await steps.addDays(30);
      await steps.drain();
      const evergreen = (await steps.invoices(accountId)).find((invoice) => invoice.invoiceDate === '2013-08-31');
      if (!evergreen) throw new Error('no 2013-08-31 invoice');
      return { accountId, invoiceId: evergreen.invoiceId };
    },
  };
  return steps;
}
