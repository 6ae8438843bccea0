import { beatrixScenario } from '../support/beatrix';
import { startTestApp, type TestApp } from '../support/test-app';

const AUTO_PAY_OFF = '00000000-0000-0000-0000-000000000001';

/**
 * Kill Bill's beatrix TestIntegrationVoidInvoice, over HTTP (see beatrixScenario): a voided period
 * billed again, voids refused while paid (4028) or repaired (4032). Items and amounts are
 * InvoiceChecker's, exactly.
 */
describe("Beatrix TestIntegrationVoidInvoice (Kill Bill's amounts)", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  type Scenario = Awaited<ReturnType<typeof beatrixScenario>>;
  const voidInvoice = (s: Scenario, invoiceId: string) => t.http.put(`/1.0/kb/invoices/${invoiceId}/voidInvoice`).set(s.tenant.headers);
  const listed = async (s: Scenario, accountId: string, includeVoidedInvoices: boolean) =>
    (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).query({ includeVoidedInvoices }).set(s.tenant.headers).expect(200)).body as {
      invoiceId: string;
      status: string;
      amount: number;
    }[];

  it('testVoidInvoice: the voided $249.95 period is billed again with the next one and paid; a paid invoice cannot be voided until refunded', async () => {
    const s = await beatrixScenario(t, '2015-05-15');
    const accountId = await s.account(14);
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(s.tenant.headers).send([AUTO_PAY_OFF]).expect(201);
    await s.subscribe(accountId, 'shotgun-monthly');
    await s.move({ days: 30 });
    const first = ['RECURRING', '2015-06-14', '2015-07-14', '249.95'];
    const [, voided] = await s.invoices(accountId);
    expect(voided.items).toEqual([first]);

    await voidInvoice(s, voided.invoiceId).expect(204);
    await s.drain();
    await t.http.delete(`/1.0/kb/accounts/${accountId}/tags`).query({ tagDef: AUTO_PAY_OFF }).set(s.tenant.headers).expect(204);
    await s.drain();
    await s.move({ days: 31 });

    const all = await listed(s, accountId, true);
    expect(all).toHaveLength(3);
    expect(all[1]).toMatchObject({ invoiceId: voided.invoiceId, status: 'VOID' });
    // The voided invoice keeps its item; the new one bills the voided period again with the next one.
    const again = (await t.http.get(`/1.0/kb/invoices/${voided.invoiceId}`).set(s.tenant.headers).expect(200)).body as { items: { amount: number }[] };
    expect(again.items.map((item) => item.amount)).toEqual([249.95]);
    const [, next] = await s.invoices(accountId);
    expect(next.invoiceId).toBe(all[2].invoiceId);
    expect(next.items).toEqual([first, ['RECURRING', '2015-07-14', '2015-08-14', '249.95']]);
    expect(await s.accountBalance(accountId)).toBe(0);
    const payments = await s.payments(accountId);
    expect(payments).toHaveLength(1);
    const paymentId = payments[0].paymentId;

    expect((await voidInvoice(s, next.invoiceId).expect(400)).body.code).toBe(4028);
    await t.http.post(`/1.0/kb/invoicePayments/${paymentId}/refunds`).set(s.tenant.headers).send({ amount: 499.9 }).expect(201);
    await s.drain();
    await voidInvoice(s, next.invoiceId).expect(204);
    expect((await listed(s, accountId, true)).map((invoice) => invoice.status)).toEqual(['COMMITTED', 'VOID', 'VOID']);
  });

  it('testVoidRepairedInvoice: a repaired invoice voids only after its repair; the run that follows bills 06-15 → 07-01 from the credit (balance −9.36)', async () => {
    const s = await beatrixScenario(t, '2013-06-15');
    const accountId = await s.account(15);
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(s.tenant.headers).send([AUTO_PAY_OFF]).expect(201);
    await t.http
      .post('/1.0/kb/credits')
      .query({ autoCommit: true })
      .set(s.tenant.headers)
      .send([{ accountId, amount: 20, currency: 'USD', description: 'credit invoice' }])
      .expect(200);
    await s.drain();
    const { subscriptionId } = await s.subscribe(accountId, 'pistol-monthly-notrial');
    let invoices = await s.invoices(accountId);
    expect(invoices[1].items).toEqual([
      ['CBA_ADJ', '2013-06-15', '2013-06-15', '-19.95'],
      ['RECURRING', '2013-06-15', '2013-07-15', '19.95'],
    ]);
    await s.move({ days: 16 }); // 2013-07-01
    await s.cancelNow(subscriptionId);
    invoices = await s.invoices(accountId);
    expect(invoices[2].items).toEqual([
      ['CBA_ADJ', '2013-07-01', '2013-07-01', '9.31'],
      ['REPAIR_ADJ', '2013-07-01', '2013-07-15', '-9.31'],
    ]);

    expect((await voidInvoice(s, invoices[1].invoiceId).expect(400)).body.code).toBe(4032);
    await voidInvoice(s, invoices[2].invoiceId).expect(204);
    await voidInvoice(s, invoices[1].invoiceId).expect(204);
    await s.drain();
    await t.http.post('/1.0/kb/invoices').query({ accountId }).set(s.tenant.headers).expect(201);
    await s.drain();
    // checkInvoice(account, 2): the second of the invoices not voided.
    const kept = (await s.invoices(accountId)).filter((invoice) => ![invoices[1].invoiceId, invoices[2].invoiceId].includes(invoice.invoiceId));
    expect(kept[1].items).toEqual([
      ['CBA_ADJ', '2013-07-01', '2013-07-01', '-10.64'],
      ['RECURRING', '2013-06-15', '2013-07-01', '10.64'],
    ]);
    expect(await s.accountBalance(accountId)).toBe(-9.36);
    const account = (await t.http.get(`/1.0/kb/accounts/${accountId}`).query({ accountWithBalanceAndCBA: true }).set(s.tenant.headers).expect(200)).body;
    expect(account.accountCBA).toBe(9.36);
    await s.nothingMoreToInvoice(accountId);
  });
});
