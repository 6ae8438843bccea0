import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const START = '2013-08-01T06:00:00.000Z';
const idOf = (location: unknown) => String(location).replace(/\/$/, '').split('/').pop() ?? '';
const AUTO_INVOICING_OFF = '00000000-0000-0000-0000-000000000002';
const AUTO_INVOICING_DRAFT = '00000000-0000-0000-0000-000000000008';
const AUTO_INVOICING_REUSE_DRAFT = '00000000-0000-0000-0000-000000000009';
const PARK = '00000000-0000-0001-0000-000000000001';

interface JsonItem {
  invoiceItemId: string;
  linkedInvoiceItemId: string | null;
  itemType: string;
  planName: string | null;
  phaseName: string | null;
  startDate: string;
  endDate: string | null;
  amount: number;
}
interface JsonInvoice {
  invoiceId: string;
  invoiceNumber: string;
  status: string;
  amount: number;
  balance: number;
  creditAdj: number;
  refundAdj: number;
  targetDate: string;
  invoiceDate: string;
  items: JsonItem[];
  trackingIds: string[];
}

/** A session against one app: the flowing test clock, the public invoice reads. */
function scenarioClient(app: () => TestApp, tenantOf: () => TestTenant) {
  const h = () => tenantOf().headers;
  const http = () => app().http;
  const client = {
    setClock: (requestedDate: string) => http().post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(h()).expect(200),
    // Moves forward from the current (flowing) test time, as Kill Bill's integration tests do.
    addDays: (days: number) => http().put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(h()).expect(200),
    drain: () => http().get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(h()).expect(200),
    async subscribe(accountId: string, body: Record<string, unknown>): Promise<{ subscriptionId: string; bundleId: string }> {
      const response = await http().post('/1.0/kb/subscriptions').set(h()).send({ accountId, ...body }).expect(201);
      await client.drain();
      const subscriptionId = idOf(response.headers.location);
      const subscription = (await http().get(`/1.0/kb/subscriptions/${subscriptionId}`).set(h()).expect(200)).body;
      return { subscriptionId, bundleId: subscription.bundleId };
    },
    subscription: async (subscriptionId: string) => (await http().get(`/1.0/kb/subscriptions/${subscriptionId}`).set(h()).expect(200)).body,
    /** GET /accounts/{id}/invoices with the items, oldest first. */
    async invoices(accountId: string, query: Record<string, unknown> = {}): Promise<JsonInvoice[]> {
      const response = await http().get(`/1.0/kb/accounts/${accountId}/invoices`).query({ includeInvoiceComponents: true, ...query }).set(h()).expect(200);
      return response.body as JsonInvoice[];
    },
    invoice: async (invoiceId: string): Promise<JsonInvoice> => (await http().get(`/1.0/kb/invoices/${invoiceId}`).set(h()).expect(200)).body,
    async balances(accountId: string): Promise<[number, number]> {
      const account = (await http().get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(h()).expect(200)).body;
      return [account.accountBalance, account.accountCBA];
    },
    tag: (accountId: string, tagId: string) => http().post(`/1.0/kb/accounts/${accountId}/tags`).set(h()).send([tagId]).expect(201),
    untag: (accountId: string, tagId: string) => http().delete(`/1.0/kb/accounts/${accountId}/tags`).query({ tagDef: tagId }).set(h()).expect(204),
    async tagNames(accountId: string): Promise<string[]> {
      const response = await http().get(`/1.0/kb/accounts/${accountId}/tags`).set(h()).expect(200);
      return (response.body as { tagDefinitionName: string }[]).map((tag) => tag.tagDefinitionName);
    },
  };
  return client;
}

const summary = (items: JsonItem[]) => items.map((item) => [item.itemType, item.startDate, item.endDate, Number(item.amount).toFixed(2)]);
const money = (invoice: JsonInvoice) => [invoice.amount, invoice.creditAdj, invoice.refundAdj, invoice.balance];

/**
 * The invoicing issue's over-HTTP "done means", end to end with SpyCarAdvanced and only the public
 * API: the amounts of Kill Bill's worked examples (invoicing spec §5, catalog spec §5).
 */
describe('Invoicing scenarios', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const kb = scenarioClient(
    () => t,
    () => tenant,
  );

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  /** Sports monthly from 2013-08-01 up to its first $500 invoice on 2013-08-31 (catalog E1). */
  async function sportsAfterTrial(name: string) {
    await kb.setClock(START);
    const accountId = await createAccount(t, tenant, { name, currency: 'USD' });
    const ids = await kb.subscribe(accountId, { planName: 'sports-monthly' });
    await kb.addDays(30); // 2013-08-31
    return { accountId, ...ids };
  }

  it('1. trial to evergreen (catalog E1): $0 trial invoice, $500 on 2013-08-31 with BCD 31, then 09-30 → 10-31; the JSON as Kill Bill answers it', async () => {
    await kb.setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Evergreen', currency: 'USD' });
    const { subscriptionId, bundleId } = await kb.subscribe(accountId, { planName: 'sports-monthly' });
    const [trial] = await kb.invoices(accountId);
    expect(trial).toMatchObject({ status: 'COMMITTED', invoiceDate: '2013-08-01', targetDate: '2013-08-01', amount: 0, balance: 0, creditAdj: 0, refundAdj: 0, currency: 'USD', accountId, trackingIds: [] });
    expect(trial.invoiceNumber).toMatch(/^\d+$/);
    expect(trial.items).toEqual([
      expect.objectContaining({
        itemType: 'FIXED',
        invoiceId: trial.invoiceId,
        accountId,
        bundleId,
        subscriptionId,
        productName: 'Sports',
        planName: 'sports-monthly',
        phaseName: 'sports-monthly-trial',
        prettyProductName: 'Sports',
        prettyPlanName: 'sports-monthly',
        prettyPhaseName: 'sports-monthly-trial',
        startDate: '2013-08-01',
        endDate: '2013-08-31',
        amount: 0,
        currency: 'USD',
        linkedInvoiceItemId: null,
      }),
    ]);

    await kb.addDays(30); // 2013-08-31
    const account = (await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200)).body;
    expect(account.billCycleDayLocal).toBe(31);
    const second = (await kb.invoices(accountId))[1];
    expect(second).toMatchObject({ status: 'COMMITTED', invoiceDate: '2013-08-31', targetDate: '2013-08-31', amount: 500, balance: 500, creditAdj: 0, refundAdj: 0 });
    expect(Number(second.invoiceNumber)).toBeGreaterThan(Number(trial.invoiceNumber));
    expect(second.items).toEqual([
      expect.objectContaining({ itemType: 'RECURRING', planName: 'sports-monthly', phaseName: 'sports-monthly-evergreen', prettyPlanName: 'sports-monthly', startDate: '2013-08-31', endDate: '2013-09-30', amount: 500, rate: 500 }),
    ]);
    // GET /invoices/{id} answers the same invoice.
    expect(await kb.invoice(second.invoiceId)).toEqual(second);
    expect((await kb.subscription(subscriptionId)).chargedThroughDate).toBe('2013-09-30');

    await kb.addDays(30); // 2013-09-30
    const third = (await kb.invoices(accountId))[2];
    expect(third).toMatchObject({ targetDate: '2013-09-30', amount: 500, balance: 500 });
    expect(summary(third.items)).toEqual([['RECURRING', '2013-09-30', '2013-10-31', '500.00']]);
    expect((await kb.subscription(subscriptionId)).chargedThroughDate).toBe('2013-10-31');
    expect(await kb.balances(accountId)).toEqual([1000, 0]);
  });

  describe('2. immediate change, immediate cancel, pause/resume', () => {
    it('an immediate cancel on 2013-09-10 (E4): REPAIR_ADJ −333.33 linked to the $500 item and CBA_ADJ +333.33, the credit paying the unpaid invoice', async () => {
      const { accountId, subscriptionId } = await sportsAfterTrial('Cancel');
      await kb.addDays(10); // 2013-09-10
      await t.http.delete(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'IMMEDIATE' }).set(tenant.headers).expect(204);
      await kb.drain();
      const [, second, third] = await kb.invoices(accountId);
      expect(summary(third.items)).toEqual([
        ['REPAIR_ADJ', '2013-09-10', '2013-09-30', '-333.33'],
        ['CBA_ADJ', '2013-09-10', '2013-09-10', '333.33'],
      ]);
      expect(third.items[0].linkedInvoiceItemId).toBe(second.items[0].invoiceItemId);
      expect(money(third)).toEqual([-333.33, 333.33, 0, 0]);
      expect(summary(second.items)).toEqual([
        ['RECURRING', '2013-08-31', '2013-09-30', '500.00'],
        ['CBA_ADJ', '2013-09-10', '2013-09-10', '-333.33'],
      ]);
      expect(money(second)).toEqual([500, -333.33, 0, 166.67]);
      expect(await kb.balances(accountId)).toEqual([166.67, 0]);
      expect((await kb.subscription(subscriptionId)).billingEndDate).toMatch(/^2013-09-10T/);
    });

    it('an immediate downgrade on 2013-09-10: the new plan prorated (20/31 of 100), the repair of 20/30 of 500, the credit generated then used', async () => {
      const { accountId, subscriptionId } = await sportsAfterTrial('Downgrade');
      await kb.addDays(10); // 2013-09-10
      await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'IMMEDIATE' }).set(tenant.headers).send({ planName: 'standard-monthly' }).expect(204);
      await kb.drain();
      const [, second, third] = await kb.invoices(accountId);
      expect(summary(third.items)).toEqual([
        ['RECURRING', '2013-09-10', '2013-09-30', '64.52'],
        ['REPAIR_ADJ', '2013-09-10', '2013-09-30', '-333.33'],
        ['CBA_ADJ', '2013-09-10', '2013-09-10', '268.81'],
      ]);
      expect(third.items[0]).toMatchObject({ planName: 'standard-monthly', phaseName: 'standard-monthly-evergreen' });
      expect(money(third)).toEqual([-268.81, 268.81, 0, 0]);
      expect(money(second)).toEqual([500, -268.81, 0, 231.19]);
      expect(await kb.balances(accountId)).toEqual([231.19, 0]);
      const subscription = await kb.subscription(subscriptionId);
      expect([subscription.planName, subscription.chargedThroughDate]).toEqual(['standard-monthly', '2013-09-30']);
    });

    it('pause on 2013-09-05 and resume on 2013-09-10 (catalog E7): REPAIR_ADJ −416.67 and CBA +416.67, then 322.58 paid from the credit', async () => {
      const { accountId, bundleId } = await sportsAfterTrial('Pause');
      // The Ruby test pays invoice #2; with no payment system, a credit of 500 settles it.
      await t.http.post('/1.0/kb/credits').query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 500, currency: 'USD' }]).expect(200);
      expect(await kb.balances(accountId)).toEqual([0, 0]);

      await kb.addDays(5); // 2013-09-05
      await t.http.put(`/1.0/kb/bundles/${bundleId}/pause`).set(tenant.headers).expect(204);
      await kb.drain();
      const paused = (await kb.invoices(accountId)).at(-1) as JsonInvoice;
      expect(summary(paused.items)).toEqual([
        ['REPAIR_ADJ', '2013-09-05', '2013-09-30', '-416.67'],
        ['CBA_ADJ', '2013-09-05', '2013-09-05', '416.67'],
      ]);
      expect(await kb.balances(accountId)).toEqual([-416.67, 416.67]);

      await kb.addDays(5); // 2013-09-10
      await t.http.put(`/1.0/kb/bundles/${bundleId}/resume`).set(tenant.headers).expect(204);
      await kb.drain();
      const resumed = (await kb.invoices(accountId)).at(-1) as JsonInvoice;
      expect(summary(resumed.items)).toEqual([
        ['RECURRING', '2013-09-10', '2013-09-30', '322.58'],
        ['CBA_ADJ', '2013-09-10', '2013-09-10', '-322.58'],
      ]);
      expect(money(resumed)).toEqual([322.58, -322.58, 0, 0]);
      expect(await kb.balances(accountId)).toEqual([-94.09, 94.09]);
    });
  });

  describe('3. dry runs match the real operation', () => {
    const dryRun = (accountId: string, body: Record<string, unknown>, query: Record<string, string> = {}) =>
      t.http.post('/1.0/kb/invoices/dryRun').query({ accountId, ...query }).set(tenant.headers).send(body);

    it('CHANGE END_OF_TERM: the new plan from the CTD, which the clock then invoices', async () => {
      const { accountId, subscriptionId, bundleId } = await sportsAfterTrial('DryEot');
      await kb.addDays(10); // 2013-09-10
      const spec = { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'CHANGE', subscriptionId, bundleId, planName: 'standard-monthly', billingPolicy: 'END_OF_TERM' };
      // Kill Bill dry-runs the action at the target date (today by default): the change on the CTD is not due yet.
      await dryRun(accountId, spec).expect(204);
      const dry = (await dryRun(accountId, spec, { targetDate: '2013-09-30' }).expect(200)).body as JsonInvoice;
      expect(summary(dry.items)).toEqual([['RECURRING', '2013-09-30', '2013-10-31', '100.00']]);
      expect(dry).toMatchObject({ targetDate: '2013-09-30', invoiceNumber: null, amount: 100 });
      expect(await kb.invoices(accountId)).toHaveLength(2);

      await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'END_OF_TERM' }).set(tenant.headers).send({ planName: 'standard-monthly' }).expect(204);
      await kb.drain();
      expect(await kb.invoices(accountId)).toHaveLength(2);
      await kb.addDays(20); // 2013-09-30
      const real = (await kb.invoices(accountId))[2];
      expect(summary(real.items)).toEqual(summary(dry.items));
      expect(real.items[0]).toMatchObject({ planName: 'standard-monthly' });
    });

    it('STOP_BILLING IMMEDIATE: the same repair and credit as the real cancel; an end-of-term one has nothing to bill today', async () => {
      const { accountId, subscriptionId, bundleId } = await sportsAfterTrial('DryCancel');
      await kb.addDays(10); // 2013-09-10
      const stop = { dryRunType: 'SUBSCRIPTION_ACTION', dryRunAction: 'STOP_BILLING', subscriptionId, bundleId };
      // At the end of term (2013-09-30) nothing is repaired: nothing to bill today.
      await dryRun(accountId, { ...stop, billingPolicy: 'END_OF_TERM' }).expect(204);
      const dry = (await dryRun(accountId, { ...stop, billingPolicy: 'IMMEDIATE' }).expect(200)).body as JsonInvoice;
      // Without a policy Kill Bill's dry run stops billing now (SubscriptionApiBase: policy null → utcNow).
      expect((await dryRun(accountId, stop).expect(200)).body.items.map((item: JsonItem) => item.amount)).toEqual(dry.items.map((item) => item.amount));
      expect(summary(dry.items)).toEqual([
        ['REPAIR_ADJ', '2013-09-10', '2013-09-30', '-333.33'],
        ['CBA_ADJ', '2013-09-10', '2013-09-10', '333.33'],
      ]);
      await t.http.delete(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'IMMEDIATE' }).set(tenant.headers).expect(204);
      await kb.drain();
      const real = (await kb.invoices(accountId))[2];
      expect(summary(real.items)).toEqual(summary(dry.items));
      expect(money(real)).toEqual(money(dry));
    });
  });

  describe('4. external charges, credits, adjustments, commit and void', () => {
    it('E11: credit 20, then a charge of 100 (owes 80), an item adjustment of 10 (owes 70), voiding the charge gives the credit back', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Writes', currency: 'USD' });
      await t.http.post('/1.0/kb/credits').query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 20, currency: 'USD' }]).expect(200);
      const [creditInvoice] = await kb.invoices(accountId);
      expect(summary(creditInvoice.items)).toEqual([
        ['CREDIT_ADJ', '2013-08-01', '2013-08-01', '-20.00'],
        ['CBA_ADJ', '2013-08-01', '2013-08-01', '20.00'],
      ]);
      expect(money(creditInvoice)).toEqual([0, 20, 0, 0]);
      expect(await kb.balances(accountId)).toEqual([-20, 20]);

      const charge = await t.http.post(`/1.0/kb/invoices/charges/${accountId}`).query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 100, currency: 'USD', description: 'setup' }]).expect(200);
      const chargeInvoiceId = charge.body[0].invoiceId as string;
      const chargeInvoice = await kb.invoice(chargeInvoiceId);
      expect(summary(chargeInvoice.items)).toEqual([
        ['EXTERNAL_CHARGE', '2013-08-01', null, '100.00'],
        ['CBA_ADJ', '2013-08-01', '2013-08-01', '-20.00'],
      ]);
      expect(money(chargeInvoice)).toEqual([100, -20, 0, 80]);
      expect(await kb.balances(accountId)).toEqual([80, 0]);

      await t.http
        .post(`/1.0/kb/invoices/${chargeInvoiceId}`)
        .set(tenant.headers)
        .send({ accountId, invoiceItemId: chargeInvoice.items[0].invoiceItemId, amount: 10, currency: 'USD' })
        .expect(201);
      const adjusted = await kb.invoice(chargeInvoiceId);
      expect(summary(adjusted.items).map((row) => row[0])).toEqual(['EXTERNAL_CHARGE', 'CBA_ADJ', 'ITEM_ADJ']);
      expect(adjusted.items[2]).toMatchObject({ amount: -10, linkedInvoiceItemId: chargeInvoice.items[0].invoiceItemId });
      expect(money(adjusted)).toEqual([90, -20, 0, 70]);
      expect(await kb.balances(accountId)).toEqual([70, 0]);

      await t.http.put(`/1.0/kb/invoices/${chargeInvoiceId}/voidInvoice`).set(tenant.headers).expect(204);
      expect((await kb.invoice(chargeInvoiceId)).status).toBe('VOID');
      expect(await kb.balances(accountId)).toEqual([-20, 20]);
      expect((await kb.invoices(accountId)).map((invoice) => invoice.invoiceId)).toEqual([creditInvoice.invoiceId]);
      expect(await kb.invoices(accountId, { includeVoidedInvoices: true })).toHaveLength(2);
    });

    it('a DRAFT charge counts only once committed', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Commit', currency: 'USD' });
      const charge = await t.http.post(`/1.0/kb/invoices/charges/${accountId}`).set(tenant.headers).send([{ accountId, amount: 42.5, currency: 'USD' }]).expect(200);
      const invoiceId = charge.body[0].invoiceId as string;
      expect(await kb.invoice(invoiceId)).toMatchObject({ status: 'DRAFT', amount: 42.5, balance: 0 });
      expect(await kb.balances(accountId)).toEqual([0, 0]);
      await t.http.put(`/1.0/kb/invoices/${invoiceId}/commitInvoice`).set(tenant.headers).expect(204);
      expect(await kb.invoice(invoiceId)).toMatchObject({ status: 'COMMITTED', amount: 42.5, balance: 42.5 });
      expect(await kb.balances(accountId)).toEqual([42.5, 0]);
    });

    it('void then re-bill (E9): the voided $500 period is billed again by the next run, with the next one', async () => {
      const { accountId, subscriptionId } = await sportsAfterTrial('Void');
      const second = (await kb.invoices(accountId))[1];
      await t.http.put(`/1.0/kb/invoices/${second.invoiceId}/voidInvoice`).set(tenant.headers).expect(204);
      await kb.drain();
      expect(await kb.invoices(accountId)).toHaveLength(1);
      expect(await kb.balances(accountId)).toEqual([0, 0]);

      await kb.addDays(30); // 2013-09-30
      const invoices = await kb.invoices(accountId);
      expect(invoices).toHaveLength(2);
      expect(summary(invoices[1].items)).toEqual([
        ['RECURRING', '2013-08-31', '2013-09-30', '500.00'],
        ['RECURRING', '2013-09-30', '2013-10-31', '500.00'],
      ]);
      expect(invoices[1]).toMatchObject({ amount: 1000, balance: 1000 });
      expect((await kb.subscription(subscriptionId)).chargedThroughDate).toBe('2013-10-31');
    });
  });

  it('5. the charged-through date drives an end-of-term cancel: billing ends on 2013-09-30 and nothing is billed after it', async () => {
    const { accountId, subscriptionId } = await sportsAfterTrial('Eot');
    await kb.addDays(1); // 2013-09-01
    await t.http.delete(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(204);
    await kb.drain();
    const subscription = await kb.subscription(subscriptionId);
    expect([subscription.cancelledDate.slice(0, 10), subscription.billingEndDate.slice(0, 10), subscription.chargedThroughDate]).toEqual(['2013-09-01', '2013-09-30', '2013-09-30']);
    expect(await kb.invoices(accountId)).toHaveLength(2);
    await kb.addDays(29); // 2013-09-30
    await kb.addDays(31); // 2013-10-31
    expect(await kb.invoices(accountId)).toHaveLength(2);
    expect(await kb.balances(accountId)).toEqual([500, 0]);
  });

  describe('6. AUTO_INVOICING_* tags', () => {
    it('AUTO_INVOICING_DRAFT: invoices are DRAFT (balance 0, no CTD); commit makes them count and sets the CTD', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Draft', currency: 'USD' });
      await kb.tag(accountId, AUTO_INVOICING_DRAFT);
      const { subscriptionId } = await kb.subscribe(accountId, { planName: 'sports-monthly' });
      await kb.addDays(30); // 2013-08-31
      const invoices = await kb.invoices(accountId);
      expect(invoices.map((invoice) => invoice.status)).toEqual(['DRAFT', 'DRAFT']);
      expect(invoices[1]).toMatchObject({ amount: 500, balance: 0 });
      expect(summary(invoices[1].items)).toEqual([['RECURRING', '2013-08-31', '2013-09-30', '500.00']]);
      expect(await kb.balances(accountId)).toEqual([0, 0]);
      expect((await kb.subscription(subscriptionId)).chargedThroughDate).toBeNull();

      await t.http.put(`/1.0/kb/invoices/${invoices[1].invoiceId}/commitInvoice`).set(tenant.headers).expect(204);
      expect(await kb.invoice(invoices[1].invoiceId)).toMatchObject({ status: 'COMMITTED', balance: 500, invoiceDate: '2013-08-31' });
      expect(await kb.balances(accountId)).toEqual([500, 0]);
      expect((await kb.subscription(subscriptionId)).chargedThroughDate).toBe('2013-09-30');
    });

    it('AUTO_INVOICING_REUSE_DRAFT: the next run appends its items to the earliest DRAFT invoice', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Reuse', currency: 'USD' });
      await kb.tag(accountId, AUTO_INVOICING_DRAFT);
      await kb.tag(accountId, AUTO_INVOICING_REUSE_DRAFT);
      await kb.subscribe(accountId, { planName: 'sports-monthly' });
      await kb.addDays(30); // 2013-08-31
      const invoices = await kb.invoices(accountId);
      expect(invoices).toHaveLength(1);
      expect(invoices[0].status).toBe('DRAFT');
      expect(summary(invoices[0].items)).toEqual([
        ['FIXED', '2013-08-01', '2013-08-31', '0.00'],
        ['RECURRING', '2013-08-31', '2013-09-30', '500.00'],
      ]);
    });

    it('removing AUTO_INVOICING_OFF runs the invoicing at once', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Off', currency: 'USD' });
      await kb.tag(accountId, AUTO_INVOICING_OFF);
      await kb.subscribe(accountId, { planName: 'sports-monthly', phaseType: 'EVERGREEN' });
      expect(await kb.invoices(accountId)).toHaveLength(0);
      await kb.untag(accountId, AUTO_INVOICING_OFF);
      await kb.drain();
      const invoices = await kb.invoices(accountId);
      expect(invoices).toHaveLength(1);
      expect(summary(invoices[0].items)).toEqual([['RECURRING', '2013-08-01', '2013-09-01', '500.00']]);
    });
  });

  describe('7. BCD changes', () => {
    it('a subscription BCD change to 7 on 2013-08-07 (catalog E11) bills 2013-09-01 → 09-07 at 6/31 of the price', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Bcd', currency: 'USD' });
      const { subscriptionId } = await kb.subscribe(accountId, { planName: 'sports-monthly', phaseType: 'EVERGREEN' });
      const [first] = await kb.invoices(accountId);
      expect(summary(first.items)).toEqual([['RECURRING', '2013-08-01', '2013-09-01', '500.00']]);
      await kb.addDays(6); // 2013-08-07
      await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}/bcd`).set(tenant.headers).send({ billCycleDayLocal: 7 }).expect(204);
      await kb.drain();
      const invoices = await kb.invoices(accountId);
      expect(invoices).toHaveLength(2);
      expect(invoices[1]).toMatchObject({ invoiceDate: '2013-08-07', amount: 96.77 });
      expect(summary(invoices[1].items)).toEqual([['RECURRING', '2013-09-01', '2013-09-07', '96.77']]);
      expect((await kb.subscription(subscriptionId)).billCycleDayLocal).toBe(7);
    });
  });

  describe('8. usage in arrear', () => {
    it('gallons recorded in August are billed as a USAGE item (3.95 each) with their tracking ids once the period ends', async () => {
      await kb.setClock(START);
      const accountId = await createAccount(t, tenant, { name: 'Usage', currency: 'USD' });
      const { bundleId } = await kb.subscribe(accountId, { planName: 'sports-monthly', phaseType: 'EVERGREEN' });
      const { subscriptionId } = await kb.subscribe(accountId, { planName: 'gas-monthly', bundleId });
      const record = (trackingId: string, recordDate: string, amount: number) =>
        t.http
          .post('/1.0/kb/usages')
          .set(tenant.headers)
          .send({ subscriptionId, trackingId, unitUsageRecords: [{ unitType: 'gallons', usageRecords: [{ recordDate, amount }] }] })
          .expect(201);
      await record('tracking-1', '2013-08-03T00:00:00.000Z', 10);
      await record('tracking-2', '2013-08-20T00:00:00.000Z', 5);
      await kb.addDays(31); // 2013-09-01
      const invoices = await kb.invoices(accountId);
      const last = invoices.at(-1) as JsonInvoice;
      const usage = last.items.filter((item) => item.itemType === 'USAGE');
      expect(summary(usage)).toEqual([['USAGE', '2013-08-01', '2013-09-01', '59.25']]);
      expect(usage[0]).toMatchObject({ subscriptionId, usageName: 'gas-monthly-in-arrear', planName: 'gas-monthly' });
      expect([...last.trackingIds].sort()).toEqual(['tracking-1', 'tracking-2']);
    });
  });
});

/** killbill.features.account.allowBCDUpdate: an account BCD may move, and moving it re-invoices (TestWithAccountBCDUpdate). */
describe('Invoicing scenarios: account BCD update', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const kb = scenarioClient(
    () => t,
    () => tenant,
  );

  beforeAll(async () => {
    t = await startTestApp({ 'killbill.features.account.allowBCDUpdate': 'true' });
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  it('moving the BCD from 31 to 15 on 2013-09-01 repairs 09-15 → 09-30 at once, then bills from the 15th', async () => {
    await kb.setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'AccountBcd', currency: 'USD' });
    const { subscriptionId } = await kb.subscribe(accountId, { planName: 'sports-monthly' });
    await kb.addDays(30); // 2013-08-31
    await kb.addDays(1); // 2013-09-01
    await t.http.put(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).send({ billCycleDayLocal: 15 }).expect(204);
    await kb.drain();
    const account = (await t.http.get(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).expect(200)).body;
    expect(account.billCycleDayLocal).toBe(15);
    const invoices = await kb.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(summary(invoices[2].items)).toEqual([
      ['REPAIR_ADJ', '2013-09-15', '2013-09-30', '-250.00'],
      ['CBA_ADJ', '2013-09-01', '2013-09-01', '250.00'],
    ]);
    expect(await kb.balances(accountId)).toEqual([250, 0]);
    // Kill Bill sets CTDs from the new invoice's FIXED/RECURRING/USAGE items only: a repair leaves it.
    expect((await kb.subscription(subscriptionId)).chargedThroughDate).toBe('2013-09-30');

    await kb.addDays(14); // 2013-09-15
    const next = (await kb.invoices(accountId))[3];
    expect(summary(next.items)).toEqual([['RECURRING', '2013-09-15', '2013-10-15', '500.00']]);
  });

  it('without the feature a set BCD cannot change (400)', async () => {
    const plain = await startTestApp();
    try {
      const plainTenant = await globalCatalogTenant(plain);
      const accountId = await createAccount(plain, plainTenant, { name: 'Fixed', currency: 'USD', billCycleDayLocal: 10 });
      const refused = await plain.http.put(`/1.0/kb/accounts/${accountId}`).set(plainTenant.headers).send({ billCycleDayLocal: 15 }).expect(400);
      expect(refused.body.message).toBe("Killbill doesn't support updating the account BCD: new=15, current=10");
    } finally {
      await plain.close();
    }
  });
});

/** __PARK__: a run that fails parks the account; POST /admin/invoices re-runs it and unparks it. */
describe('Invoicing scenarios: parked accounts', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const kb = scenarioClient(
    () => t,
    () => tenant,
  );

  beforeAll(async () => {
    // One item a day per subscription: an immediate change on the day of an invoiced creation trips it.
    t = await startTestApp({ 'org.killbill.invoice.maxDailyNumberOfItemsSafetyBound': '1' });
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());

  it('a failing run parks the account; POST /admin/invoices invoices it the next day, answers {accountId: OK} with pagination headers and unparks it', async () => {
    await kb.setClock(START);
    const accountId = await createAccount(t, tenant, { name: 'Parked', currency: 'USD' });
    const { subscriptionId } = await kb.subscribe(accountId, { planName: 'sports-monthly', phaseType: 'EVERGREEN' });
    expect(await kb.invoices(accountId)).toHaveLength(1);
    await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).query({ billingPolicy: 'IMMEDIATE' }).set(tenant.headers).send({ planName: 'super-monthly' }).expect(204);
    await kb.drain();
    expect(await kb.invoices(accountId)).toHaveLength(1);
    expect(await kb.tagNames(accountId)).toContain('__PARK__');
    // A user cannot add it.
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send([PARK]).expect(400);

    await kb.addDays(1); // 2013-08-02
    const response = await t.http.post('/1.0/kb/admin/invoices').set(tenant.headers).expect(200);
    expect(response.body).toEqual({ [accountId]: 'OK' });
    expect(response.headers['x-killbill-pagination-currentoffset']).toBe('0');
    expect(response.headers['x-killbill-pagination-totalnbrecords']).toBe('1');
    expect(await kb.tagNames(accountId)).not.toContain('__PARK__');
    const invoices = await kb.invoices(accountId);
    expect(invoices).toHaveLength(2);
    expect(summary(invoices[1].items).map((row) => row[0])).toEqual(['RECURRING', 'REPAIR_ADJ']);
  });
});
