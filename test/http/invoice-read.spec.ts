import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { insertInvoice } from '../support/invoices';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const SPY_CAR_BASIC = readFileSync(join(__dirname, '../fixtures/catalogs/SpyCarBasic.xml'), 'utf8');
const UNKNOWN = '00000000-1111-2222-3333-444444444444';

type Json = Record<string, unknown>;

/** The read side of the Invoice resource over invoices stored in its tables. */
describe('Invoice reads', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;
  let bundleId: string;
  let first: Awaited<ReturnType<typeof insertInvoice>>;
  let voided: Awaited<ReturnType<typeof insertInvoice>>;
  let migrated: Awaited<ReturnType<typeof insertInvoice>>;
  let second: Awaited<ReturnType<typeof insertInvoice>>;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    await t.http.post('/1.0/kb/catalog/xml').set({ ...tenant.headers, 'Content-Type': 'text/xml' }).send(SPY_CAR_BASIC).expect(201);
    accountId = await createAccount(t, tenant, { name: 'Reader', currency: 'USD' });
    // The invoices here are inserted by hand: AUTO_INVOICING_OFF keeps the system from invoicing the subscription.
    await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(tenant.headers).send(['00000000-0000-0000-0000-000000000002']).expect(201);
    const bundle = await t.http
      .post('/1.0/kb/subscriptions')
      .set(tenant.headers)
      .send({ accountId, bundleExternalKey: 'reader-bundle', planName: 'standard-monthly' })
      .expect(201);
    bundleId = (await t.http.get(String(bundle.headers.location).replace(/^.*\/1\.0/, '/1.0')).set(tenant.headers).expect(200)).body.bundleId;
    first = await insertInvoice(t, {
      accountId,
      invoiceDate: '2024-01-01',
      groupId: null,
      items: [
        {
          type: 'RECURRING',
          amount: '100',
          rate: '100',
          bundleId,
          productName: 'Standard',
          planName: 'standard-monthly',
          phaseName: 'standard-monthly-evergreen',
          startDate: '2024-01-01',
          endDate: '2024-02-01',
        },
        { type: 'EXTERNAL_CHARGE', amount: '5.5', description: 'extra', planName: 'no-such-plan' },
      ],
      payments: [{ amount: '40' }],
      trackingIds: [{ trackingId: 'tr-1' }, { trackingId: 'tr-gone', isActive: false }],
    });
    voided = await insertInvoice(t, { accountId, status: 'VOID', invoiceDate: '2024-02-01', items: [{ type: 'EXTERNAL_CHARGE', amount: '9' }] });
    migrated = await insertInvoice(t, { accountId, migrated: true, invoiceDate: '2023-12-01', items: [{ type: 'RECURRING', amount: '12' }] });
    second = await insertInvoice(t, { accountId, invoiceDate: '2024-03-01', items: [{ type: 'EXTERNAL_CHARGE', amount: '20' }], payments: [{ amount: '20' }] });
  });
  afterAll(() => t.close());

  const get = (path: string, headers = tenant.headers) => t.http.get(`/1.0/kb${path}`).set(headers);

  describe('GET /invoices/{invoiceId}', () => {
    it('answers the invoice with its items, amounts, tracking ids and pretty names', async () => {
      const response = await get(`/invoices/${first.invoiceId}`).expect(200);
      expect(response.body).toEqual({
        amount: 105.5,
        currency: 'USD',
        status: 'COMMITTED',
        creditAdj: 0,
        refundAdj: 0,
        invoiceId: first.invoiceId,
        invoiceDate: '2024-01-01',
        targetDate: '2024-01-01',
        invoiceNumber: String(first.invoiceNumber),
        balance: 65.5,
        accountId,
        bundleKeys: null,
        credits: null,
        items: [
          expect.objectContaining({
            invoiceItemId: first.itemIds[0],
            invoiceId: first.invoiceId,
            linkedInvoiceItemId: null,
            accountId,
            bundleId,
            itemType: 'RECURRING',
            productName: 'Standard',
            planName: 'standard-monthly',
            phaseName: 'standard-monthly-evergreen',
            prettyProductName: 'Standard',
            prettyPlanName: 'standard-monthly',
            prettyPhaseName: 'standard-monthly-evergreen',
            prettyUsageName: null,
            startDate: '2024-01-01',
            endDate: '2024-02-01',
            amount: 100,
            rate: 100,
            currency: 'USD',
            childItems: null,
            auditLogs: [],
          }),
          expect.objectContaining({ invoiceItemId: first.itemIds[1], itemType: 'EXTERNAL_CHARGE', amount: 5.5, prettyPlanName: null, endDate: null, description: 'extra' }),
        ],
        trackingIds: ['tr-1'],
        isParentInvoice: false,
        parentInvoiceId: null,
        parentAccountId: null,
        auditLogs: [],
      });
    });

    it('carries the audit logs of the invoice and its items at the requested level', async () => {
      const response = await get(`/invoices/${first.invoiceId}?audit=FULL`).expect(200);
      expect(response.body.auditLogs).toEqual([expect.objectContaining({ changeType: 'INSERT', objectType: 'INVOICE', objectId: first.invoiceId, changedBy: 'test' })]);
      expect(response.body.items[0].auditLogs).toEqual([expect.objectContaining({ changeType: 'INSERT', objectType: 'INVOICE_ITEM', objectId: first.itemIds[0] })]);
    });

    it('answers 404 for an unknown invoice, 400 for a bad id, and 404 to another tenant', async () => {
      expect((await get(`/invoices/${UNKNOWN}`).expect(404)).body).toMatchObject({ code: 4006 });
      await get('/invoices/not-a-uuid').expect(400);
      const other = await t.createTenant();
      await get(`/invoices/${first.invoiceId}`, other.headers).expect(404);
      await get(`/invoices/byNumber/${first.invoiceNumber}`, other.headers).expect(404);
      await get(`/invoices/byItemId/${first.itemIds[0]}`, other.headers).expect(404);
      await get(`/accounts/${accountId}/invoices`, other.headers).expect(404);
      const search = await get(`/invoices/search/${first.invoiceId}`, other.headers).expect(200);
      expect(search.body).toEqual([]);
      const all = await get('/invoices/pagination', other.headers).expect(200);
      expect(all.body).toEqual([]);
      expect(all.headers['x-killbill-pagination-maxnbrecords']).toBe('0');
    });
  });

  it('GET /invoices/byNumber/{n}: the invoice of that number, 404 otherwise', async () => {
    expect((await get(`/invoices/byNumber/${second.invoiceNumber}`).expect(200)).body).toMatchObject({ invoiceId: second.invoiceId, balance: 0, amount: 20 });
    expect((await get('/invoices/byNumber/999999').expect(404)).body).toMatchObject({ code: 4018 });
    await get('/invoices/byNumber/abc').expect(404);
  });

  it('GET /invoices/byItemId/{itemId}: the invoice holding the item, 404 for an unknown item, 400 for a bad id', async () => {
    expect((await get(`/invoices/byItemId/${first.itemIds[1]}`).expect(200)).body).toMatchObject({ invoiceId: first.invoiceId, items: [{}, {}] });
    expect((await get(`/invoices/byItemId/${UNKNOWN}`).expect(404)).body).toMatchObject({ code: 4011 });
    await get('/invoices/byItemId/nope').expect(400);
  });

  it('GET /invoices/pagination: shallow invoices of the tenant, paged with the pagination headers', async () => {
    const response = await get('/invoices/pagination?offset=1&limit=2').expect(200);
    expect(response.body.map((invoice: Json) => invoice.invoiceId)).toEqual([voided.invoiceId, migrated.invoiceId]);
    expect(response.body[0]).toMatchObject({ items: [], trackingIds: [], amount: 9, balance: 0, status: 'VOID' });
    expect(response.headers['x-killbill-pagination-currentoffset']).toBe('1');
    expect(response.headers['x-killbill-pagination-nextoffset']).toBe('3');
    expect(response.headers['x-killbill-pagination-totalnbrecords']).toBe('4');
    expect(response.headers['x-killbill-pagination-maxnbrecords']).toBe('4');
  });

  it('GET /invoices/search/{key}: by number, currency, invoice id or account id', async () => {
    const ids = async (key: string) => (await get(`/invoices/search/${key}`).expect(200)).body.map((invoice: Json) => invoice.invoiceId);
    expect(await ids(String(second.invoiceNumber))).toEqual([second.invoiceId]);
    expect(await ids(first.invoiceId)).toEqual([first.invoiceId]);
    expect(await ids(accountId)).toEqual([first.invoiceId, voided.invoiceId, migrated.invoiceId, second.invoiceId]);
    expect(await ids('USD')).toHaveLength(4);
    expect(await ids('EUR')).toEqual([]);
    expect(await ids('whatever')).toEqual([]);
    const paged = await get(`/invoices/search/${accountId}?offset=0&limit=1`).expect(200);
    expect(paged.headers['x-killbill-pagination-totalnbrecords']).toBe('4');
    expect(paged.headers['x-killbill-pagination-nextoffset']).toBe('1');
  });

  describe('GET /accounts/{accountId}/invoices', () => {
    const ids = async (query = '') => (await get(`/accounts/${accountId}/invoices${query}`).expect(200)).body.map((invoice: Json) => invoice.invoiceId);

    it('answers the non-VOID, non-migrated invoices without items, oldest first', async () => {
      const response = await get(`/accounts/${accountId}/invoices`).expect(200);
      expect(response.body.map((invoice: Json) => invoice.invoiceId)).toEqual([first.invoiceId, second.invoiceId]);
      expect(response.body[0]).toMatchObject({ items: [], balance: 65.5 });
    });

    it("applies Kill Bill's filters", async () => {
      expect(await ids('?includeVoidedInvoices=true')).toEqual([first.invoiceId, voided.invoiceId, second.invoiceId]);
      expect(await ids('?withMigrationInvoices=true')).toEqual([migrated.invoiceId, first.invoiceId, second.invoiceId]);
      expect(await ids('?unpaidInvoicesOnly=true')).toEqual([first.invoiceId]);
      expect(await ids('?startDate=2024-02-01')).toEqual([second.invoiceId]);
      expect(await ids('?endDate=2024-02-01')).toEqual([first.invoiceId]);
      expect(await ids(`?invoicesFilter=${second.invoiceId},${voided.invoiceId}`)).toEqual([second.invoiceId]);
      const withItems = await get(`/accounts/${accountId}/invoices?includeInvoiceComponents=true`).expect(200);
      expect(withItems.body[0].items).toHaveLength(2);
      const unpaid = await get(`/accounts/${accountId}/invoices?unpaidInvoicesOnly=true`).expect(200);
      expect(unpaid.body[0].items).toHaveLength(2);
    });

    it('refuses the combinations Kill Bill refuses, a bad date, an unknown or malformed account', async () => {
      await get(`/accounts/${accountId}/invoices?unpaidInvoicesOnly=true&withMigrationInvoices=true`).expect(400);
      await get(`/accounts/${accountId}/invoices?startDate=2024-01-01&withMigrationInvoices=true`).expect(400);
      await get(`/accounts/${accountId}/invoices?unpaidInvoicesOnly=true&includeInvoiceComponents=true`).expect(400);
      await get(`/accounts/${accountId}/invoices?startDate=2024-13-01`).expect(400);
      await get(`/accounts/${UNKNOWN}/invoices`).expect(404);
      await get('/accounts/bad/invoices').expect(400);
    });

    it('GET …/invoices/pagination: every invoice of the account, shallow and paged', async () => {
      const response = await get(`/accounts/${accountId}/invoices/pagination?limit=3`).expect(200);
      expect(response.body.map((invoice: Json) => invoice.invoiceId)).toEqual([first.invoiceId, voided.invoiceId, migrated.invoiceId]);
      expect(response.body[0].items).toEqual([]);
      expect(response.headers['x-killbill-pagination-totalnbrecords']).toBe('4');
      expect(response.headers['x-killbill-pagination-nextoffset']).toBe('3');
      await get(`/accounts/${UNKNOWN}/invoices/pagination`).expect(404);
    });
  });

  describe('parent and child invoices', () => {
    it('GET /invoices/{id}/group and withChildrenItems: a run group, and a parent summary with the child items', async () => {
      const parentId = await createAccount(t, tenant, { name: 'Parent', currency: 'USD' });
      const childId = await createAccount(t, tenant, { name: 'Child', currency: 'USD', parentAccountId: parentId, isPaymentDelegatedToParent: true });
      const groupId = randomUUID();
      const parent = await insertInvoice(t, {
        accountId: parentId,
        parentInvoice: true,
        groupId,
        items: [{ type: 'PARENT_SUMMARY', amount: '30', childAccountId: childId }],
      });
      const child = await insertInvoice(t, { accountId: childId, parentInvoiceId: parent.invoiceId, items: [{ type: 'RECURRING', amount: '30' }] });

      const plain = await get(`/invoices/${parent.invoiceId}`).expect(200);
      expect(plain.body).toMatchObject({ isParentInvoice: true, items: [{ itemType: 'PARENT_SUMMARY', childItems: null }] });
      const withChildren = await get(`/invoices/${parent.invoiceId}?withChildrenItems=true`).expect(200);
      expect(withChildren.body.items[0].childItems).toEqual([expect.objectContaining({ invoiceItemId: child.itemIds[0], accountId: childId, amount: 30 })]);
      expect((await get(`/invoices/${child.invoiceId}`).expect(200)).body).toMatchObject({ parentInvoiceId: parent.invoiceId, parentAccountId: parentId });

      const group = await get(`/invoices/${groupId}/group?accountId=${parentId}&withChildrenItems=true`).expect(200);
      expect(group.body).toEqual([expect.objectContaining({ invoiceId: parent.invoiceId, items: [expect.objectContaining({ childItems: [expect.anything()] })] })]);
      await get(`/invoices/${groupId}/group?accountId=${childId}`).expect(404);
      await get(`/invoices/${groupId}/group`).expect(400);
      await get(`/invoices/bad/group?accountId=${parentId}`).expect(400);
    });
  });

  describe('tags, custom fields and audit logs with history', () => {
    it('of an invoice', async () => {
      const audits = await get(`/invoices/${first.invoiceId}/auditLogsWithHistory`).expect(200);
      expect(audits.body).toEqual([expect.objectContaining({ changeType: 'INSERT', objectId: first.invoiceId, history: expect.objectContaining({ status: 'COMMITTED' }) })]);
      await t.http
        .post(`/1.0/kb/invoices/${first.invoiceId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'po', value: '42' }])
        .expect(201);
      expect((await get(`/invoices/${first.invoiceId}/customFields`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'INVOICE', name: 'po', value: '42' })]);
      expect((await get(`/invoices/${first.invoiceId}/tags`).expect(200)).body).toEqual([]);
      await get(`/invoices/${UNKNOWN}/tags`).expect(404);
    });

    it('of an invoice item', async () => {
      const itemId = first.itemIds[0];
      const audits = await get(`/invoiceItems/${itemId}/auditLogsWithHistory`).expect(200);
      expect(audits.body).toEqual([expect.objectContaining({ objectType: 'INVOICE_ITEM', objectId: itemId, history: expect.objectContaining({ type: 'RECURRING' }) })]);
      await t.http
        .post(`/1.0/kb/invoiceItems/${itemId}/customFields`)
        .set(tenant.headers)
        .send([{ name: 'line', value: 'a' }])
        .expect(201);
      expect((await get(`/invoiceItems/${itemId}/customFields`).expect(200)).body).toEqual([expect.objectContaining({ objectType: 'INVOICE_ITEM', name: 'line' })]);
      expect((await get(`/invoiceItems/${itemId}/tags?accountId=${accountId}`).expect(200)).body).toEqual([]);
      await get(`/invoiceItems/${UNKNOWN}/auditLogsWithHistory`).expect(404);
    });
  });

  it("GET /accounts/{id}/timeline: the account's invoices in the timeline's form", async () => {
    const creditAccount = await createAccount(t, tenant, { name: 'Timeline', currency: 'USD' });
    const credit = await insertInvoice(t, { accountId: creditAccount, items: [{ type: 'CREDIT_ADJ', amount: '-20' }, { type: 'CBA_ADJ', amount: '20' }] });
    const charge = await insertInvoice(t, { accountId: creditAccount, items: [{ type: 'EXTERNAL_CHARGE', amount: '100' }, { type: 'CBA_ADJ', amount: '-20' }] });
    const timeline = await get(`/accounts/${creditAccount}/timeline`).expect(200);
    expect(timeline.body.invoices.map((invoice: Json) => [invoice.invoiceId, invoice.balance])).toEqual([
      [credit.invoiceId, 0],
      [charge.invoiceId, 80],
    ]);
    for (const invoice of timeline.body.invoices) {
      expect(invoice).toMatchObject({ items: null, trackingIds: null, bundleKeys: '' });
      expect(invoice.credits).toEqual([expect.objectContaining({ invoiceItemId: credit.itemIds[0], itemType: 'CREDIT_ADJ', amount: -20, childItems: [] })]);
    }
    const withBundle = await get(`/accounts/${accountId}/timeline`).expect(200);
    expect(withBundle.body.invoices.map((invoice: Json) => invoice.bundleKeys)).toEqual(['reader-bundle', '']);
  });
});
