import { beatrixScenario } from '../support/beatrix';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Kill Bill's beatrix TestIntegrationInvoiceWithRepairLogic, over HTTP (see beatrixScenario): repairs
 * of a period that an item adjustment already reduced. Items and amounts are InvoiceChecker's, exactly.
 */
describe("Beatrix TestIntegrationInvoiceWithRepairLogic (Kill Bill's amounts)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('testSimplePartialRepairWithItemAdjustment: 10 adjusted off the $249.95 period, then an IMMEDIATE change repairs only the 239.95 left', async () => {
    const s = await beatrixScenario(t, '2012-04-01');
    const accountId = await s.account(1);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-monthly');
    const trial = [['FIXED', '2012-04-01', '2012-05-01', '0.00']];
    expect((await s.invoices(accountId)).map((invoice) => invoice.items)).toEqual([trial]);

    await s.move({ days: 31 }); // 2012-05-02
    let invoices = await s.invoices(accountId);
    expect(invoices.map((invoice) => invoice.items)).toEqual([trial, [['RECURRING', '2012-05-01', '2012-06-01', '249.95']]]);

    const recurringId = invoices[1].itemIds.get('RECURRING 2012-05-01 2012-06-01 249.95') as string;
    await t.http
      .post(`/1.0/kb/invoices/${invoices[1].invoiceId}`)
      .set(s.tenant.headers)
      .send({ accountId, invoiceItemId: recurringId, amount: 10, currency: 'USD' })
      .expect(201);
    await s.drain();
    const adjusted = [
      ['CBA_ADJ', '2012-05-02', '2012-05-02', '10.00'],
      ['ITEM_ADJ', '2012-05-02', '2012-05-02', '-10.00'],
      ['RECURRING', '2012-05-01', '2012-06-01', '249.95'],
    ];
    expect((await s.invoices(accountId)).map((invoice) => invoice.items)).toEqual([trial, adjusted]);

    await s.change(subscriptionId, 'blowdart-monthly');
    invoices = await s.invoices(accountId);
    expect(invoices.map((invoice) => invoice.items)).toEqual([
      trial,
      adjusted,
      [
        // The prorated repair would be ~241.88, but only 249.95 − 10 = 239.95 is left to repair.
        ['CBA_ADJ', '2012-05-02', '2012-05-02', '230.32'],
        ['RECURRING', '2012-05-02', '2012-06-01', '9.63'],
        ['REPAIR_ADJ', '2012-05-02', '2012-06-01', '-239.95'],
      ],
    ]);
    await s.nothingMoreToInvoice(accountId);
  });
});
