import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { InvoicePaymentRow } from '@kb/invoice';
import { newRequestContext, runWithContext, tenantRepository, Transactions } from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const INVOICES = '/1.0/kb/invoices';
const idOf = (location: unknown) => String(location).replace(/\/$/, '').split('/').pop() ?? '';

describe('Invoice writes: charges, taxes, item adjustments, commit, void, CBA deletion, migration', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    other = await t.createTenant();
  });
  afterAll(() => t.close());

  const itemsOf = (invoiceId: string) =>
    t.query<{ id: string; type: string; amount: string; linked_item_id: string | null }>(
      'SELECT id, type, amount::float8::text AS amount, linked_item_id FROM invoice_items WHERE invoice_id = $1 ORDER BY record_id',
      [invoiceId],
    );
  const statusOf = async (invoiceId: string) => (await t.query<{ status: string }>('SELECT status FROM invoices WHERE id = $1', [invoiceId]))[0]?.status;
  const events = async (type: string, invoiceId: string) =>
    (await t.query<{ event_json: string }>('SELECT event_json FROM bus_events_history WHERE class_name = $1 UNION ALL SELECT event_json FROM bus_events WHERE class_name = $1', [type]))
      .map((row) => JSON.parse(row.event_json))
      .filter((payload) => payload.invoiceId === invoiceId);
  const credit = (accountId: string, amount: number) => t.http.post('/1.0/kb/credits').query({ autoCommit: true }).set(tenant.headers).send([{ accountId, amount }]).expect(200);
  const charge = async (accountId: string, amount: number, autoCommit = true) =>
    (await t.http.post(`${INVOICES}/charges/${accountId}`).query({ autoCommit }).set(tenant.headers).send([{ amount }]).expect(200)).body[0];

  async function pay(invoiceId: string, accountId: string, amount: string) {
    const [row] = await t.query<{ record_id: string; tenant_record_id: string }>('SELECT record_id, tenant_record_id FROM accounts WHERE id = $1', [accountId]);
    const tenantRecordId = Number(row.tenant_record_id);
    await runWithContext({ ...newRequestContext(), tenant: { recordId: tenantRecordId } }, () =>
      t.app.get(Transactions).run(async (manager) => {
        const payments = tenantRepository(manager, InvoicePaymentRow, tenantRecordId);
        await payments.save(
          payments.create({
            id: randomUUID(),
            type: 'ATTEMPT',
            invoiceId,
            paymentId: randomUUID(),
            paymentDate: new Date('2013-09-01T00:00:00Z'),
            amount: new Big(amount),
            currency: 'USD',
            processedCurrency: 'USD',
            paymentCookieId: null,
            linkedInvoicePaymentId: null,
            status: 'SUCCESS',
            accountRecordId: Number(row.record_id),
          }),
        );
      }),
    );
  }

  it('E11: with 20 of credit an external charge of 100 is EXTERNAL_CHARGE 100 + CBA_ADJ −20 (owes 80), answered 200 with the charge', async () => {
    const accountId = await createAccount(t, tenant);
    await credit(accountId, 20);
    const response = await t.http
      .post(`${INVOICES}/charges/${accountId}`)
      .query({ autoCommit: true, requestedDate: '2013-09-15' })
      .set(tenant.headers)
      .send([{ amount: 100, planName: 'my-plan' }])
      .expect(200);
    expect(response.body).toHaveLength(1);
    expect(response.body[0]).toMatchObject({ itemType: 'EXTERNAL_CHARGE', amount: 100, startDate: '2013-09-15', description: 'my-plan (external charge)', currency: 'USD' });
    const invoiceId = response.body[0].invoiceId;
    expect((await itemsOf(invoiceId)).map((i) => [i.type, i.amount])).toEqual([
      ['EXTERNAL_CHARGE', '100'],
      ['CBA_ADJ', '-20'],
    ]);
    expect(await events('INVOICE_CREATION', invoiceId)).toEqual([expect.objectContaining({ amountOwed: '80', accountId })]);
  });

  it('taxes go on one new DRAFT invoice by default; adding to that DRAFT works, to a COMMITTED invoice is 4024; charges refuse negative amounts (4015) and a foreign currency (3)', async () => {
    const accountId = await createAccount(t, tenant);
    const taxes = await t.http.post(`${INVOICES}/taxes/${accountId}`).set(tenant.headers).send([{ amount: 3 }, { amount: 4 }]).expect(200);
    expect(taxes.body.map((i: { itemType: string; description: string }) => [i.itemType, i.description])).toEqual([
      ['TAX', 'Tax'],
      ['TAX', 'Tax'],
    ]);
    const draftId = taxes.body[0].invoiceId;
    expect(taxes.body[1].invoiceId).toBe(draftId);
    expect(await statusOf(draftId)).toBe('DRAFT');
    await t.http.post(`${INVOICES}/charges/${accountId}`).set(tenant.headers).send([{ amount: 5, invoiceId: draftId }]).expect(200);
    expect(await itemsOf(draftId)).toHaveLength(3);

    const committed = await charge(accountId, 10);
    const refused = await t.http.post(`${INVOICES}/charges/${accountId}`).set(tenant.headers).send([{ amount: 5, invoiceId: committed.invoiceId }]).expect(400);
    expect(refused.body.code).toBe(4024);
    expect((await t.http.post(`${INVOICES}/charges/${accountId}`).set(tenant.headers).send([{ amount: -1 }]).expect(400)).body.code).toBe(4015);
    expect((await t.http.post(`${INVOICES}/charges/${accountId}`).set(tenant.headers).send([{ amount: 1, currency: 'EUR' }]).expect(400)).body.code).toBe(3);
    expect((await t.http.post(`${INVOICES}/charges/${randomUUID()}`).set(tenant.headers).send([{ amount: 1 }]).expect(404)).body.code).toBe(3002);
    // Tenant isolation: the other tenant sees no such account.
    await t.http.post(`${INVOICES}/charges/${accountId}`).set(other.headers).send([{ amount: 1 }]).expect(404);
    // A failing call wrote nothing: a valid item before the bad one is not kept.
    await t.http.post(`${INVOICES}/charges/${accountId}`).set(tenant.headers).send([{ amount: 1 }, { amount: -1 }]).expect(400);
    expect(await t.query('SELECT 1 FROM invoices WHERE account_id = $1', [accountId])).toHaveLength(2);
  });

  it('E2: adjusting 10 of a paid item turns into 10 of credit; asking more than is left is 4020; nothing left is 404', async () => {
    const accountId = await createAccount(t, tenant);
    const item = await charge(accountId, 249.95);
    await pay(item.invoiceId, accountId, '249.95');
    const response = await t.http
      .post(`${INVOICES}/${item.invoiceId}`)
      .query({ requestedDate: '2012-05-01' })
      .set(tenant.headers)
      .send({ accountId, invoiceItemId: item.invoiceItemId, amount: 10 })
      .expect(201);
    expect(idOf(response.headers.location)).toBe(item.invoiceId);
    expect((await itemsOf(item.invoiceId)).map((i) => [i.type, i.amount, i.linked_item_id])).toEqual([
      ['EXTERNAL_CHARGE', '249.95', null],
      ['ITEM_ADJ', '-10', item.invoiceItemId],
      ['CBA_ADJ', '10', null],
    ]);
    expect(await events('INVOICE_ADJUSTMENT', item.invoiceId)).toHaveLength(1);

    const tooMuch = await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: item.invoiceItemId, amount: 240 }).expect(400);
    expect(tooMuch.body.code).toBe(4020);
    expect((await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: item.invoiceItemId, amount: -1 }).expect(400)).body.code).toBe(4010);
    expect((await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: randomUUID() }).expect(404)).body.code).toBe(4011);
    await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: item.invoiceItemId }).expect(201);
    await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: item.invoiceItemId }).expect(404);
  });

  it('an adjustment of an unpaid invoice lowers what it owes (no credit)', async () => {
    const accountId = await createAccount(t, tenant);
    const item = await charge(accountId, 100);
    await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: item.invoiceItemId, amount: 10 }).expect(201);
    expect((await itemsOf(item.invoiceId)).map((i) => i.type)).toEqual(['EXTERNAL_CHARGE', 'ITEM_ADJ']);
  });

  it('commit: DRAFT → COMMITTED with INVOICE_CREATION; again is 4023; unknown or other tenant 404', async () => {
    const accountId = await createAccount(t, tenant);
    const item = await charge(accountId, 12, false);
    expect(await events('INVOICE_CREATION', item.invoiceId)).toEqual([]);
    await t.http.put(`${INVOICES}/${item.invoiceId}/commitInvoice`).set(other.headers).expect(404);
    await t.http.put(`${INVOICES}/${item.invoiceId}/commitInvoice`).set(tenant.headers).expect(204);
    expect(await statusOf(item.invoiceId)).toBe('COMMITTED');
    expect(await events('INVOICE_CREATION', item.invoiceId)).toHaveLength(1);
    expect((await t.http.put(`${INVOICES}/${item.invoiceId}/commitInvoice`).set(tenant.headers).expect(400)).body.code).toBe(4023);
    expect((await t.http.put(`${INVOICES}/${randomUUID()}/commitInvoice`).set(tenant.headers).expect(404)).body.code).toBe(4006);
  });

  it('void: a paid invoice is 4028; an invoice whose credit was used is 4033; voiding returns used credit; VOID again is 4023; tracking ids are released', async () => {
    const accountId = await createAccount(t, tenant);
    const paid = await charge(accountId, 50);
    await pay(paid.invoiceId, accountId, '50');
    expect((await t.http.put(`${INVOICES}/${paid.invoiceId}/voidInvoice`).set(tenant.headers).expect(400)).body.code).toBe(4028);

    const creditResponse = await credit(accountId, 20);
    const creditInvoiceId = creditResponse.body[0].invoiceId;
    const used = await charge(accountId, 15);
    expect((await t.http.put(`${INVOICES}/${creditInvoiceId}/voidInvoice`).set(tenant.headers).expect(400)).body.code).toBe(4033);

    const [row] = await t.query<{ record_id: string; tenant_record_id: string }>('SELECT record_id, tenant_record_id FROM accounts WHERE id = $1', [accountId]);
    await t.query(
      `INSERT INTO invoice_tracking_ids (id, tracking_id, invoice_id, subscription_id, unit_type, record_date, is_active, created_date, created_by, updated_date, updated_by, account_record_id, tenant_record_id)
       VALUES ($1, 'tracking-1', $2, $3, 'bullets', '2013-09-01', true, now(), 'test', now(), 'test', $4, $5)`,
      [randomUUID(), used.invoiceId, randomUUID(), row.record_id, row.tenant_record_id],
    );
    await t.http.put(`${INVOICES}/${used.invoiceId}/voidInvoice`).set(tenant.headers).expect(204);
    expect(await statusOf(used.invoiceId)).toBe('VOID');
    expect(await events('INVOICE_ADJUSTMENT', used.invoiceId)).toHaveLength(1);
    expect(await t.query('SELECT 1 FROM invoice_tracking_ids WHERE invoice_id = $1 AND is_active', [used.invoiceId])).toHaveLength(0);
    // The credit the voided invoice used is back: the credit invoice may now be voided.
    await t.http.put(`${INVOICES}/${creditInvoiceId}/voidInvoice`).set(tenant.headers).expect(204);
    expect((await t.http.put(`${INVOICES}/${used.invoiceId}/voidInvoice`).set(tenant.headers).expect(400)).body.code).toBe(4023);
  });

  it('deleteCBA: a used credit goes to 0; a credit invoice CBA goes to 0 with its CREDIT_ADJ; a DRAFT invoice is 404 (4006)', async () => {
    const accountId = await createAccount(t, tenant);
    const creditResponse = await credit(accountId, 20);
    const creditInvoiceId = creditResponse.body[0].invoiceId;
    const charged = await charge(accountId, 5);
    const usedCba = (await itemsOf(charged.invoiceId)).find((i) => i.type === 'CBA_ADJ')!;
    expect(usedCba.amount).toBe('-5');
    const generated = (await itemsOf(creditInvoiceId)).find((i) => i.type === 'CBA_ADJ')!;
    // Deleting the generated credit while 5 of it is used takes the 5 back from the invoice that used it.
    await t.http.delete(`${INVOICES}/${creditInvoiceId}/${generated.id}/cba`).query({ accountId }).set(tenant.headers).expect(204);
    expect((await itemsOf(creditInvoiceId)).map((i) => [i.type, i.amount])).toEqual([
      ['CREDIT_ADJ', '0'],
      ['CBA_ADJ', '0'],
    ]);
    expect((await itemsOf(charged.invoiceId)).map((i) => [i.type, i.amount])).toEqual([
      ['EXTERNAL_CHARGE', '5'],
      ['CBA_ADJ', '0'],
    ]);
    const draft = await charge(accountId, 5, false);
    expect((await t.http.delete(`${INVOICES}/${draft.invoiceId}/${draft.invoiceItemId}/cba`).query({ accountId }).set(tenant.headers).expect(404)).body.code).toBe(4006);
    expect((await t.http.delete(`${INVOICES}/${charged.invoiceId}/${randomUUID()}/cba`).query({ accountId }).set(tenant.headers).expect(404)).body.code).toBe(4011);
  });

  it('deleteCBA of a credit the system generated (a repair) is 4030', async () => {
    const accountId = await createAccount(t, tenant);
    const item = await charge(accountId, 30);
    await pay(item.invoiceId, accountId, '30');
    await t.http.post(`${INVOICES}/${item.invoiceId}`).set(tenant.headers).send({ accountId, invoiceItemId: item.invoiceItemId, amount: 10 }).expect(201);
    const cba = (await itemsOf(item.invoiceId)).find((i) => i.type === 'CBA_ADJ')!;
    expect((await t.http.delete(`${INVOICES}/${item.invoiceId}/${cba.id}/cba`).query({ accountId }).set(tenant.headers).expect(400)).body.code).toBe(4030);
  });

  it('a migration invoice is COMMITTED, migrated, with the items as given; 201 to the invoice', async () => {
    const accountId = await createAccount(t, tenant);
    const response = await t.http
      .post(`${INVOICES}/migration/${accountId}`)
      .query({ targetDate: '2012-01-01' })
      .set(tenant.headers)
      .send([{ itemType: 'RECURRING', amount: 29.95, startDate: '2011-12-01', endDate: '2012-01-01', planName: 'pistol-monthly' }])
      .expect(201);
    const invoiceId = idOf(response.headers.location);
    const [invoice] = await t.query<{ status: string; migrated: boolean; target_date: string }>("SELECT status, migrated, to_char(target_date, 'YYYY-MM-DD') AS target_date FROM invoices WHERE id = $1", [invoiceId]);
    expect(invoice).toEqual({ status: 'COMMITTED', migrated: true, target_date: '2012-01-01' });
    expect((await itemsOf(invoiceId)).map((i) => [i.type, i.amount])).toEqual([['RECURRING', '29.95']]);
  });
});
