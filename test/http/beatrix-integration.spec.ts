import { beatrixScenario, checkedItemOf, type CheckedItem } from '../support/beatrix';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Kill Bill's beatrix TestIntegration base-plan tests (BillingDayInPast, BillingDayAlignedWithTrial),
 * over HTTP (see beatrixScenario): from 2012-02-01 (a leap February), a change in trial, the phase, a
 * change at end of term, months of 30 and 31 days, an end-of-term cancel; each invoice's items exactly
 * as InvoiceChecker expects them, the dry runs beatrix checks, and the charged-through date after each step.
 */
describe("Beatrix TestIntegration (Kill Bill's amounts)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** The reads and moves of TestIntegration's base-plan tests, for one account and subscription. */
  function steps(s: Awaited<ReturnType<typeof beatrixScenario>>, accountId: string, subscriptionId: string) {
    const h = s.tenant.headers;
    const invoiceCount = async () => (await s.invoices(accountId)).length;
    const lastInvoice = async () => (await s.invoices(accountId)).pop()?.items;
    const chargedThrough = async () =>
      String((await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(h).expect(200)).body.chargedThroughDate).slice(0, 10);
    const dryRun = async (body: object, targetDate?: string): Promise<CheckedItem[]> => {
      const response = await t.http
        .post('/1.0/kb/invoices/dryRun')
        .query({ accountId, ...(targetDate ? { targetDate } : {}) })
        .set(h)
        .send(body)
        .expect(200);
      return (response.body.items as Parameters<typeof checkedItemOf>[0][]).map(checkedItemOf).sort();
    };
    const setTime = async (requestedDate: string) => {
      await t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(h).expect(200);
      await s.drain();
    };
    /** A month later each time: one pistol-monthly period each, its CTD at the period's end. */
    const pistolMonths = async (periods: readonly (readonly [string, string])[]) => {
      for (const [start, end] of periods) {
        await s.move({ days: 31 });
        expect(await lastInvoice()).toEqual([['RECURRING', start, end, '29.95']]);
        expect(await chargedThrough()).toBe(end);
      }
    };
    /** cancelEntitlementAndCheckForCompletion (end of term), then past it: nothing more billed, the CTD unchanged. */
    const cancelAtEndOfTerm = async (chargedThroughDate: string) => {
      await t.http
        .delete(`/1.0/kb/subscriptions/${subscriptionId}`)
        .query({ entitlementPolicy: 'END_OF_TERM', billingPolicy: 'END_OF_TERM' })
        .set(h)
        .expect(204);
      await s.drain();
      const before = await invoiceCount();
      await s.move({ days: 31 });
      expect(await invoiceCount()).toBe(before);
      expect(await chargedThrough()).toBe(chargedThroughDate);
      await s.nothingMoreToInvoice(accountId);
    };
    return { invoiceCount, lastInvoice, chargedThrough, dryRun, setTime, pistolMonths, cancelAtEndOfTerm };
  }

  it('testBasePlanCompleteWithBillingDayInPast: shotgun, assault-rifle in trial, 561.24 from 2012-03-02, then pistol from 03-31 at 29.95 a month', async () => {
    const s = await beatrixScenario(t, '2012-02-01T00:03:42.000Z');
    const accountId = await s.account(31);
    const { subscriptionId, bundleId } = await s.subscribe(accountId, 'shotgun-monthly');
    const { invoiceCount, lastInvoice, chargedThrough, dryRun, setTime, pistolMonths, cancelAtEndOfTerm } = steps(s, accountId, subscriptionId);
    const trial: CheckedItem[] = [['FIXED', '2012-02-01', '2012-03-02', '0.00']];
    expect(await lastInvoice()).toEqual(trial);
    // No end date for the trial item's billing: the CTD is the trial's end.
    expect(await chargedThrough()).toBe('2012-03-02');

    const change = {
      dryRunType: 'SUBSCRIPTION_ACTION',
      dryRunAction: 'CHANGE',
      productName: 'Assault-Rifle',
      productCategory: 'BASE',
      billingPeriod: 'MONTHLY',
      subscriptionId,
      bundleId,
    };
    expect(await dryRun(change)).toEqual(trial);
    await setTime('2012-02-01T00:03:43.000Z'); // the CHANGE does not collide with the CREATE
    await s.change(subscriptionId, 'assault-rifle-monthly', null);
    expect(await invoiceCount()).toBe(2);
    expect(await lastInvoice()).toEqual(trial);
    expect(await chargedThrough()).toBe('2012-03-02');

    for (const instant of ['2012-02-28T23:59:59.000Z', '2012-02-29T23:59:59.000Z', '2012-03-01T23:59:59.000Z']) await setTime(instant);
    expect(await invoiceCount()).toBe(2);
    const phase: CheckedItem[] = [['RECURRING', '2012-03-02', '2012-03-31', '561.24']];
    expect(await dryRun({ dryRunType: 'TARGET_DATE' }, '2012-03-02')).toEqual(phase);
    await setTime('2012-03-02T23:59:59.000Z');
    expect(await invoiceCount()).toBe(3);
    expect(await lastInvoice()).toEqual(phase);
    expect(await chargedThrough()).toBe('2012-03-31');

    // A change to pistol at end of term (the catalog's policy): nothing now.
    await s.change(subscriptionId, 'pistol-monthly', null);
    expect(await invoiceCount()).toBe(3);
    const pistol: CheckedItem[] = [['RECURRING', '2012-03-31', '2012-04-30', '29.95']];
    expect(await dryRun({ dryRunType: 'TARGET_DATE' }, '2012-04-02')).toEqual(pistol);
    await s.move({ days: 31 });
    expect(await lastInvoice()).toEqual(pistol);
    expect(await chargedThrough()).toBe('2012-04-30');

    await pistolMonths([
      ['2012-04-30', '2012-05-31'],
      ['2012-05-31', '2012-06-30'],
      ['2012-06-30', '2012-07-31'],
    ]);
    await cancelAtEndOfTerm('2012-07-31');
  });

  it('testBasePlanCompleteWithBillingDayAlignedWithTrial: BCD 2, 599.95 from 2012-03-02; an end-of-term change has nothing to bill today (dry run 204), then pistol from 04-02', async () => {
    const s = await beatrixScenario(t, '2012-02-01T00:03:42.000Z');
    const h = s.tenant.headers;
    const accountId = await s.account(2);
    const { subscriptionId, bundleId } = await s.subscribe(accountId, 'shotgun-monthly');
    const { invoiceCount, lastInvoice, chargedThrough, setTime, pistolMonths, cancelAtEndOfTerm } = steps(s, accountId, subscriptionId);
    const trial: CheckedItem[] = [['FIXED', '2012-02-01', '2012-03-02', '0.00']];
    expect(await lastInvoice()).toEqual(trial);
    expect(await chargedThrough()).toBe('2012-03-02');
    await setTime('2012-02-01T00:03:43.000Z');
    await s.change(subscriptionId, 'assault-rifle-monthly', null);
    expect(await invoiceCount()).toBe(2);
    expect(await lastInvoice()).toEqual(trial);
    expect(await chargedThrough()).toBe('2012-03-02');

    for (const instant of ['2012-02-28T23:59:59.000Z', '2012-02-29T23:59:59.000Z', '2012-03-01T23:59:59.000Z', '2012-03-02T23:59:59.000Z'])
      await setTime(instant);
    expect(await invoiceCount()).toBe(3);
    expect(await lastInvoice()).toEqual([['RECURRING', '2012-03-02', '2012-04-02', '599.95']]);
    expect(await chargedThrough()).toBe('2012-04-02');

    // INVOICE_NOTHING_TO_DO: over HTTP, the dry run answers 204.
    await t.http
      .post('/1.0/kb/invoices/dryRun')
      .query({ accountId })
      .set(h)
      .send({
        dryRunType: 'SUBSCRIPTION_ACTION',
        dryRunAction: 'CHANGE',
        productName: 'Pistol',
        productCategory: 'BASE',
        billingPeriod: 'MONTHLY',
        subscriptionId,
        bundleId,
        billingPolicy: 'END_OF_TERM',
      })
      .expect(204);
    await s.change(subscriptionId, 'pistol-monthly', null);
    expect(await invoiceCount()).toBe(3);
    await pistolMonths([
      ['2012-04-02', '2012-05-02'],
      ['2012-05-02', '2012-06-02'],
      ['2012-06-02', '2012-07-02'],
      ['2012-07-02', '2012-08-02'],
    ]);
    await cancelAtEndOfTerm('2012-08-02');
  });
});
