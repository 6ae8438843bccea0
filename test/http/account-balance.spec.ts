import { insertInvoice } from '../support/invoices';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const WRITTEN_OFF = '00000000-0000-0000-0000-000000000004';

/** Balances of invoices and accounts (spec 1.11, worked example E11) over rows written as the invoice module stores them. */
describe('Invoice and account balances', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const invoice = async (id: string) => (await t.http.get(`/1.0/kb/invoices/${id}`).set(tenant.headers).expect(200)).body;
  const account = async (id: string, query = '') => (await t.http.get(`/1.0/kb/accounts/${id}${query}`).set(tenant.headers).expect(200)).body;

  it('E11: a credit of 20 then an external charge of 100 leaves 80 owed and no credit', async () => {
    const accountId = await createAccount(t, tenant, { name: 'E11', currency: 'USD' });
    const credit = await insertInvoice(t, { accountId, items: [{ type: 'CREDIT_ADJ', amount: '-20' }, { type: 'CBA_ADJ', amount: '20' }] });
    expect(await invoice(credit.invoiceId)).toMatchObject({ amount: 0, creditAdj: 20, balance: 0 });
    expect(await account(accountId, '?accountWithBalanceAndCBA=true')).toMatchObject({ accountBalance: -20, accountCBA: 20 });

    const charge = await insertInvoice(t, { accountId, items: [{ type: 'EXTERNAL_CHARGE', amount: '100' }, { type: 'CBA_ADJ', amount: '-20' }] });
    expect(await invoice(charge.invoiceId)).toMatchObject({ amount: 100, creditAdj: -20, refundAdj: 0, balance: 80 });
    expect(await account(accountId, '?accountWithBalanceAndCBA=true')).toMatchObject({ accountBalance: 80, accountCBA: 0 });
    // accountWithBalance alone leaves the credit out; no flag leaves both out.
    expect(await account(accountId, '?accountWithBalance=true')).toMatchObject({ accountBalance: 80, accountCBA: null });
    expect(await account(accountId)).toMatchObject({ accountBalance: null, accountCBA: null });
  });

  it('paid, refunded and charged-back rows count; failed attempts do not; rounded to the currency', async () => {
    const accountId = await createAccount(t, tenant, { name: 'Paid', currency: 'USD' });
    const paid = await insertInvoice(t, {
      accountId,
      items: [{ type: 'RECURRING', amount: '100.004' }],
      payments: [{ amount: '100' }, { amount: '50', status: 'INIT' }, { amount: '-10', type: 'REFUND' }],
    });
    expect(await invoice(paid.invoiceId)).toMatchObject({ amount: 100, refundAdj: -10, balance: 10 });
    expect(await account(accountId, '?accountWithBalance=true')).toMatchObject({ accountBalance: 10 });
  });

  it('DRAFT, VOID, migrated and written-off invoices show a balance of 0 and owe nothing on the account', async () => {
    const accountId = await createAccount(t, tenant, { name: 'Zeroes', currency: 'USD' });
    const draft = await insertInvoice(t, { accountId, status: 'DRAFT', items: [{ type: 'EXTERNAL_CHARGE', amount: '30' }] });
    const voided = await insertInvoice(t, { accountId, status: 'VOID', items: [{ type: 'EXTERNAL_CHARGE', amount: '40' }] });
    const migrated = await insertInvoice(t, { accountId, migrated: true, items: [{ type: 'RECURRING', amount: '60' }] });
    const writtenOff = await insertInvoice(t, { accountId, items: [{ type: 'EXTERNAL_CHARGE', amount: '50' }] });
    expect(await invoice(writtenOff.invoiceId)).toMatchObject({ amount: 50, balance: 50 });
    await t.http.post(`/1.0/kb/invoices/${writtenOff.invoiceId}/tags`).set(tenant.headers).send([WRITTEN_OFF]).expect(201);

    for (const { invoiceId } of [draft, voided, migrated, writtenOff]) expect((await invoice(invoiceId)).balance).toBe(0);
    expect((await invoice(draft.invoiceId)).amount).toBe(30);
    expect(await account(accountId, '?accountWithBalanceAndCBA=true')).toMatchObject({ accountBalance: 0, accountCBA: 0 });
  });

  it("a child invoice owes nothing while its parent's invoice owes nothing", async () => {
    const parentId = await createAccount(t, tenant, { name: 'Parent', currency: 'USD' });
    const childId = await createAccount(t, tenant, { name: 'Child', currency: 'USD', parentAccountId: parentId, isPaymentDelegatedToParent: true });
    const parentDraft = await insertInvoice(t, { accountId: parentId, status: 'DRAFT', parentInvoice: true, items: [{ type: 'PARENT_SUMMARY', amount: '25', childAccountId: childId }] });
    const child = await insertInvoice(t, { accountId: childId, parentInvoiceId: parentDraft.invoiceId, items: [{ type: 'RECURRING', amount: '25' }] });
    expect(await invoice(child.invoiceId)).toMatchObject({ amount: 25, balance: 0, parentInvoiceId: parentDraft.invoiceId, parentAccountId: parentId });
    expect(await account(childId, '?accountWithBalance=true')).toMatchObject({ accountBalance: 0 });

    const parentCommitted = await insertInvoice(t, { accountId: parentId, parentInvoice: true, items: [{ type: 'PARENT_SUMMARY', amount: '25', childAccountId: childId }] });
    const owing = await insertInvoice(t, { accountId: childId, parentInvoiceId: parentCommitted.invoiceId, items: [{ type: 'RECURRING', amount: '25' }] });
    expect(await invoice(owing.invoiceId)).toMatchObject({ balance: 25 });
    expect(await account(childId, '?accountWithBalance=true')).toMatchObject({ accountBalance: 25 });
    expect(await account(parentId, '?accountWithBalance=true')).toMatchObject({ accountBalance: 25 });
  });

  it('listings, searches, children and the external-key read carry the balances of each account', async () => {
    const other = await t.createTenant();
    const rich = await createAccount(t, other, { name: 'Rich', currency: 'EUR', externalKey: 'rich' });
    const poor = await createAccount(t, other, { name: 'Poor', currency: 'EUR', parentAccountId: rich });
    await insertInvoice(t, { accountId: rich, currency: 'EUR', items: [{ type: 'CREDIT_ADJ', amount: '-5' }, { type: 'CBA_ADJ', amount: '5' }] });
    await insertInvoice(t, { accountId: poor, currency: 'EUR', items: [{ type: 'EXTERNAL_CHARGE', amount: '7.5' }] });

    const page = await t.http.get('/1.0/kb/accounts/pagination?accountWithBalanceAndCBA=true').set(other.headers).expect(200);
    expect(page.body.map((a: Record<string, unknown>) => [a.name, a.accountBalance, a.accountCBA])).toEqual([
      ['Rich', -5, 5],
      ['Poor', 7.5, 0],
    ]);
    const search = await t.http.get('/1.0/kb/accounts/search/Poor?accountWithBalance=true').set(other.headers).expect(200);
    expect(search.body).toEqual([expect.objectContaining({ accountId: poor, accountBalance: 7.5, accountCBA: null })]);
    const children = await t.http.get(`/1.0/kb/accounts/${rich}/children?accountWithBalance=true`).set(other.headers).expect(200);
    expect(children.body).toEqual([expect.objectContaining({ accountId: poor, accountBalance: 7.5 })]);
    const byKey = await t.http.get('/1.0/kb/accounts?externalKey=rich&accountWithBalanceAndCBA=true').set(other.headers).expect(200);
    expect(byKey.body).toMatchObject({ accountId: rich, accountBalance: -5, accountCBA: 5 });
    const plain = await t.http.get('/1.0/kb/accounts/pagination').set(other.headers).expect(200);
    expect(plain.body.every((a: Record<string, unknown>) => a.accountBalance === null && a.accountCBA === null)).toBe(true);
  });

  it('an account without invoices has a balance and credit of 0', async () => {
    const accountId = await createAccount(t, tenant, { name: 'Empty', currency: 'USD' });
    expect(await account(accountId, '?accountWithBalanceAndCBA=true')).toMatchObject({ accountBalance: 0, accountCBA: 0 });
  });
});
