import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import * as killbill from 'killbill';
import { CLIENT_USER as BY, startClientTestApp, type ApiClass, type ClientTestApp } from '../support/killbill-client';
import type { TestApp } from '../support/test-app';

const fixture = (path: string) => readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8');

/**
 * The official Kill Bill JavaScript client against our server, for what travels as text rather than
 * JSON (catalog and overdue XML, per-tenant configuration, invoice templates and HTML, exports) and
 * for the reads a client makes around a payment (tags, custom fields, usage, nodes, plugins).
 */
describe('Tenant configuration, documents and metadata through the official killbill npm client', () => {
  let t: TestApp;
  let configuration: killbill.Configuration;
  let app: ClientTestApp;
  const api = <T>(type: ApiClass<T>): T => app.api(type, configuration);

  beforeAll(async () => {
    app = await startClientTestApp({ tenant: 'no-catalog' });
    t = app.t;
    // A tenant created through the client itself. Not through the Location-following instance: reading
    // a tenant back needs its keys (Kill Bill's TenantFilter spares only POST /1.0/kb/tenants), and the
    // client sends none on a create.
    const admin = new killbill.Configuration({ username: 'admin', password: 'password', basePath: app.basePath });
    const created = await new killbill.TenantApi(admin, undefined, axios.create()).createTenant({ apiKey: 'client-key', apiSecret: 'client-secret' }, BY);
    expect(created.status).toBe(201);
    configuration = app.configurationFor('admin', 'password', { apiKey: 'client-key', apiSecret: 'client-secret' });
    const tenantId = String(created.headers.location).split('/').pop() as string;
    expect((await api(killbill.TenantApi).getTenant(tenantId)).data).toMatchObject({ tenantId, apiKey: 'client-key' });
    await t.http
      .post('/1.0/kb/test/clock')
      .query({ requestedDate: '2013-08-01T06:00:00.000Z' })
      .set({ 'X-Killbill-ApiKey': 'client-key', 'X-Killbill-ApiSecret': 'client-secret' })
      .auth('admin', 'password')
      .expect(200);
  });
  afterAll(() => t.close());

  it('uploads a catalog as XML and reads it back as XML and JSON, with its base plans', async () => {
    const catalogApi = api(killbill.CatalogApi);
    expect((await catalogApi.uploadCatalogXml(fixture('catalogs/SpyCarBasic.xml'), BY)).status).toBe(201);
    const xml = (await catalogApi.getCatalogXml()).data;
    expect(xml).toContain('<catalogName>SpyCarBasic</catalogName>');
    const [catalog] = (await catalogApi.getCatalogJson()).data;
    expect(catalog.name).toBe('SpyCarBasic');
    expect(catalog.products?.map((product) => product.name).sort()).toEqual(['Sports', 'Standard', 'Super']);
    const plans = (await catalogApi.getAvailableBasePlans()).data.map((plan) => plan.plan).sort();
    expect(plans).toContain('sports-monthly');
  });

  it('uploads an overdue configuration and a per-tenant configuration, and reads them back', async () => {
    const overdueApi = api(killbill.OverdueApi);
    expect((await overdueApi.uploadOverdueConfigXml(fixture('overdue/OverdueConfig.xml'), BY)).status).toBe(201);
    expect((await overdueApi.getOverdueConfigXml()).data).toContain('<overdueConfig');

    const tenantApi = api(killbill.TenantApi);
    const settings = JSON.stringify({ 'org.killbill.invoice.sanitySafetyBoundEnabled': 'false' });
    expect((await tenantApi.uploadPerTenantConfiguration(settings, BY)).status).toBe(201);
    const stored = (await tenantApi.getPerTenantConfiguration()).data;
    expect(stored).toMatchObject({ key: 'PER_TENANT_CONFIG', values: [settings] });
  });

  it('renders an invoice with the uploaded template; tags, custom fields, a payment by transaction, usage and the export read back', async () => {
    const accountApi = api(killbill.AccountApi);
    const invoiceApi = api(killbill.InvoiceApi);
    const accountId = (await accountApi.createAccount({ name: 'Documented', currency: 'USD', locale: 'en_US' }, BY)).data.accountId as string;
    const method = (await accountApi.createPaymentMethod({ pluginName: '__EXTERNAL_PAYMENT__' } as killbill.PaymentMethod, accountId, BY, true)).data;
    expect((await api(killbill.PaymentMethodApi).getPaymentMethod(method.paymentMethodId as string)).data).toMatchObject({ accountId, isDefault: true });

    // The invoice template, then an invoice rendered with it.
    expect((await invoiceApi.uploadInvoiceTemplate(fixture('invoice-templates/HtmlInvoiceTemplate.mustache'), BY)).status).toBe(201);
    expect((await invoiceApi.getInvoiceTemplate()).data).toContain('{{');
    const [item] = (
      await invoiceApi.createExternalCharges(
        [{ accountId, amount: 12.34, currency: 'USD', description: 'Printed' } as killbill.InvoiceItem],
        accountId,
        BY,
        undefined,
        true,
      )
    ).data;
    const invoiceId = item.invoiceId as string;
    const html = (await invoiceApi.getInvoiceAsHTML(invoiceId)).data;
    expect(html).toContain('12.34');

    // Tags on the invoice (the client types applicableObjectTypes as a Set, which JSON.stringify writes as {}:
    // an array is what travels); the invoice was paid with the default method: custom fields on that payment.
    const definition = (
      await api(killbill.TagDefinitionApi).createTagDefinition(
        { name: 'printed', description: 'Sent on paper', applicableObjectTypes: ['INVOICE'] } as unknown as killbill.TagDefinition,
        BY,
      )
    ).data;
    const tags = (await invoiceApi.createInvoiceTags([definition.id as string], invoiceId, BY)).data;
    expect(tags.map((tag) => [tag.tagDefinitionName, tag.objectType, tag.objectId])).toEqual([['printed', 'INVOICE', invoiceId]]);
    await t.http
      .get('/1.0/kb/test/queues')
      .query({ timeoutSec: 10 })
      .set({ 'X-Killbill-ApiKey': 'client-key', 'X-Killbill-ApiSecret': 'client-secret' })
      .auth('admin', 'password')
      .expect(200);
    const [payment] = (await accountApi.getPaymentsForAccount(accountId)).data;
    expect(payment).toMatchObject({ accountId, purchasedAmount: 12.34 });
    const fields = (
      await api(killbill.PaymentApi).createPaymentCustomFields([{ name: 'channel', value: 'mail' } as killbill.CustomField], payment.paymentId as string, BY)
    ).data;
    expect(fields.map((field) => [field.name, field.value, field.objectType])).toEqual([['channel', 'mail', 'PAYMENT']]);
    const transactionId = payment.transactions?.[0].transactionId as string;
    expect((await api(killbill.PaymentTransactionApi).getPaymentByTransactionId(transactionId)).data.paymentId).toBe(payment.paymentId);

    // Usage on a subscription, rolled up.
    const subscription = (await api(killbill.SubscriptionApi).createSubscription({ accountId, planName: 'sports-monthly' } as killbill.Subscription, BY)).data;
    const usageApi = api(killbill.UsageApi);
    const recorded = await usageApi.recordUsage(
      {
        subscriptionId: subscription.subscriptionId as string,
        trackingId: 'client-1',
        unitUsageRecords: [{ unitType: 'bullets', usageRecords: [{ recordDate: '2013-08-01T10:00:00.000Z', amount: 42 }] }],
      },
      BY,
    );
    expect(recorded.status).toBe(201);
    const rolledUp = (await usageApi.getUsage(subscription.subscriptionId as string, 'bullets', '2013-08-01', '2013-09-01')).data;
    expect(rolledUp.rolledUpUnits).toEqual([{ unitType: 'bullets', amount: 42 }]);

    // The export of the account's rows (text), the node and the plugins.
    const exported = await api(killbill.ExportApi).exportDataForAccount(accountId, BY);
    expect(exported.status).toBe(200);
    expect(String(exported.data)).toContain(accountId);
    expect((await api(killbill.NodesInfoApi).getNodesInfo()).data.length).toBeGreaterThan(0);
    // The built-in external method is no plugin, as in Kill Bill.
    expect((await api(killbill.PluginInfoApi).getPluginsInfo()).data.map((plugin) => plugin.pluginName)).toEqual(['killbill-payment-test']);
    expect((await api(killbill.SecurityApi).getCurrentUserPermissions()).data).toContain('*');
  });
});
