import { beatrixScenario } from '../support/beatrix';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Kill Bill's beatrix TestWithBCDUpdate, over HTTP (see beatrixScenario): a subscription's BCD moved
 * in trial, before and after a plan change. Items and amounts are InvoiceChecker's, exactly.
 */
describe("Beatrix TestWithBCDUpdate (Kill Bill's amounts)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const START = '2016-04-01T00:13:42.000Z';

  it('testBCDChangeInTrial: BCD 15 set in trial bills 05-01 → 05-15 (116.64), then whole months from the 15th; a START_OF_TERM cancel ends billing on the 15th', async () => {
    const s = await beatrixScenario(t, START);
    const accountId = await s.account(0);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 3 }); // 2016-04-04, in trial
    await s.updateBcd(subscriptionId, 15);
    await s.move({ days: 11 }); // 2016-04-15: the BCD change, nothing to bill
    await s.move({ days: 16 }); // 2016-05-01: out of trial
    expect((await s.itemsByInvoice(accountId))[1]).toEqual([['RECURRING', '2016-05-01', '2016-05-15', '116.64']]);
    await s.move({ days: 14 }); // 2016-05-15
    expect((await s.itemsByInvoice(accountId))[2]).toEqual([['RECURRING', '2016-05-15', '2016-06-15', '249.95']]);

    await s.move({ days: 3 }); // 2016-05-18
    await t.http
      .delete(`/1.0/kb/subscriptions/${subscriptionId}`)
      .query({ entitlementPolicy: 'IMMEDIATE', billingPolicy: 'START_OF_TERM' })
      .set(s.tenant.headers)
      .expect(204);
    await s.drain();
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(s.tenant.headers).expect(200)).body as {
      cancelledDate: string;
      billingEndDate: string;
    };
    expect([subscription.cancelledDate.slice(0, 10), subscription.billingEndDate.slice(0, 10)]).toEqual(['2016-05-18', '2016-05-15']);
  });

  it('testBCDChangeBeforeChangePlan: BCD 10 set, then a change on 05-05 bills to the new BCD (99.99, repair −217.70, credit 117.71), then from 05-10 (599.95, the credit used)', async () => {
    const s = await beatrixScenario(t, START);
    const accountId = await s.account(0);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 30 }); // 2016-05-01
    await s.updateBcd(subscriptionId, 10);
    await s.move({ days: 4 }); // 2016-05-05
    await s.change(subscriptionId, 'assault-rifle-monthly', null);
    expect((await s.itemsByInvoice(accountId))[2]).toEqual([
      ['CBA_ADJ', '2016-05-05', '2016-05-05', '117.71'],
      ['RECURRING', '2016-05-05', '2016-05-10', '99.99'],
      ['REPAIR_ADJ', '2016-05-05', '2016-06-01', '-217.70'],
    ]);
    await s.move({ days: 5 }); // 2016-05-10
    expect((await s.itemsByInvoice(accountId))[3]).toEqual([
      ['CBA_ADJ', '2016-05-10', '2016-05-10', '-117.71'],
      ['RECURRING', '2016-05-10', '2016-06-10', '599.95'],
    ]);
  });

  it('testBCDChangeAfterChangePlan: a change on 05-05 (522.54, repair −217.70), then BCD 10: 06-01 → 06-10 billed on 05-10 (174.18)', async () => {
    const s = await beatrixScenario(t, START);
    const accountId = await s.account(0);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 30 }); // 2016-05-01
    await s.move({ days: 4 }); // 2016-05-05
    await s.change(subscriptionId, 'assault-rifle-monthly', null);
    expect((await s.itemsByInvoice(accountId))[2]).toEqual([
      ['RECURRING', '2016-05-05', '2016-06-01', '522.54'],
      ['REPAIR_ADJ', '2016-05-05', '2016-06-01', '-217.70'],
    ]);
    await s.updateBcd(subscriptionId, 10);
    await s.move({ days: 5 }); // 2016-05-10
    expect((await s.itemsByInvoice(accountId))[3]).toEqual([['RECURRING', '2016-06-01', '2016-06-10', '174.18']]);
  });
});
