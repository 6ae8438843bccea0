import { beatrixScenario } from '../support/beatrix';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Kill Bill's beatrix TestIntegrationWithDifferentBillingPeriods, over HTTP (see beatrixScenario).
 * Each test's items and amounts are those beatrix's InvoiceChecker expects, invoice by invoice,
 * exactly (no other item on the invoice).
 */
describe("Beatrix TestIntegrationWithDifferentBillingPeriods (Kill Bill's amounts)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('testChangeMonthlyToAnnual: shotgun monthly, then annual IMMEDIATE on 2012-05-12 (2327.62, repair −161.26)', async () => {
    const s = await beatrixScenario(t, '2012-04-01');
    const accountId = await s.account(1);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 31 });
    expect((await s.itemsByInvoice(accountId))[1]).toEqual([['RECURRING', '2012-05-01', '2012-06-01', '249.95']]);

    await s.move({ days: 10 });
    await s.change(subscriptionId, 'shotgun-annual');
    const invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[1]).toEqual([['RECURRING', '2012-05-01', '2012-06-01', '249.95']]);
    expect(invoices[2]).toEqual([
      ['RECURRING', '2012-05-12', '2013-05-01', '2327.62'],
      ['REPAIR_ADJ', '2012-05-12', '2012-06-01', '-161.26'],
    ]);
    await s.nothingMoreToInvoice(accountId);
  });

  it('testChangeMonthlyToAnnualWithDifferentBCD: BCD 10, then annual IMMEDIATE aligned on the subscription (BCD 1: 2399.95, repair −72.57)', async () => {
    const s = await beatrixScenario(t, '2016-06-01');
    const accountId = await s.account(10);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 30 });
    expect((await s.itemsByInvoice(accountId))[1]).toEqual([['RECURRING', '2016-07-01', '2016-07-10', '74.99']]);
    await s.move({ months: 1 });
    let invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[2]).toEqual([['RECURRING', '2016-07-10', '2016-08-10', '249.95']]);

    await s.change(subscriptionId, 'shotgun-annual');
    invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toEqual([
      ['RECURRING', '2016-08-01', '2017-08-01', '2399.95'],
      ['REPAIR_ADJ', '2016-08-01', '2016-08-10', '-72.57'],
    ]);
    await s.nothingMoreToInvoice(accountId);
  });

  it('testChangeMonthlyToQuarterly: pistol monthly, then quarterly IMMEDIATE on 2012-05-12 (61.59, repair −19.32), then 69.95 from 2012-08-01', async () => {
    const s = await beatrixScenario(t, '2012-04-01');
    const accountId = await s.account(1);
    const { subscriptionId } = await s.subscribe(accountId, 'pistol-monthly');
    await s.move({ days: 31 });
    expect((await s.itemsByInvoice(accountId))[1]).toEqual([['RECURRING', '2012-05-01', '2012-06-01', '29.95']]);

    await s.move({ days: 10 });
    await s.change(subscriptionId, 'pistol-quarterly');
    let invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[2]).toEqual([
      ['RECURRING', '2012-05-12', '2012-08-01', '61.59'],
      ['REPAIR_ADJ', '2012-05-12', '2012-06-01', '-19.32'],
    ]);

    await s.move({ days: 20 });
    await s.move({ months: 2 });
    invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toEqual([['RECURRING', '2012-08-01', '2012-11-01', '69.95']]);
    await s.nothingMoreToInvoice(accountId);
  });

  it('testPauseResumeAnnual: a paid annual period paused on 2012-05-12 (credit 2327.62) and resumed on 2012-06-04 (2380.22, the credit used)', async () => {
    const s = await beatrixScenario(t, '2012-04-01');
    const accountId = await s.account(1);
    const { bundleId } = await s.subscribe(accountId, 'shotgun-annual');
    await s.move({ days: 31 });
    await s.move({ days: 10 }); // 2012-05-12
    await s.bundle(bundleId, 'pause');
    let invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[1]).toEqual([['RECURRING', '2012-05-01', '2013-05-01', '2399.95']]);
    expect(invoices[2]).toEqual([
      ['CBA_ADJ', '2012-05-12', '2012-05-12', '2327.62'],
      ['REPAIR_ADJ', '2012-05-12', '2013-05-01', '-2327.62'],
    ]);

    await s.move({ days: 23 }); // 2012-06-04
    await s.bundle(bundleId, 'resume');
    invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(4);
    expect(invoices[3]).toEqual([
      ['CBA_ADJ', '2012-06-04', '2012-06-04', '-2327.62'],
      ['RECURRING', '2012-06-04', '2013-06-01', '2380.22'],
    ]);

    await s.move({ years: 1 });
    invoices = await s.itemsByInvoice(accountId);
    expect(invoices).toHaveLength(5);
    expect(invoices[4]).toEqual([['RECURRING', '2013-06-01', '2014-06-01', '2399.95']]);
    await s.nothingMoreToInvoice(accountId);
  });
});
