import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueDispatcher } from '@kb/platform';
import { catalogInnerXml, StandaloneCatalog } from '@kb/catalog';
import { basicAuth, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const CATALOGS = join(__dirname, '../fixtures/catalogs');
const INVALID = ['CatalogWithValidationErrors.xml', 'SpyCarBasicInvalidName.xml'];
const read = (name: string) => readFileSync(join(CATALOGS, name), 'utf8');
const VALID_CATALOGS = [
  ...readdirSync(CATALOGS).filter((f) => f.endsWith('.xml') && !INVALID.includes(f)),
  ...readdirSync(join(CATALOGS, 'versioned')).map((f) => `versioned/${f}`),
].sort();

interface PriceJson {
  currency: string;
  value: number;
}
interface PlanJson {
  name: string;
  billingPeriod: string;
  phases: { type: string; prices: PriceJson[]; fixedPrices: PriceJson[] }[];
}
interface CatalogJson {
  name: string;
  effectiveDate: string;
  products: { name: string; type: string; plans: PlanJson[] }[];
  priceLists: { name: string; plans: string[] }[];
}

const plansOf = (catalog: CatalogJson): PlanJson[] => catalog.products.flatMap((p) => p.plans);
const planOf = (catalog: CatalogJson, name: string): PlanJson => {
  const plan = plansOf(catalog).find((p) => p.name === name);
  if (!plan) throw new Error(`no plan ${name}`);
  return plan;
};
const priceOf = (plan: PlanJson, phaseType: string, currency: string): number | undefined =>
  plan.phases.find((p) => p.type === phaseType)?.prices.find((p) => p.currency === currency)?.value;

/** The children of every <version> of a <catalogs> document. */
function versionsOf(catalogsXml: string): string[] {
  return [...catalogsXml.matchAll(/<version>([\s\S]*?)<\/version>\n/g)].map((m) => m[1]);
}

describe('Catalog resource', () => {
  let t: TestApp;

  const upload = (tenant: TestTenant, xml: string) => t.http.post('/1.0/kb/catalog/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(xml);
  const catalogJson = async (tenant: TestTenant, query: Record<string, string> = {}): Promise<CatalogJson[]> =>
    (await t.http.get('/1.0/kb/catalog').query(query).set(tenant.headers).expect(200)).body as CatalogJson[];
  const recordIdOf = async (tenant: TestTenant): Promise<number> =>
    Number((await t.query<{ record_id: string }>('SELECT record_id FROM tenants WHERE id = $1', [tenant.id]))[0].record_id);
  const catalogRows = async (tenant: TestTenant) =>
    t.query<{ tenant_value: string }>(
      `SELECT tenant_value FROM tenant_kvs WHERE tenant_record_id = $1 AND tenant_key = 'CATALOG' AND is_active ORDER BY record_id`,
      [await recordIdOf(tenant)],
    );
  /** Waits until the bus has delivered every event (the dispatcher loop may hold one: SKIP LOCKED). */
  const drainBus = async () => {
    for (let i = 0; i < 200; i++) {
      await t.app.get(QueueDispatcher).drain();
      const [pending] = await t.query<{ n: string }>('SELECT count(*) AS n FROM bus_events');
      if (Number(pending.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('bus events still pending');
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('a new tenant', () => {
    it('stores a placeholder version that every read hides', async () => {
      const tenant = await t.createTenant();
      // before and after the TENANT_CREATION event is handled, reads see no catalog
      expect(await catalogJson(tenant)).toEqual([]);
      await drainBus();
      const rows = await catalogRows(tenant);
      expect(rows).toHaveLength(1);
      const template = StandaloneCatalog.fromXml(rows[0].tenant_value);
      expect(template.isTemplate).toBe(true);
      expect(template.catalogName).toBe('DEFAULT');
      expect(Date.now() - template.effectiveDate.getTime()).toBeGreaterThan(23 * 3600_000);
      expect(await catalogJson(tenant)).toEqual([]);
      expect((await t.http.get('/1.0/kb/catalog/versions').set(tenant.headers).expect(200)).body).toEqual([]);
      expect((await t.http.get('/1.0/kb/catalog/availableBasePlans').set(tenant.headers).expect(200)).body).toEqual([]);
      const xml = await t.http.get('/1.0/kb/catalog/xml').set(tenant.headers).expect(200);
      expect(xml.headers['content-type']).toMatch(/^text\/xml/);
      expect(xml.text).toContain('<versions/>');
    });

    it('answers 500 for a requestedDate when it has no version at all (Kill Bill: IllegalStateException)', async () => {
      const tenant = await t.createTenant();
      const response = await t.http.get('/1.0/kb/catalog').query({ requestedDate: '2020-01-01' }).set(tenant.headers).expect(500);
      expect(response.body.stackTrace).toEqual([]);
    });
  });

  describe('uploadCatalogXml / getCatalogXml / getCatalogJson', () => {
    it.each(VALID_CATALOGS)('uploads %s, returns it as stored and renders its plans', async (file) => {
      const tenant = await t.createTenant();
      const xml = read(file);
      const response = await upload(tenant, xml).expect(201);
      expect(response.text).toBe('');
      expect(response.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/1\.0\/kb\/catalog$/);

      await drainBus();
      const rows = await catalogRows(tenant);
      expect(rows.map((r) => r.tenant_value)).toContain(xml);

      const downloaded = await t.http.get('/1.0/kb/catalog/xml').set(tenant.headers).expect(200);
      const expected = StandaloneCatalog.fromXml(xml);
      expect(versionsOf(downloaded.text)).toEqual([catalogInnerXml(xml)]);
      expect(downloaded.text).toContain(`<catalogName>${expected.catalogName}</catalogName>\n</catalogs>`);

      const [json] = await catalogJson(tenant);
      expect(json.name).toBe(expected.catalogName);
      expect(json.effectiveDate).toBe(expected.effectiveDate.toISOString());
      expect(
        plansOf(json)
          .map((p) => p.name)
          .sort(),
      ).toEqual(expected.sortedPlans.map((p) => p.name));
      expect(json.products.map((p) => p.name).sort()).toEqual(expected.sortedProducts.map((p) => p.name));
    });

    it('renders the documented prices (spot checks)', async () => {
      const cases: [string, string, string, string, number][] = [
        ['SpyCarBasic.xml', 'sports-monthly', 'EVERGREEN', 'GBP', 375],
        ['SpyCarBasic.xml', 'standard-monthly', 'EVERGREEN', 'USD', 100],
        ['SpyCarAdvanced.xml', 'oilslick-monthly', 'DISCOUNT', 'JPY', 0.4],
        ['WeaponsHire.xml', 'assault-rifle-annual', 'EVERGREEN', 'USD', 5999.95],
        ['UsageExperimental.xml', 'chocolate-monthly', 'EVERGREEN', 'USD', 30],
      ];
      for (const [file, plan, phase, currency, value] of cases) {
        const tenant = await t.createTenant();
        await upload(tenant, read(file)).expect(201);
        const [json] = await catalogJson(tenant);
        expect([file, priceOf(planOf(json, plan), phase, currency)]).toEqual([file, value]);
      }
    });

    it('renders SpyCarBasic like Kill Bill (sports-monthly: 30-day trial with no fixed price, then GBP 375 / USD 500)', async () => {
      const tenant = await t.createTenant();
      await upload(tenant, read('SpyCarBasic.xml')).expect(201);
      const [json] = await catalogJson(tenant);
      expect(planOf(json, 'sports-monthly')).toEqual({
        name: 'sports-monthly',
        prettyName: 'sports-monthly',
        recurringBillingMode: 'IN_ADVANCE',
        billingPeriod: 'MONTHLY',
        phases: [
          { type: 'TRIAL', prices: [], fixedPrices: [], duration: { unit: 'DAYS', number: 30 }, usages: [] },
          {
            type: 'EVERGREEN',
            prices: [
              { currency: 'GBP', value: 375 },
              { currency: 'USD', value: 500 },
            ],
            fixedPrices: [],
            duration: { unit: 'UNLIMITED', number: -1 },
            usages: [],
          },
        ],
      });
      expect(json.priceLists).toEqual([{ name: 'DEFAULT', plans: ['sports-monthly', 'standard-monthly', 'super-monthly'] }]);
    });

    it('writes the CATALOG value with its history and audit rows and a TENANT_CONFIG_CHANGE event', async () => {
      const tenant = await t.createTenant();
      await upload(tenant, read('SpyCarBasic.xml')).set({ 'X-Killbill-CreatedBy': 'catalog-admin', 'X-Killbill-Reason': 'launch' }).expect(201);
      const audit = await t.query<{ change_type: string; created_by: string; reason_code: string }>(
        `SELECT a.change_type, a.created_by, a.reason_code FROM audit_log a JOIN tenant_kvs_history h ON h.record_id = a.target_record_id
          WHERE a.table_name = 'tenant_kvs' AND h.tenant_key = 'CATALOG' AND h.tenant_record_id = $1 AND a.created_by = 'catalog-admin'`,
        [await recordIdOf(tenant)],
      );
      expect(audit).toEqual([{ change_type: 'INSERT', created_by: 'catalog-admin', reason_code: 'launch' }]);
      // the upload's own event (the placeholder catalog of a new tenant posts one too): it names the row written
      const [uploaded] = await t.query<{ id: string }>(`SELECT id FROM tenant_kvs WHERE tenant_key = 'CATALOG' AND created_by = 'catalog-admin' AND tenant_record_id = $1`, [
        await recordIdOf(tenant),
      ]);
      const events = await t.query<{ event_json: string }>(
        `SELECT event_json FROM (SELECT class_name, event_json, search_key2 FROM bus_events UNION ALL SELECT class_name, event_json, search_key2 FROM bus_events_history) e
          WHERE class_name = 'TENANT_CONFIG_CHANGE' AND search_key2 = $1 AND event_json LIKE $2`,
        [await recordIdOf(tenant), `%${uploaded.id}%`],
      );
      expect(events.map((e) => JSON.parse(e.event_json))).toEqual([{ objectType: 'TENANT_KVS', objectId: uploaded.id, metaData: JSON.stringify({ key: 'CATALOG' }) }]);
    });

    it('also accepts the upload on the resource path (Kill Bill hidden endpoint)', async () => {
      const tenant = await t.createTenant();
      await t.http.post('/1.0/kb/catalog').set(tenant.headers).set('Content-Type', 'text/xml').send(read('SpyCarBasic.xml')).expect(201);
      expect((await catalogJson(tenant))[0].name).toBe('SpyCarBasic');
    });
  });

  describe('invalid uploads', () => {
    it('refuses a catalog with validation errors with 400 CAT_INVALID_FOR_TENANT and writes nothing', async () => {
      const tenant = await t.createTenant();
      await drainBus();
      const before = await catalogRows(tenant);
      const response = await upload(tenant, read('CatalogWithValidationErrors.xml')).expect(400);
      expect(response.body).toMatchObject({
        className: 'org.killbill.billing.catalog.api.CatalogApiException',
        code: 2080,
        message: `Invalid catalog for tenant : ${await recordIdOf(tenant)}`,
      });
      expect(await catalogRows(tenant)).toEqual(before);
    });

    it('refuses a different catalog name, a duplicate effective date and malformed XML', async () => {
      const tenant = await t.createTenant();
      await drainBus();
      await upload(tenant, read('SpyCarBasic.xml')).expect(201);
      for (const xml of [read('SpyCarBasicInvalidName.xml'), read('SpyCarBasic.v3.xml'), '<catalog><broken', '']) {
        const response = await upload(tenant, xml).expect(400);
        expect(response.body.code).toBe(2080);
      }
      expect((await catalogJson(tenant)).map((c) => c.name)).toEqual(['SpyCarBasic']);
      expect(await catalogRows(tenant)).toHaveLength(2); // placeholder + SpyCarBasic
    });

    it('needs the catalog:config_upload permission and X-Killbill-CreatedBy', async () => {
      const tenant = await t.createTenant();
      await t.http
        .post('/1.0/kb/security/roles')
        .set(t.adminHeaders)
        .send({ role: 'catalog-reader', permissions: ['account:*'] })
        .expect(201);
      await t.http
        .post('/1.0/kb/security/users')
        .set(t.adminHeaders)
        .send({ username: 'catalog-reader', password: 'pw', roles: ['catalog-reader'] })
        .expect(201);
      const readerHeaders = { ...tenant.headers, Authorization: basicAuth('catalog-reader', 'pw') };
      await t.http.post('/1.0/kb/catalog/xml').set(readerHeaders).set('Content-Type', 'text/xml').send(read('SpyCarBasic.xml')).expect(401);
      await t.http.delete('/1.0/kb/catalog').set(readerHeaders).expect(401);
      await t.http.get('/1.0/kb/catalog').set(readerHeaders).expect(200);
      const { 'X-Killbill-CreatedBy': _, ...noCreatedBy } = tenant.headers;
      await t.http.post('/1.0/kb/catalog/xml').set(noCreatedBy).set('Content-Type', 'text/xml').send(read('SpyCarBasic.xml')).expect(400);
    });
  });

  describe('validateCatalogXml', () => {
    it('answers the errors the upload would meet, and nothing for a valid catalog', async () => {
      const tenant = await t.createTenant();
      const valid = await t.http
        .post('/1.0/kb/catalog/xml/validate')
        .set(tenant.headers)
        .set('Content-Type', 'text/xml')
        .send(read('SpyCarBasic.xml'))
        .expect(200);
      expect(valid.body).toEqual({ catalogValidationErrors: [] });
      const invalid = await t.http
        .post('/1.0/kb/catalog/xml/validate')
        .set(tenant.headers)
        .set('Content-Type', 'text/xml')
        .send(read('CatalogWithValidationErrors.xml'))
        .expect(200);
      expect(invalid.body.catalogValidationErrors.length).toBeGreaterThan(10);
      expect(invalid.body.catalogValidationErrors).toContainEqual({ errorDescription: 'Missing default rule case for plan change' });
      await upload(tenant, read('SpyCarBasic.xml')).expect(201);
      const renamed = await t.http
        .post('/1.0/kb/catalog/xml/validate')
        .set(tenant.headers)
        .set('Content-Type', 'text/xml')
        .send(read('SpyCarBasicInvalidName.xml'))
        .expect(200);
      expect(renamed.body).toEqual({
        catalogValidationErrors: [{ errorDescription: "Catalog name 'SpyCarBasicInvalidName' is different from existing catalog name 'SpyCarBasic'" }],
      });
      expect(await catalogJson(tenant)).toHaveLength(1); // validation stores nothing
    });
  });

  describe('versions and requestedDate', () => {
    let tenant: TestTenant;
    const files = ['WeaponsHireSmall-1.xml', 'WeaponsHireSmall-2.xml', 'WeaponsHireSmall-2a.xml', 'WeaponsHireSmall-3.xml'];

    beforeAll(async () => {
      tenant = await t.createTenant();
      for (const file of files) await upload(tenant, read(`versioned/${file}`)).expect(201);
    });

    it('lists every version by effective date', async () => {
      const versions = await t.http.get('/1.0/kb/catalog/versions').set(tenant.headers).expect(200);
      expect(versions.body).toEqual(['2011-01-01T00:00:00.000Z', '2011-02-02T00:00:00.000Z', '2011-02-03T00:00:00.000Z', '2011-03-03T00:00:00.000Z']);
      const all = await catalogJson(tenant);
      expect(all.map((c) => c.effectiveDate)).toEqual(versions.body);
      const xml = await t.http.get('/1.0/kb/catalog/xml').set(tenant.headers).expect(200);
      expect(versionsOf(xml.text)).toEqual(files.map((f) => catalogInnerXml(read(`versioned/${f}`))));
    });

    it.each([
      ['2010-06-01', '2011-01-01T00:00:00.000Z'], // before every version: the earliest
      ['2011-02-02T12:00:00Z', '2011-02-02T00:00:00.000Z'],
      ['2011-02-03', '2011-02-03T00:00:00.000Z'],
      ['2011-02-02T23:30:00-01:00', '2011-02-03T00:00:00.000Z'], // offsets are honoured
      ['2012-01-01T00:00:00.000+00:00', '2011-03-03T00:00:00.000Z'],
    ])('selects the version in force at %s', async (requestedDate, effectiveDate) => {
      const selected = await catalogJson(tenant, { requestedDate });
      expect(selected.map((c) => c.effectiveDate)).toEqual([effectiveDate]);
      const xml = await t.http.get('/1.0/kb/catalog/xml').query({ requestedDate }).set(tenant.headers).expect(200);
      expect(versionsOf(xml.text)).toHaveLength(1);
      expect(xml.text).toContain(`<effectiveDate>${effectiveDate.slice(0, 19)}`);
    });

    it('prices a plan per version (shotgun-quarterly USD 249.95 in v2, 259.95 in v2a, retired in v3)', async () => {
      const [v2] = await catalogJson(tenant, { requestedDate: '2011-02-02T01:00:00Z' });
      const [v2a] = await catalogJson(tenant, { requestedDate: '2011-02-10' });
      const [v3] = await catalogJson(tenant, { requestedDate: '2011-03-04' });
      expect(priceOf(planOf(v2, 'shotgun-quarterly'), 'EVERGREEN', 'USD')).toBe(249.95);
      expect(priceOf(planOf(v2a, 'shotgun-quarterly'), 'EVERGREEN', 'USD')).toBe(259.95);
      expect(plansOf(v3).map((p) => p.name)).not.toContain('shotgun-quarterly');
    });

    it('refuses a malformed requestedDate or accountId with 400', async () => {
      const bad = await t.http.get('/1.0/kb/catalog').query({ requestedDate: 'yesterday' }).set(tenant.headers).expect(400);
      expect(bad.body.className).toBe('java.lang.IllegalArgumentException');
      await t.http.get('/1.0/kb/catalog/xml').query({ requestedDate: '2011-02-30' }).set(tenant.headers).expect(400);
      await t.http.get('/1.0/kb/catalog/versions').query({ accountId: 'nope' }).set(tenant.headers).expect(400);
    });
  });

  describe('available plans', () => {
    let tenant: TestTenant;
    beforeAll(async () => {
      tenant = await t.createTenant();
      await upload(tenant, read('SpyCarAdvanced.xml')).expect(201);
    });

    it('lists the base plans of the current version with their final-phase prices', async () => {
      const response = await t.http.get('/1.0/kb/catalog/availableBasePlans').set(tenant.headers).expect(200);
      const sports = response.body.find((d: { plan: string; priceList: string }) => d.plan === 'sports-monthly' && d.priceList === 'DEFAULT');
      expect(sports).toMatchObject({ product: 'Sports', finalPhaseBillingPeriod: 'MONTHLY' });
      expect(sports.finalPhaseRecurringPrice).toContainEqual({ currency: 'USD', value: 500 });
      expect(response.body.every((d: { product: string }) => ['Standard', 'Sports', 'Super'].includes(d.product))).toBe(true);
    });

    it('lists the add-ons available for a base product, per price list', async () => {
      const all = await t.http.get('/1.0/kb/catalog/availableAddons').query({ baseProductName: 'Sports' }).set(tenant.headers).expect(200);
      expect(new Set(all.body.map((d: { product: string }) => d.product))).toEqual(new Set(['OilSlick', 'RemoteControl', 'Gas']));
      const none = await t.http.get('/1.0/kb/catalog/availableAddons').query({ baseProductName: 'Standard' }).set(tenant.headers).expect(200);
      expect(none.body).toEqual([]);
      const unknown = await t.http.get('/1.0/kb/catalog/availableAddons').query({ baseProductName: 'Nope' }).set(tenant.headers).expect(200);
      expect(unknown.body).toEqual([]);
      const otherList = await t.http
        .get('/1.0/kb/catalog/availableAddons')
        .query({ baseProductName: 'Sports', priceListName: 'NoSuchList' })
        .set(tenant.headers)
        .expect(200);
      expect(otherList.body).toEqual([]);
    });
  });

  describe('useGlobalDefault tenants', () => {
    const createGlobalTenant = async (apiKey: string): Promise<TestTenant> => {
      const created = await t.http.post('/1.0/kb/tenants').query({ useGlobalDefault: 'true' }).set(t.adminHeaders).send({ apiKey, apiSecret: 'secret' });
      expect([created.status, created.body]).toEqual([201, {}]);
      return { id: '', apiKey, apiSecret: 'secret', headers: { ...t.adminHeaders, 'X-Killbill-ApiKey': apiKey, 'X-Killbill-ApiSecret': 'secret' } };
    };

    it('read the system catalog (org.killbill.catalog.uri) and store nothing', async () => {
      const tenant = await createGlobalTenant(`global-${Date.now()}`);
      await drainBus();
      const [json] = await catalogJson(tenant);
      expect(json.name).toBe('SpyCarAdvanced');
      expect(plansOf(json)).toHaveLength(11);
      const xml = await t.http.get('/1.0/kb/catalog/xml').set(tenant.headers).expect(200);
      expect(versionsOf(xml.text)).toEqual([catalogInnerXml(read('SpyCarAdvanced.xml'))]);
      const rows = await t.query(
        `SELECT 1 FROM tenant_kvs k JOIN tenants t ON t.record_id = k.tenant_record_id WHERE t.api_key = $1 AND k.tenant_key = 'CATALOG'`,
        [tenant.apiKey],
      );
      expect(rows).toEqual([]);
    });

    it('switch to their own catalog once they upload one, and to a placeholder after a delete', async () => {
      const tenant = await createGlobalTenant(`global2-${Date.now()}`);
      await upload(tenant, read('SpyCarBasic.xml')).expect(201);
      expect((await catalogJson(tenant)).map((c) => c.name)).toEqual(['SpyCarBasic']);
      await t.http.delete('/1.0/kb/catalog').set(tenant.headers).expect(204);
      expect(await catalogJson(tenant)).toEqual([]);
    });

    it('get a first version from a simple plan', async () => {
      const tenant = await createGlobalTenant(`global3-${Date.now()}`);
      await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({
          planId: 'gold-monthly',
          productName: 'Gold',
          productCategory: 'BASE',
          currency: 'USD',
          amount: 20,
          billingPeriod: 'MONTHLY',
          trialLength: 0,
          trialTimeUnit: 'UNLIMITED',
        })
        .expect(201);
      const catalogs = await catalogJson(tenant);
      expect(catalogs.map((c) => c.name)).toEqual(['DEFAULT']);
      expect(plansOf(catalogs[0]).map((p) => p.name)).toEqual(['gold-monthly']);
    });
  });

  describe('addSimplePlan', () => {
    it('adds plans to the placeholder in place, without new versions', async () => {
      const tenant = await t.createTenant();
      await drainBus();
      const created = await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({
          planId: 'basic-annual',
          productName: 'Basic',
          productCategory: 'BASE',
          currency: 'USD',
          amount: 1000,
          billingPeriod: 'ANNUAL',
          trialLength: 0,
          trialTimeUnit: 'UNLIMITED',
        })
        .expect(201);
      expect(created.headers.location).toMatch(/\/1\.0\/kb\/catalog$/);
      await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({
          planId: 'basic-monthly',
          productName: 'Basic',
          productCategory: 'BASE',
          currency: 'EUR',
          amount: 99.99,
          billingPeriod: 'MONTHLY',
          trialLength: 14,
          trialTimeUnit: 'DAYS',
        })
        .expect(201);
      const catalogs = await catalogJson(tenant);
      expect(catalogs).toHaveLength(1);
      expect(catalogs[0].name).toBe('DEFAULT');
      const monthly = planOf(catalogs[0], 'basic-monthly');
      expect(monthly.phases.map((p) => p.type)).toEqual(['TRIAL', 'EVERGREEN']);
      expect(priceOf(monthly, 'EVERGREEN', 'EUR')).toBe(99.99);
      expect(priceOf(planOf(catalogs[0], 'basic-annual'), 'EVERGREEN', 'USD')).toBe(1000);
      expect(await catalogRows(tenant)).toHaveLength(1);
      const history = await t.query<{ change_type: string }>(
        `SELECT change_type FROM tenant_kvs_history WHERE tenant_record_id = $1 AND tenant_key = 'CATALOG' ORDER BY record_id`,
        [await recordIdOf(tenant)],
      );
      expect(history.map((h) => h.change_type)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
    });

    it('adds an add-on to the base products it names', async () => {
      const tenant = await t.createTenant();
      await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({ planId: 'base-monthly', productName: 'Base', productCategory: 'BASE', currency: 'USD', amount: 10, billingPeriod: 'MONTHLY' })
        .expect(201);
      await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({
          planId: 'extra-monthly',
          productName: 'Extra',
          productCategory: 'ADD_ON',
          currency: 'USD',
          amount: 1,
          billingPeriod: 'MONTHLY',
          availableBaseProducts: ['Base'],
        })
        .expect(201);
      const addons = await t.http.get('/1.0/kb/catalog/availableAddons').query({ baseProductName: 'Base' }).set(tenant.headers).expect(200);
      expect(addons.body).toEqual([
        {
          product: 'Extra',
          plan: 'extra-monthly',
          priceList: 'DEFAULT',
          finalPhaseBillingPeriod: 'MONTHLY',
          finalPhaseRecurringPrice: [{ currency: 'USD', value: 1 }],
        },
      ]);
    });

    it.each([
      [{ productName: 'X', currency: 'USD', amount: 1, billingPeriod: 'MONTHLY' }, "Invalid simple plan descriptor 'Plan is invalid. Please check.'"],
      [{ planId: 'x-monthly', currency: 'USD', amount: 1, billingPeriod: 'MONTHLY' }, "Invalid simple plan descriptor 'Please provide valid product name.'"],
      [{ planId: 'x-monthly', productName: 'X', currency: 'USD', amount: -1, billingPeriod: 'MONTHLY' }, 'Invalid simple plan descriptor'],
      [
        {
          planId: 'x-monthly',
          productName: 'X',
          productCategory: 'ADD_ON',
          currency: 'USD',
          amount: 1,
          billingPeriod: 'MONTHLY',
          availableBaseProducts: ['Nope'],
        },
        'Invalid simple plan descriptor',
      ],
    ])('refuses an invalid descriptor %j with 400 (2060)', async (body, message) => {
      const tenant = await t.createTenant();
      const response = await t.http.post('/1.0/kb/catalog/simplePlan').set(tenant.headers).send(body).expect(400);
      expect(response.body.code).toBe(2060);
      expect(response.body.message).toContain(message);
    });

    it('refuses an incompatible change of an existing plan and a bad enum', async () => {
      const tenant = await t.createTenant();
      const body = { planId: 'p-monthly', productName: 'P', productCategory: 'BASE', currency: 'USD', amount: 5, billingPeriod: 'MONTHLY' };
      await t.http.post('/1.0/kb/catalog/simplePlan').set(tenant.headers).send(body).expect(201);
      const changed = await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({ ...body, amount: 6 })
        .expect(400);
      expect(changed.body.message).toContain("Failed to validate simple Plan 'p-monthly'");
      const badEnum = await t.http
        .post('/1.0/kb/catalog/simplePlan')
        .set(tenant.headers)
        .send({ ...body, billingPeriod: 'FORTNIGHTLY' })
        .expect(400);
      expect(badEnum.body.message).toContain('billingPeriod');
    });
  });

  describe('deleteCatalog', () => {
    it('removes every version and stores a fresh placeholder', async () => {
      const tenant = await t.createTenant();
      await upload(tenant, read('versioned/WeaponsHireSmall-1.xml')).expect(201);
      await upload(tenant, read('versioned/WeaponsHireSmall-2.xml')).expect(201);
      await t.http.delete('/1.0/kb/catalog').set(tenant.headers).expect(204);
      expect(await catalogJson(tenant)).toEqual([]);
      await drainBus();
      const rows = await catalogRows(tenant);
      expect(rows).toHaveLength(1);
      expect(StandaloneCatalog.fromXml(rows[0].tenant_value).isTemplate).toBe(true);
      // any catalog name is accepted again
      await upload(tenant, read('SpyCarBasic.xml')).expect(201);
      expect((await catalogJson(tenant)).map((c) => c.name)).toEqual(['SpyCarBasic']);
    });

    it('needs X-Killbill-CreatedBy', async () => {
      const tenant = await t.createTenant();
      const { 'X-Killbill-CreatedBy': _, ...noCreatedBy } = tenant.headers;
      await t.http.delete('/1.0/kb/catalog').set(noCreatedBy).expect(400);
    });
  });

  it('isolates tenants', async () => {
    const a = await t.createTenant();
    const b = await t.createTenant();
    await upload(a, read('SpyCarBasic.xml')).expect(201);
    expect(await catalogJson(b)).toEqual([]);
  });
});
