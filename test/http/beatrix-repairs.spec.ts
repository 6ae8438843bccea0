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
    expect(await s.itemsByInvoice(accountId)).toEqual([trial]);

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
    expect(await s.itemsByInvoice(accountId)).toEqual([trial, adjusted]);

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

  /** The three tests below: an annual shotgun from 2013-07-19, billed 2013-08-18 → 2014-08-18 at 2399.95, paid. */
  async function annualPaid() {
    const s = await beatrixScenario(t, '2013-07-19');
    const accountId = await s.account(1);
    const { subscriptionId } = await s.subscribe(accountId, 'shotgun-annual');
    await s.move({ days: 30 });
    const invoices = await s.invoices(accountId);
    expect(invoices[1].items).toEqual([ANNUAL]);
    const annualItemId = invoices[1].itemIds.get(ANNUAL.join(' ')) as string;
    const [payment] = await s.payments(accountId);
    return { s, accountId, subscriptionId, annualItemId, paymentId: payment.paymentId };
  }
  const ANNUAL = ['RECURRING', '2013-08-18', '2014-08-18', '2399.95'];
  const REPAIRED = [
    ['CBA_ADJ', '2013-09-17', '2013-09-17', '2202.69'],
    ['REPAIR_ADJ', '2013-09-17', '2014-08-18', '-2202.69'],
  ];

  it('testRepairWithFullRemainingItemAdjustment: cancelled IMMEDIATE on 2013-09-17 (repair −2202.69), then the payment refunded with the 197.26 left adjusted: balance 0', async () => {
    const { s, accountId, subscriptionId, annualItemId, paymentId } = await annualPaid();
    await s.move({ days: 30 }); // 2013-09-17
    await s.cancelNow(subscriptionId);
    const invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[1].items).toEqual([ANNUAL]);
    expect(invoices[2].items).toEqual(REPAIRED);

    await s.refundWithItemAdjustments(paymentId, { [annualItemId]: '197.26' });
    await s.nothingMoreToInvoice(accountId);
    expect(await s.accountBalance(accountId)).toBe(0);
  });

  it('testPartialItemAdjFollowedWithRepair: the payment refunded with 197.26 adjusted, then cancelled IMMEDIATE: the credit of the repair rebalanced onto the annual invoice', async () => {
    const { s, accountId, subscriptionId, annualItemId, paymentId } = await annualPaid();
    await s.refundWithItemAdjustments(paymentId, { [annualItemId]: '197.26' });
    await s.nothingMoreToInvoice(accountId);
    await s.move({ days: 30 }); // 2013-09-17
    await s.cancelNow(subscriptionId);
    const invoices = await s.invoices(accountId);
    expect(invoices).toHaveLength(3);
    expect(invoices[1].items).toEqual([['CBA_ADJ', '2013-09-17', '2013-09-17', '-2202.69'], ['ITEM_ADJ', '2013-08-18', '2013-08-18', '-197.26'], ANNUAL]);
    expect(invoices[2].items).toEqual(REPAIRED);
    expect(await s.accountBalance(accountId)).toBe(0);
  });

  it('testRepairWithPartialItemAdjustment: cancelled IMMEDIATE, then the payment refunded with only 100 adjusted: nothing re-invoiced, balance 97.26', async () => {
    const { s, accountId, subscriptionId, annualItemId, paymentId } = await annualPaid();
    await s.move({ days: 30 }); // 2013-09-17
    await s.cancelNow(subscriptionId);
    const invoices = await s.invoices(accountId);
    expect(invoices[1].items).toEqual([ANNUAL]);
    expect(invoices[2].items).toEqual(REPAIRED);
    await s.refundWithItemAdjustments(paymentId, { [annualItemId]: '100.00' });
    await s.nothingMoreToInvoice(accountId);
    expect(await s.accountBalance(accountId)).toBe(97.26);
  });
});
