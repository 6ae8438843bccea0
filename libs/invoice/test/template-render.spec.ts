import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalDate } from '@js-joda/core';
import Big from 'big.js';
import {
  DEFAULT_LOCALE,
  displayedItems,
  invoiceAmounts,
  type HtmlInvoiceAccount,
  invoiceHtmlModel,
  type InvoiceHtmlInput,
  type InvoiceItemRecord,
  type InvoiceRecord,
  parseJavaProperties,
  renderInvoiceHtml,
  Translator,
} from '@kb/invoice';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/invoice-templates', name), 'utf8');

function item(overrides: Partial<InvoiceItemRecord>): InvoiceItemRecord {
  return {
    id: 'item',
    invoiceId: 'invoice-1',
    accountId: 'account-1',
    childAccountId: null,
    type: 'RECURRING',
    bundleId: null,
    subscriptionId: null,
    description: 'shotgun-monthly-evergreen',
    productName: 'Shotgun',
    planName: 'shotgun-monthly',
    phaseName: 'shotgun-monthly-evergreen',
    usageName: null,
    catalogEffectiveDate: null,
    startDate: LocalDate.of(2024, 3, 15),
    endDate: LocalDate.of(2024, 4, 15),
    amount: new Big('1249.95'),
    rate: new Big('1249.95'),
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: new Date('2024-03-15T00:00:00Z'),
    ...overrides,
  };
}

const invoice: InvoiceRecord = {
  id: 'invoice-1',
  accountId: 'account-1',
  invoiceNumber: 42,
  invoiceDate: LocalDate.of(2024, 3, 15),
  targetDate: LocalDate.of(2024, 3, 15),
  currency: 'USD',
  status: 'COMMITTED',
  migrated: false,
  parentInvoice: false,
  groupId: null,
  writtenOff: false,
  createdDate: new Date('2024-03-15T00:00:00Z'),
  items: [
    item({ id: 'recurring' }),
    item({ id: 'cba-1', type: 'CBA_ADJ', amount: new Big('-20'), description: null, planName: null, productName: null, phaseName: null, endDate: LocalDate.of(2024, 3, 15) }),
    item({ id: 'cba-2', type: 'CBA_ADJ', amount: new Big('5'), description: null, planName: null, productName: null, phaseName: null, endDate: LocalDate.of(2024, 3, 15) }),
    item({ id: 'adj', type: 'CREDIT_ADJ', amount: new Big('0'), description: 'nothing', planName: null, productName: null, phaseName: null }),
  ],
  payments: [
    {
      id: 'p',
      invoiceId: 'invoice-1',
      paymentId: 'payment',
      type: 'ATTEMPT',
      status: 'SUCCESS',
      amount: new Big('1000'),
      currency: 'USD',
      paymentDate: new Date('2024-03-16T00:00:00Z'),
      linkedInvoicePaymentId: null,
    },
  ],
};

const account: HtmlInvoiceAccount = {
  id: 'account-1',
  externalKey: 'jane',
  name: 'Jane <Doe>',
  firstNameLength: 4,
  email: 'jane@example.com',
  billingCycleDayLocal: 15,
  currency: 'USD',
  parentAccountId: null,
  isPaymentDelegatedToParent: false,
  paymentMethodId: null,
  referenceTime: new Date('2024-03-15T00:00:00Z'),
  timeZone: 'UTC',
  locale: 'fr_FR',
  address1: '1 rue de la Paix',
  address2: null,
  companyName: 'Acme SA',
  city: 'Paris',
  stateOrProvince: null,
  country: 'France',
  postalCode: '75002',
  phone: null,
  notes: null,
  migrated: false,
  createdDate: new Date('2024-03-15T00:00:00Z'),
  updatedDate: new Date('2024-03-15T00:00:00Z'),
};

const builtIn = new Map(parseJavaProperties('invoiceTitle=Invoice\ninvoiceDate=Invoice Date:\ninvoiceAmount=Total:\ninvoiceBillTo=Bill To\ncompanyName=Killbill, Inc.'));

function input(overrides: Partial<InvoiceHtmlInput> = {}): InvoiceHtmlInput {
  return {
    invoice,
    amounts: invoiceAmounts(invoice),
    account,
    locale: DEFAULT_LOCALE,
    invoiceText: new Translator(undefined, builtIn),
    catalogText: new Translator(undefined, undefined),
    prettyNames: () => ({ product: 'Shotgun', plan: 'Shotgun Monthly', phase: null, usage: null }),
    ...overrides,
  };
}

describe('Invoice HTML model and rendering', () => {
  it('merges the credit items into one line and drops adjustments that sum to zero, as Kill Bill shows them', () => {
    const shown = displayedItems(invoice.items);
    expect(shown.map((i) => [i.type, i.amount.toString()])).toEqual([
      ['RECURRING', '1249.95'],
      ['CBA_ADJ', '-15'],
    ]);
  });

  it('gives the template Kill Bill’s keys with amounts and dates formatted in the locale', () => {
    const model = invoiceHtmlModel(input()) as { invoice: Record<string, unknown>; text: Record<string, unknown> };
    expect(model.invoice).toMatchObject({
      invoiceNumber: 42,
      formattedInvoiceDate: 'Mar 15, 2024',
      chargedAmount: '1249.95',
      paidAmount: '1000.00',
      balance: '234.95',
      formattedChargedAmount: '$1,249.95',
      formattedPaidAmount: '$1,000.00',
      formattedBalance: '$234.95',
      currency: 'USD',
    });
    expect((model.invoice.invoiceItems as Record<string, unknown>[])[0]).toMatchObject({
      description: 'shotgun-monthly-evergreen',
      planName: 'shotgun-monthly',
      prettyPlanName: 'Shotgun Monthly',
      formattedStartDate: 'Mar 15, 2024',
      formattedEndDate: 'Apr 15, 2024',
      amount: '1249.95',
      formattedAmount: '$1,249.95',
    });
    // Texts the bundles lack stay their key (Kill Bill's translator); the subject is null then.
    expect(model.text).toMatchObject({ invoiceTitle: 'Invoice', invoiceItemAmount: 'invoiceItemAmount', invoiceEmailSubject: null });
  });

  it('formats per locale: French dates, Java’s symbol on items, the currency’s own symbol on totals', () => {
    const model = invoiceHtmlModel(input({ locale: { language: 'fr', country: 'FR' } })) as { invoice: Record<string, unknown> };
    expect(model.invoice.formattedInvoiceDate).toBe('15 mars 2024');
    expect(model.invoice.formattedBalance).toBe('234,95\u00a0$');
    expect((model.invoice.invoiceItems as Record<string, unknown>[])[0].formattedAmount).toBe('1\u202f249,95\u00a0$US');
  });

  it('translates the labels from the locale bundle, then the default one, and catalog names from the catalog bundle', () => {
    const french = new Map(parseJavaProperties('invoiceTitle=Facture\ninvoiceBillTo=Facturer \\u00e0'));
    const catalog = new Map(parseJavaProperties(fixture('CatalogTranslation_fr_CA.properties')));
    const html = renderInvoiceHtml(
      undefined,
      invoiceHtmlModel(input({ invoiceText: new Translator(french, builtIn), catalogText: new Translator(catalog, undefined), prettyNames: () => ({ product: null, plan: null, phase: null, usage: null }) })),
    );
    expect(html).toContain('<h1 class="title">Facture</h1>');
    expect(html).toContain('Facturer à');
    expect(html).toContain('Invoice Date:'); // from the default bundle
    expect(html).toContain('Killbill, Inc.');
    expect(html).toContain('<td class="amount">$1,249.95</td>');
    expect(html).toContain('Jane &lt;Doe&gt;'); // escaped
    const withPlanDescription = renderInvoiceHtml(
      undefined,
      invoiceHtmlModel(input({ invoice: { ...invoice, items: [item({ description: 'shotgun-monthly' })] }, catalogText: new Translator(catalog, undefined), prettyNames: () => ({ product: null, plan: null, phase: null, usage: null }) })),
    );
    expect(withPlanDescription).toContain('Fusil de chasse mensuel');
  });

  it('renders Kill Bill’s own default template unchanged, its custom-key lambda included', () => {
    const bundle = new Map(parseJavaProperties('invoiceTitle=Invoice\ninvoiceDate=Invoice Date: \ninvoiceAmount=Total: \ncustomKey=Test customKey value'));
    const html = renderInvoiceHtml(fixture('HtmlInvoiceTemplate.mustache'), invoiceHtmlModel(input({ invoiceText: new Translator(bundle, undefined) })));
    expect(html).toContain('Invoice INV#42');
    expect(html).toContain('Invoice Date: Mar 15, 2024');
    expect(html).toContain('<td>Mar 15, 2024 - Apr 15, 2024</td>');
    expect(html).toContain('<td>Shotgun Monthly</td>');
    expect(html).toContain('<td>$1,249.95</td>');
    expect(html).toContain('Total: $1,249.95');
    expect(html).toContain('<!-- Test customKey value -->');
    expect(html).toContain('Paris 75002');
  });
});
