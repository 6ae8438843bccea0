import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { accountBalance, InvoicePaymentRow, invoiceAmounts, InvoiceStore, parentBalances } from '@kb/invoice';
import { newRequestContext, runWithContext, tenantRepository, Transactions } from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const INVOICES = '/1.0/kb/invoices';

interface InvoiceRowView {
  id: string;
  status: string;
  parent_invoice: boolean;
  invoice_date: string;
  target_date: string | null;
}

interface ItemView {
  id: string;
  invoice_id: string;
  type: string;
  child_account_id: string | null;
  description: string | null;
  amount: string;
  linked_item_id: string | null;
}

/**
 * Hierarchical accounts in invoicing (spec 1.16, worked example E6): child invoices of accounts that
 * delegate payment to their parent are summarised on the parent's DRAFT parent invoice, committed at
 * 23:59:59.999 UTC. Kill Bill's TestIntegrationParentInvoice#testParentInvoiceGeneration uses Shotgun
 * (249.95) and Pistol (29.95) after 30-day trials; SpyCarAdvanced's sports-monthly (500.00) and
 * standard-monthly (100.00), also 30-day trials with a $0 fixed price, take their places.
 */
describe('Parent / child invoices', () => {
  let t: TestApp;

  // Each test has a tenant and a clock of its own.
  beforeAll(async () => {
    t = await startTestApp({ 'org.killbill.server.test.clock.perTenant': 'true' });
  });
  afterAll(() => t.close());

  const clock = (tenant: TestTenant) => ({
    set: (requestedDate: string) => t.http.post('/1.0/kb/test/clock').query({ requestedDate, timeoutSec: 10 }).set(tenant.headers).expect(200),
    addDays: (days: number) => t.http.put('/1.0/kb/test/clock').query({ days, timeoutSec: 10 }).set(tenant.headers).expect(200),
    drain: () => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200),
  });

  const invoicesOf = (accountId: string) =>
    t.query<InvoiceRowView>(
      'SELECT id, status, parent_invoice, invoice_date::text, target_date::text FROM invoices WHERE account_id = $1 ORDER BY record_id',
      [accountId],
    );
  const itemsOf = (invoiceId: string) =>
    t.query<ItemView>(
      'SELECT id, invoice_id, type, child_account_id, description, amount::float8::text AS amount, linked_item_id FROM invoice_items WHERE invoice_id = $1 ORDER BY record_id',
      [invoiceId],
    );
  const linksOf = (parentInvoiceId: string) =>
    t.query<{ child_invoice_id: string; child_account_id: string }>(
      'SELECT child_invoice_id, child_account_id FROM invoice_parent_children WHERE parent_invoice_id = $1 ORDER BY record_id',
      [parentInvoiceId],
    );
  const tenantRecordIdOf = async (accountId: string) =>
    Number((await t.query<{ tenant_record_id: string }>('SELECT tenant_record_id FROM accounts WHERE id = $1', [accountId]))[0].tenant_record_id);
  const summaries = (items: ItemView[]) => items.map((item) => [item.type, item.child_account_id, item.description, Number(item.amount).toFixed(2)]);

  async function family(tenant: TestTenant, key: string, delegated = [true, true]) {
    const parentId = await createAccount(t, tenant, { name: 'Parent', externalKey: `${key}-parent`, currency: 'USD' });
    const children: string[] = [];
    for (const [index, isPaymentDelegatedToParent] of delegated.entries()) {
      children.push(await createAccount(t, tenant, { name: `Child ${index + 1}`, externalKey: `${key}-child-${index + 1}`, currency: 'USD', parentAccountId: parentId, isPaymentDelegatedToParent }));
    }
    return { parentId, children };
  }

  async function subscribe(tenant: TestTenant, accountId: string, planName: string) {
    await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName }).expect(201);
    await clock(tenant).drain();
  }

  async function adjust(tenant: TestTenant, accountId: string, item: ItemView, amount: number) {
    await t.http.post(`${INVOICES}/${item.invoice_id}`).set(tenant.headers).send({ accountId, invoiceItemId: item.id, amount }).expect(201);
    await clock(tenant).drain();
  }

  async function charge(tenant: TestTenant, accountId: string, amount: number): Promise<ItemView> {
    const [item] = (await t.http.post(`${INVOICES}/charges/${accountId}`).query({ autoCommit: true }).set(tenant.headers).send([{ amount }]).expect(200)).body;
    await clock(tenant).drain();
    return (await itemsOf(item.invoiceId)).find((row) => row.type === 'EXTERNAL_CHARGE')!;
  }

  /** The child's balances as the read side computes them: its invoices, their parents in one query, the balance engine. */
  async function childBalances(accountId: string) {
    const tenantRecordId = await tenantRecordIdOf(accountId);
    const store = t.app.get(InvoiceStore);
    const invoices = (await store.forAccount(t.dataSource.manager, tenantRecordId, accountId)).map((loaded) => loaded.record);
    const parents = await store.parentInvoicesOf(
      t.dataSource.manager,
      tenantRecordId,
      invoices.map((invoice) => invoice.id),
    );
    const balances = parentBalances(new Map([...parents].map(([id, parent]) => [id, parent.record])));
    return {
      account: accountBalance(invoices, balances).toFixed(2),
      invoices: invoices.map((invoice) => invoiceAmounts(invoice, { parentRawBalance: balances.get(invoice.id) }).balance.toFixed(2)),
    };
  }

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
            paymentDate: new Date('2015-06-15T00:00:00Z'),
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

  it('E6: the children trials open a $0 parent draft committed at 23:59:59.999 UTC; the next cycle sums 500 + 100 on a new draft; adjustments follow', async () => {
    const tenant = await globalCatalogTenant(t);
    await clock(tenant).set('2015-05-15T06:00:00.000Z');
    const { parentId, children } = await family(tenant, 'e6');
    const [shotgun, pistol] = children;
    await subscribe(tenant, shotgun, 'sports-monthly');
    await subscribe(tenant, pistol, 'standard-monthly');

    const [first] = await invoicesOf(parentId);
    expect(await invoicesOf(parentId)).toHaveLength(1);
    expect(first).toMatchObject({ status: 'DRAFT', parent_invoice: true, invoice_date: '2015-05-15', target_date: null });
    expect(summaries(await itemsOf(first.id))).toEqual([
      ['PARENT_SUMMARY', shotgun, 'e6-child-1 summary', '0.00'],
      ['PARENT_SUMMARY', pistol, 'e6-child-2 summary', '0.00'],
    ]);
    const childInvoices = [...(await invoicesOf(shotgun)), ...(await invoicesOf(pistol))];
    expect((await linksOf(first.id)).map((link) => link.child_invoice_id)).toEqual(childInvoices.map((invoice) => invoice.id));
    const commits = await t.query<{ effective_date: Date; event_json: string }>(`SELECT effective_date, event_json FROM notifications WHERE queue_name = 'invoice-parent-commit' AND event_json LIKE $1`, [
      `%${first.id}%`,
    ]);
    expect(commits.map((row) => row.effective_date.toISOString())).toEqual(['2015-05-15T23:59:59.999Z']);

    await clock(tenant).addDays(1);
    expect((await invoicesOf(parentId)).map((invoice) => invoice.status)).toEqual(['COMMITTED']);
    const created = await t.query<{ event_json: string }>(`SELECT event_json FROM bus_events_history WHERE class_name = 'INVOICE_CREATION' AND event_json LIKE $1`, [`%${first.id}%`]);
    expect(created).toHaveLength(1);

    // 2015-06-14: the trials end; both RECURRING child invoices land on a new parent draft.
    await clock(tenant).addDays(29);
    const parentInvoices = await invoicesOf(parentId);
    expect(parentInvoices.map((invoice) => [invoice.status, invoice.invoice_date])).toEqual([
      ['COMMITTED', '2015-05-15'],
      ['DRAFT', '2015-06-14'],
    ]);
    const draft = parentInvoices[1];
    expect(summaries(await itemsOf(draft.id))).toEqual([
      ['PARENT_SUMMARY', shotgun, 'e6-child-1 summary', '500.00'],
      ['PARENT_SUMMARY', pistol, 'e6-child-2 summary', '100.00'],
    ]);
    // While the parent is DRAFT the children owe nothing (Kill Bill's hasZeroParentBalance).
    expect(await childBalances(shotgun)).toEqual({ account: '0.00', invoices: ['0.00', '0.00'] });
    expect(await childBalances(pistol)).toEqual({ account: '0.00', invoices: ['0.00', '0.00'] });

    // An item adjustment on a child while the parent is DRAFT lowers its summary.
    const shotgunRecurring = (await itemsOf((await invoicesOf(shotgun))[1].id)).find((item) => item.type === 'RECURRING')!;
    expect(Number(shotgunRecurring.amount).toFixed(2)).toBe('500.00');
    await adjust(tenant, shotgun, shotgunRecurring, 50);
    expect(summaries(await itemsOf(draft.id))).toEqual([
      ['PARENT_SUMMARY', shotgun, 'e6-child-1 summary', '450.00'],
      ['PARENT_SUMMARY', pistol, 'e6-child-2 summary', '100.00'],
    ]);
    const history = await t.query<{ amount: string }>(
      `SELECT amount::float8::text AS amount FROM invoice_items_history WHERE target_record_id = (SELECT record_id FROM invoice_items WHERE invoice_id = $1 AND child_account_id = $2) ORDER BY record_id`,
      [draft.id, shotgun],
    );
    expect(history.map((row) => Number(row.amount).toFixed(2))).toEqual(['500.00', '450.00']);

    // 2015-06-15: committed and unpaid, the children show their own balances; an adjustment becomes an ITEM_ADJ of the summary.
    await clock(tenant).addDays(1);
    expect((await invoicesOf(parentId)).map((invoice) => invoice.status)).toEqual(['COMMITTED', 'COMMITTED']);
    expect(await childBalances(shotgun)).toEqual({ account: '450.00', invoices: ['0.00', '450.00'] });
    const pistolRecurring = (await itemsOf((await invoicesOf(pistol))[1].id)).find((item) => item.type === 'RECURRING')!;
    await adjust(tenant, pistol, pistolRecurring, 10);
    const parentItems = await itemsOf(draft.id);
    const pistolSummary = parentItems.find((item) => item.child_account_id === pistol)!;
    expect(parentItems.map((item) => [item.type, item.description, Number(item.amount).toFixed(2), item.linked_item_id])).toEqual([
      ['PARENT_SUMMARY', 'e6-child-1 summary', '450.00', null],
      ['PARENT_SUMMARY', 'e6-child-2 summary', '100.00', null],
      ['ITEM_ADJ', 'Adjustment for account e6-child-2', '-10.00', pistolSummary.id],
    ]);

    // Paid in full, the parent owes nothing: the children read 0 and a further adjustment is ignored.
    await pay(draft.id, parentId, '540.00');
    expect(await childBalances(shotgun)).toEqual({ account: '0.00', invoices: ['0.00', '0.00'] });
    await adjust(tenant, shotgun, shotgunRecurring, 5);
    expect(await itemsOf(draft.id)).toHaveLength(3);
  });

  it('external charges: a credit opens no draft, charges open or grow the draft (net of the credit used), a child adjustment propagates, no delegation no summary', async () => {
    const tenant = await globalCatalogTenant(t);
    await clock(tenant).set('2015-05-15T06:00:00.000Z');
    const { parentId, children } = await family(tenant, 'ext', [true, false]);
    const [child, loner] = children;

    // A first child invoice with a negative amount (a credit) opens no parent draft.
    await t.http.post('/1.0/kb/credits').query({ autoCommit: true }).set(tenant.headers).send([{ accountId: child, amount: 20 }]).expect(200);
    await clock(tenant).drain();
    expect(await invoicesOf(parentId)).toEqual([]);

    // 50 charged, 20 of credit used: the child invoice amounts to 30 (Kill Bill's computeChildInvoiceAmount).
    const first = await charge(tenant, child, 50);
    const [draft] = await invoicesOf(parentId);
    expect(draft).toMatchObject({ status: 'DRAFT', parent_invoice: true });
    expect(summaries(await itemsOf(draft.id))).toEqual([['PARENT_SUMMARY', child, 'ext-child-1 summary', '30.00']]);
    await charge(tenant, child, 15);
    expect(summaries(await itemsOf(draft.id))).toEqual([['PARENT_SUMMARY', child, 'ext-child-1 summary', '45.00']]);
    expect(await linksOf(draft.id)).toHaveLength(2);

    await adjust(tenant, child, first, 5);
    expect(summaries(await itemsOf(draft.id))).toEqual([['PARENT_SUMMARY', child, 'ext-child-1 summary', '40.00']]);

    // A child that does not delegate its payments is billed on its own.
    await charge(tenant, loner, 10);
    expect(await invoicesOf(parentId)).toHaveLength(1);
    expect(await itemsOf(draft.id)).toHaveLength(1);
    const lonerInvoices = await invoicesOf(loner);
    expect(await t.query('SELECT 1 FROM invoice_parent_children WHERE child_invoice_id = $1', [lonerInvoices[0].id])).toEqual([]);
    expect(await childBalances(loner)).toEqual({ account: '10.00', invoices: ['10.00'] });
  });

  it('tenant isolation: each parent summarises its own children, and parent invoices are only found in their tenant', async () => {
    const [a, b] = [await globalCatalogTenant(t), await globalCatalogTenant(t)];
    await clock(a).set('2015-05-15T06:00:00.000Z');
    await clock(b).set('2015-05-15T06:00:00.000Z');
    const familyA = await family(a, 'iso', [true]);
    const familyB = await family(b, 'iso', [true]);
    await charge(a, familyA.children[0], 7);
    await charge(b, familyB.children[0], 9);
    const [draftA] = await invoicesOf(familyA.parentId);
    const [draftB] = await invoicesOf(familyB.parentId);
    expect(summaries(await itemsOf(draftA.id))).toEqual([['PARENT_SUMMARY', familyA.children[0], 'iso-child-1 summary', '7.00']]);
    expect(summaries(await itemsOf(draftB.id))).toEqual([['PARENT_SUMMARY', familyB.children[0], 'iso-child-1 summary', '9.00']]);

    const store = t.app.get(InvoiceStore);
    const [childInvoiceB] = await invoicesOf(familyB.children[0]);
    const tenantA = await tenantRecordIdOf(familyA.parentId);
    const tenantB = await tenantRecordIdOf(familyB.parentId);
    expect((await store.parentInvoicesOf(t.dataSource.manager, tenantA, [childInvoiceB.id])).size).toBe(0);
    expect((await store.parentInvoicesOf(t.dataSource.manager, tenantB, [childInvoiceB.id])).get(childInvoiceB.id)?.row.id).toBe(draftB.id);

    // Tenant A's clock commits tenant A's draft only.
    await clock(a).addDays(1);
    expect((await invoicesOf(familyA.parentId)).map((invoice) => invoice.status)).toEqual(['COMMITTED']);
    expect((await invoicesOf(familyB.parentId)).map((invoice) => invoice.status)).toEqual(['DRAFT']);
  });
});
