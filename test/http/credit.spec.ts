import { randomUUID } from 'node:crypto';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const CREDITS = '/1.0/kb/credits';

describe('Credits: POST /credits, GET /credits/{id}, account credit', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    other = await t.createTenant();
  });
  afterAll(() => t.close());

  const cbaOf = async (accountId: string) =>
    Number(
      (
        await t.query<{ cba: string }>(
          `SELECT COALESCE(SUM(it.amount), 0) AS cba FROM invoice_items it JOIN invoices i ON i.id = it.invoice_id WHERE it.account_id = $1 AND it.type = 'CBA_ADJ' AND i.status = 'COMMITTED'`,
          [accountId],
        )
      )[0].cba,
    );
  const itemsOf = (invoiceId: string) =>
    t.query<{ type: string; amount: string }>('SELECT type, amount::float8::text AS amount FROM invoice_items WHERE invoice_id = $1 ORDER BY record_id', [invoiceId]);

  it('E11: a committed credit of 20 is a credit invoice (CREDIT_ADJ −20, CBA_ADJ +20) answered with a positive amount; account CBA 20', async () => {
    const accountId = await createAccount(t, tenant);
    const response = await t.http.post(CREDITS).query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 20, description: 'goodwill' }]).expect(200);
    expect(response.body).toHaveLength(1);
    expect(response.body[0]).toMatchObject({ itemType: 'CREDIT_ADJ', amount: 20, currency: 'USD', accountId, description: 'goodwill' });
    expect(await itemsOf(response.body[0].invoiceId)).toEqual([
      { type: 'CREDIT_ADJ', amount: '-20' },
      { type: 'CBA_ADJ', amount: '20' },
    ]);
    expect(await cbaOf(accountId)).toBe(20);
    const [invoice] = await t.query<{ status: string }>('SELECT status FROM invoices WHERE id = $1', [response.body[0].invoiceId]);
    expect(invoice.status).toBe('COMMITTED');

    const fetched = await t.http.get(`${CREDITS}/${response.body[0].invoiceItemId}`).set(tenant.headers).expect(200);
    expect(fetched.body).toMatchObject({ invoiceItemId: response.body[0].invoiceItemId, amount: 20, itemType: 'CREDIT_ADJ' });
    const history = await t.query('SELECT 1 FROM invoice_items_history WHERE target_record_id IN (SELECT record_id FROM invoice_items WHERE invoice_id = $1)', [response.body[0].invoiceId]);
    expect(history).toHaveLength(2);
  });

  it('a credit without autoCommit sits on a DRAFT invoice and does not count as account credit', async () => {
    const accountId = await createAccount(t, tenant);
    const response = await t.http.post(CREDITS).set(tenant.headers).send([{ accountId, amount: 15 }]).expect(200);
    const [invoice] = await t.query<{ status: string }>('SELECT status FROM invoices WHERE id = $1', [response.body[0].invoiceId]);
    expect(invoice.status).toBe('DRAFT');
    expect(await cbaOf(accountId)).toBe(0);
    await t.http.put(`/1.0/kb/invoices/${response.body[0].invoiceId}/commitInvoice`).set(tenant.headers).expect(204);
    expect(await cbaOf(accountId)).toBe(15);
  });

  it('refuses a negative amount (4009), a foreign currency (3), a missing account id (400), an unknown account (404)', async () => {
    const accountId = await createAccount(t, tenant);
    const negative = await t.http.post(CREDITS).set(tenant.headers).send([{ accountId, amount: -5 }]).expect(400);
    expect(negative.body.code).toBe(4009);
    const currency = await t.http.post(CREDITS).set(tenant.headers).send([{ accountId, amount: 5, currency: 'EUR' }]).expect(400);
    expect(currency.body.code).toBe(3);
    await t.http.post(CREDITS).set(tenant.headers).send([{ amount: 5 }]).expect(400);
    const unknown = await t.http.post(CREDITS).set(tenant.headers).send([{ accountId: randomUUID(), amount: 5 }]).expect(404);
    expect(unknown.body.code).toBe(3002);
    expect(await t.query('SELECT 1 FROM invoices WHERE account_id = $1', [accountId])).toHaveLength(0);
  });

  it('a credit is not visible to another tenant (404 INVOICE_NO_SUCH_CREDIT)', async () => {
    const accountId = await createAccount(t, tenant);
    const response = await t.http.post(CREDITS).set(tenant.headers).send([{ accountId, amount: 5 }]).expect(200);
    const missing = await t.http.get(`${CREDITS}/${response.body[0].invoiceItemId}`).set(other.headers).expect(404);
    expect(missing.body.code).toBe(4008);
    await t.http.post(CREDITS).set(other.headers).send([{ accountId, amount: 5 }]).expect(404);
  });

  it('cbaRebalancing lets the credit pay an unpaid invoice committed after it; transferCredit moves a child credit to its parent', async () => {
    const accountId = await createAccount(t, tenant);
    await t.http.post('/1.0/kb/invoices/charges/' + accountId).set(tenant.headers).send([{ amount: 30 }]).expect(200);
    const credit = await t.http.post(CREDITS).query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 10 }]).expect(200);
    expect(await cbaOf(accountId)).toBe(10);
    const [draft] = await t.query<{ id: string }>(`SELECT id FROM invoices WHERE account_id = $1 AND status = 'DRAFT'`, [accountId]);
    await t.http.put(`/1.0/kb/invoices/${draft.id}/commitInvoice`).set(tenant.headers).expect(204);
    // Commit settles the credit already; rebalancing again changes nothing.
    expect(await cbaOf(accountId)).toBe(0);
    await t.http.put(`/1.0/kb/accounts/${accountId}/cbaRebalancing`).set(tenant.headers).expect(204);
    expect(await cbaOf(accountId)).toBe(0);
    expect(credit.body[0].amount).toBe(10);

    const parentId = await createAccount(t, tenant, { name: 'Parent', currency: 'USD' });
    const childId = await createAccount(t, tenant, { name: 'Child', currency: 'USD', parentAccountId: parentId, isPaymentDelegatedToParent: true });
    const noCredit = await t.http.put(`/1.0/kb/accounts/${childId}/transferCredit`).set(tenant.headers).expect(400);
    expect(noCredit.body.code).toBe(4027);
    const noParent = await t.http.put(`/1.0/kb/accounts/${parentId}/transferCredit`).set(tenant.headers).expect(400);
    expect(noParent.body.code).toBe(3009);
    await t.http.post(CREDITS).query({ autoCommit: true }).set(tenant.headers).send([{ accountId: childId, amount: 25 }]).expect(200);
    await t.http.put(`/1.0/kb/accounts/${childId}/transferCredit`).set(tenant.headers).expect(204);
    expect(await cbaOf(childId)).toBe(0);
    expect(await cbaOf(parentId)).toBe(25);
    expect(await t.query('SELECT 1 FROM invoice_parent_children WHERE child_account_id = $1', [childId])).toHaveLength(1);
  });

  it('20 parallel credits and charges on one account never apply the credit twice', async () => {
    const accountId = await createAccount(t, tenant);
    await t.http.post(CREDITS).query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 50 }]).expect(200);
    const calls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? t.http.post(`/1.0/kb/invoices/charges/${accountId}`).query({ autoCommit: true }).set(tenant.headers).send([{ amount: 10 }])
        : t.http.post(CREDITS).query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount: 1 }]),
    );
    const responses = await Promise.all(calls);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    // 50 + 10 × 1 of credit against 10 × 10 of charges: all credit is used, 40 stays owed, no invoice below 0.
    expect(await cbaOf(accountId)).toBe(0);
    const balances = await t.query<{ balance: string }>(
      `SELECT SUM(it.amount)::float8 AS balance FROM invoice_items it JOIN invoices i ON i.id = it.invoice_id WHERE i.account_id = $1 AND i.status = 'COMMITTED' AND it.type IN ('EXTERNAL_CHARGE','CBA_ADJ') GROUP BY i.id HAVING bool_or(it.type = 'EXTERNAL_CHARGE')`,
      [accountId],
    );
    const owed = balances.reduce((total, row) => total + Number(row.balance), 0);
    expect(owed).toBe(40);
    expect(balances.every((row) => Number(row.balance) >= 0)).toBe(true);
  });
});
