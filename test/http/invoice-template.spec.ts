import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDate } from '@js-joda/core';
import Big from 'big.js';
import { newRequestContext, runWithContext, Transactions } from '@kb/platform';
import { CONTROL_TAGS } from '@kb/tag';
import { InvoiceItemRow, InvoiceRow } from '@kb/invoice';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const KILLBILL_TEMPLATE = readFileSync(join(__dirname, '../fixtures/invoice-templates/HtmlInvoiceTemplate.mustache'), 'utf8');

describe('Invoice templates, translations and HTML', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
  });
  afterAll(() => t.close());

  const upload = (path: string, body: string, contentType = 'text/plain', headers = tenant.headers) => t.http.post(path).set(headers).set('Content-Type', contentType).send(body);

  describe.each([
    ['template', '/1.0/kb/invoices/template', '/1.0/kb/invoices/template', '/1.0/kb/invoices/template', 'text/html', '<p>{{invoice.invoiceNumber}}</p>'],
    ['manual-pay template', '/1.0/kb/invoices/manualPayTemplate', '/1.0/kb/invoices/manualPayTemplate/en_US', '/1.0/kb/invoices/manualPayTemplate/fr_FR', 'text/html', '<p>manual</p>'],
    ['invoice translation', '/1.0/kb/invoices/translation/fr_FR', '/1.0/kb/invoices/translation/fr_FR', '/1.0/kb/invoices/translation/fr_FR', 'text/plain', 'invoiceTitle=Facture'],
    ['catalog translation', '/1.0/kb/invoices/catalogTranslation/fr_FR', '/1.0/kb/invoices/catalogTranslation/fr_FR', '/1.0/kb/invoices/catalogTranslation/fr_FR', 'text/plain', 'gold=Or'],
  ])('%s', (_name, uploadPath, location, getPath, contentType, body) => {
    let own: TestTenant;
    beforeAll(async () => {
      own = await t.createTenant();
    });

    it('is 404 (empty) before an upload, stored with a 201 to its GET, then returned raw', async () => {
      const missing = await t.http.get(getPath).set(own.headers).expect(404);
      expect(missing.text).toBe('');
      const created = await upload(uploadPath, body, contentType, own.headers).expect(201);
      expect(new URL(String(created.headers.location)).pathname).toBe(location);
      const read = await t.http.get(getPath).set(own.headers).expect(200);
      expect(read.text).toBe(body);
      expect(read.headers['content-type']).toContain(contentType);
    });

    it('refuses a second upload with a bare 400 unless deleteIfExists, which replaces it', async () => {
      const refused = await upload(uploadPath, `${body}2`, contentType, own.headers).expect(400);
      expect(refused.text).toBe('');
      expect((await t.http.get(getPath).set(own.headers).expect(200)).text).toBe(body);
      await upload(`${uploadPath}?deleteIfExists=true`, `${body}2`, contentType, own.headers).expect(201);
      expect((await t.http.get(getPath).set(own.headers).expect(200)).text).toBe(`${body}2`);
    });

    it('belongs to its tenant', async () => {
      await t.http.get(getPath).set(tenant.headers).expect(404);
    });
  });

  it('stores a translation under Kill Bill’s key (language_country) and validates it as .properties', async () => {
    await upload('/1.0/kb/invoices/translation/de-DE', 'invoiceTitle=Rechnung').expect(201);
    const [row] = await t.query<{ tenant_value: string }>(`SELECT tenant_value FROM tenant_kvs WHERE tenant_key = 'INVOICE_TRANSLATION_de_DE' AND is_active`);
    expect(row.tenant_value).toBe('invoiceTitle=Rechnung');
    expect((await t.http.get('/1.0/kb/invoices/translation/de_DE').set(tenant.headers).expect(200)).text).toBe('invoiceTitle=Rechnung');

    const malformed = await upload('/1.0/kb/invoices/translation/it_IT', 'invoiceTitle=Fattura \\u00G0').expect(400);
    expect(malformed.body.message).toContain('Malformed \\uxxxx encoding');
    await t.http.get('/1.0/kb/invoices/translation/it_IT').set(tenant.headers).expect(404);
    await upload('/1.0/kb/invoices/catalogTranslation/it_IT', 'a=\\u12').expect(400);
    const badLocale = await upload('/1.0/kb/invoices/translation/italian', 'a=b').expect(400);
    expect(badLocale.body.message).toContain('Invalid locale format: italian');
    await t.http.get('/1.0/kb/invoices/translation/italian').set(tenant.headers).expect(400);
  });

  it('needs a body and the X-Killbill-CreatedBy of a write', async () => {
    await t.http.post('/1.0/kb/invoices/template').set(tenant.headers).expect(415);
    const { 'X-Killbill-CreatedBy': _createdBy, ...anonymous } = tenant.headers;
    await upload('/1.0/kb/invoices/translation/es_ES', 'a=b', 'text/plain', anonymous).expect(400);
  });

  describe('GET /invoices/{invoiceId}/html', () => {
    let htmlTenant: TestTenant;
    let accountId: string;
    let invoiceId: string;

    /** An invoice with a recurring item, a fixed one and credit, written through the entities (generation is not here yet). */
    async function insertInvoice(forTenant: TestTenant, forAccount: string): Promise<string> {
      const [{ record_id: tenantRecordId }] = await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [forTenant.id]);
      const [{ record_id: accountRecordId }] = await t.query<{ record_id: string }>(`SELECT record_id FROM accounts WHERE id = $1`, [forAccount]);
      const id = randomUUID();
      const now = new Date('2024-03-15T10:00:00Z');
      const audit = { createdDate: now, updatedDate: now, createdBy: 'test', updatedBy: 'test', tenantRecordId: Number(tenantRecordId), accountRecordId: Number(accountRecordId) };
      const transactions = t.app.get(Transactions);
      await runWithContext(newRequestContext({ tenant: { recordId: Number(tenantRecordId) }, createdBy: 'test' }), () =>
        transactions.run(async (manager) => {
          await manager.getRepository(InvoiceRow).save(
            Object.assign(new InvoiceRow(), { ...audit, id, accountId: forAccount, invoiceDate: LocalDate.of(2024, 3, 15), targetDate: LocalDate.of(2024, 3, 15), currency: 'EUR', status: 'COMMITTED', migrated: false, parentInvoice: false, grpId: id }),
          );
          const item = (values: Partial<InvoiceItemRow>) =>
            Object.assign(new InvoiceItemRow(), {
              ...audit,
              id: randomUUID(),
              invoiceId: id,
              accountId: forAccount,
              childAccountId: null,
              bundleId: null,
              subscriptionId: null,
              productName: null,
              planName: null,
              phaseName: null,
              usageName: null,
              catalogEffectiveDate: null,
              rate: null,
              currency: 'EUR',
              linkedItemId: null,
              quantity: null,
              itemDetails: null,
              endDate: null,
              ...values,
            });
          await manager.getRepository(InvoiceItemRow).save([
            item({ type: 'RECURRING', description: 'gold-monthly-evergreen', planName: 'gold-monthly', productName: 'Gold', phaseName: 'gold-monthly-evergreen', startDate: LocalDate.of(2024, 3, 15), endDate: LocalDate.of(2024, 4, 15), amount: new Big('1234.5') }),
            item({ type: 'FIXED', description: 'setup', startDate: LocalDate.of(2024, 3, 15), amount: new Big('10') }),
            item({ type: 'CBA_ADJ', description: 'Credit', startDate: LocalDate.of(2024, 3, 15), endDate: LocalDate.of(2024, 3, 15), amount: new Big('-100') }),
          ]);
        }),
      );
      return id;
    }

    beforeAll(async () => {
      htmlTenant = await t.createTenant();
      accountId = await createAccount(t, htmlTenant, { name: 'Marie Curie', currency: 'EUR', locale: 'fr_FR', address1: '1 rue Pierre', city: 'Paris', postalCode: '75005', country: 'FR' });
      invoiceId = await insertInvoice(htmlTenant, accountId);
    });

    it('renders the built-in template with the amounts, in the account locale', async () => {
      const response = await t.http.get(`/1.0/kb/invoices/${invoiceId}/html`).set(htmlTenant.headers).expect(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      const html = response.text;
      expect(html).toContain('<h1 class="title">Invoice</h1>'); // no fr_FR translation yet: the built-in texts
      expect(html).toContain('Marie Curie');
      expect(html).toContain('15 mars 2024 – 15 avr. 2024');
      expect(html).toContain('<td class="amount">1\u202f234,50\u00a0€</td>');
      expect(html).toContain('<td class="amount">-100,00\u00a0€</td>');
      // charged 1244.50, paid 0, balance 1244.50 - 100 of credit = 1144.50
      expect(html).toMatch(/Total:<\/th><td>1\u202f244,50\u00a0€</);
      expect(html).toMatch(/Amount Paid:<\/th><td>0,00\u00a0€</);
      expect(html).toMatch(/Balance:<\/th><td>1\u202f144,50\u00a0€</);
    });

    it('uses the tenant’s translations for the account locale, falling back to the defaults, and its catalog translation', async () => {
      await upload('/1.0/kb/invoices/translation/fr_FR', 'invoiceTitle=Facture\ninvoiceAmount=Total\\u00a0:\ninvoiceBillTo=Factur\\u00e9 \\u00e0', 'text/plain', htmlTenant.headers).expect(201);
      await upload('/1.0/kb/invoices/catalogTranslation/fr_FR', 'gold-monthly-evergreen=Or mensuel\nsetup=Frais de mise en service', 'text/plain', htmlTenant.headers).expect(201);
      const html = (await t.http.get(`/1.0/kb/invoices/${invoiceId}/html`).set(htmlTenant.headers).expect(200)).text;
      expect(html).toContain('<h1 class="title">Facture</h1>');
      expect(html).toContain('Facturé à');
      expect(html).toMatch(/Total\u00a0:<\/th><td>1\u202f244,50\u00a0€</);
      expect(html).toContain('Amount Paid:'); // not translated: the default bundle's
      expect(html).toContain('Or mensuel');
      expect(html).toContain('Frais de mise en service');
    });

    it('renders a Kill Bill template uploaded unchanged, and the manual-pay one for a MANUAL_PAY account', async () => {
      await upload('/1.0/kb/invoices/template', KILLBILL_TEMPLATE, 'text/html', htmlTenant.headers).expect(201);
      const html = (await t.http.get(`/1.0/kb/invoices/${invoiceId}/html`).set(htmlTenant.headers).expect(200)).text;
      const [{ record_id: invoiceNumber }] = await t.query<{ record_id: string }>(`SELECT record_id FROM invoices WHERE id = $1`, [invoiceId]);
      expect(html).toContain(`Facture INV#${invoiceNumber}`);
      expect(html).toContain('<td>15 mars 2024 - 15 avr. 2024</td>');
      expect(html).toContain('Total\u00a0:1\u202f244,50\u00a0€');
      expect(html).toContain('Paris 75005');

      await upload('/1.0/kb/invoices/manualPayTemplate', '<p>Pay {{invoice.formattedBalance}} by wire, {{account.name}}</p>', 'text/html', htmlTenant.headers).expect(201);
      await t.http.post(`/1.0/kb/accounts/${accountId}/tags`).set(htmlTenant.headers).send([CONTROL_TAGS.MANUAL_PAY.id]).expect(201);
      const manual = (await t.http.get(`/1.0/kb/invoices/${invoiceId}/html`).set(htmlTenant.headers).expect(200)).text;
      expect(manual).toBe('<p>Pay 1\u202f144,50\u00a0€ by wire, Marie Curie</p>');
    });

    it('is a 404 for an unknown invoice and for another tenant’s', async () => {
      const unknown = randomUUID();
      const response = await t.http.get(`/1.0/kb/invoices/${unknown}/html`).set(htmlTenant.headers).expect(404);
      expect(response.body).toMatchObject({ code: 4006, message: `No invoice could be found for id ${unknown}.` });
      await t.http.get(`/1.0/kb/invoices/${invoiceId}/html`).set(tenant.headers).expect(404);
    });
  });
});
