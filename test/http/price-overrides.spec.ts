import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const idOf = (location: unknown) => String(location).split('/').pop() ?? '';
const USAGE_CATALOG = readFileSync(join(__dirname, '../fixtures/catalogs/UsageExperimental.xml'), 'utf8');

describe('Price overrides on create and change (spec 2.10)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    other = await globalCatalogTenant(t);
    accountId = await createAccount(t, tenant, { name: 'Overrides', currency: 'USD' });
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, as = tenant) =>
    t.http
      .post('/1.0/kb/subscriptions')
      .set(as.headers)
      .send({ accountId, planName: 'sports-monthly', ...body });
  const subscription = async (location: unknown) =>
    (
      await t.http
        .get(`/1.0/kb/subscriptions/${idOf(location)}`)
        .set(tenant.headers)
        .expect(200)
    ).body;

  let firstPlan: string;

  it('creates a custom plan <plan>-<n> with phases <plan>-<n>-<type>; the subscription reports it and its prices', async () => {
    const created = await create({
      priceOverrides: [
        { phaseType: 'TRIAL', fixedPrice: 10 },
        { phaseName: 'sports-monthly-evergreen', recurringPrice: 123.45 },
      ],
    }).expect(201);
    const json = await subscription(created.headers.location);
    firstPlan = json.planName;
    expect(firstPlan).toMatch(/^sports-monthly-\d+$/);
    expect(json).toMatchObject({ productName: 'Sports', billingPeriod: 'MONTHLY', phaseType: 'TRIAL', priceList: 'DEFAULT', priceOverrides: null });
    expect(json.prices).toEqual([
      { planName: firstPlan, phaseName: `${firstPlan}-trial`, phaseType: 'TRIAL', fixedPrice: 10, recurringPrice: null, usagePrices: [] },
      { planName: firstPlan, phaseName: `${firstPlan}-evergreen`, phaseType: 'EVERGREEN', fixedPrice: null, recurringPrice: 123.45, usagePrices: [] },
    ]);
    expect(json.events.map((e: { phase: string }) => e.phase)).toEqual([`${firstPlan}-trial`, `${firstPlan}-trial`, `${firstPlan}-evergreen`]);
    // the catalog entry of the subscription is the overridden plan, the other currencies unchanged
    const plan = (await t.http.get('/1.0/kb/catalog/plan').query({ subscriptionId: json.subscriptionId }).set(tenant.headers).expect(200)).body;
    expect(plan.name).toBe(firstPlan);
    expect(plan.phases[1].prices).toContainEqual({ currency: 'USD', value: 123.45 });
    expect(plan.phases[1].prices).toContainEqual({ currency: 'GBP', value: 375 });
    // the tenant's catalog does not list it
    const catalog = (await t.http.get('/1.0/kb/catalog').set(tenant.headers).expect(200)).body;
    expect(JSON.stringify(catalog)).not.toContain(firstPlan);
    const rows = await t.query<{ parent_plan_name: string }>('SELECT parent_plan_name FROM catalog_override_plan_definition');
    expect(rows).toEqual([{ parent_plan_name: 'sports-monthly' }]);
  });

  it('reuses the plan for identical overrides (amounts compared as numbers) and makes a new one for other prices', async () => {
    const same = await create({
      priceOverrides: [
        { phaseName: 'sports-monthly-evergreen', recurringPrice: '123.450' },
        { phaseType: 'TRIAL', fixedPrice: 10 },
      ],
    }).expect(201);
    expect((await subscription(same.headers.location)).planName).toBe(firstPlan);
    const different = await create({ priceOverrides: [{ phaseType: 'EVERGREEN', recurringPrice: 99 }] }).expect(201);
    const json = await subscription(different.headers.location);
    expect(json.planName).toMatch(/^sports-monthly-\d+$/);
    expect(json.planName).not.toBe(firstPlan);
    // the trial is not overridden: its (empty, zero) price stays
    expect(json.prices.map((p: { fixedPrice: number | null; recurringPrice: number | null }) => [p.fixedPrice, p.recurringPrice])).toEqual([
      [0, null],
      [null, 99],
    ]);
    expect(await t.query('SELECT 1 FROM catalog_override_plan_definition')).toHaveLength(2);
  });

  it('a subscription started in the past on an overridden plan is in its evergreen phase', async () => {
    const created = await create({
      priceOverrides: [{ phaseType: 'EVERGREEN', recurringPrice: 7 }],
    })
      .query({ entitlementDate: '2013-08-01T00:00:00Z', billingDate: '2013-08-01T00:00:00Z' })
      .expect(201);
    const json = await subscription(created.headers.location);
    expect(json.phaseType).toBe('EVERGREEN');
    expect(json.planName).toMatch(/^sports-monthly-\d+$/);
  });

  it('400 when an entry overrides no price; 400/2081 for a price the phase does not have; nothing is written', async () => {
    const empty = await create({ priceOverrides: [{ phaseType: 'EVERGREEN' }] }).expect(400);
    expect(empty.body.message).toBe('At least one fixed price, one recurring price or one usage price must be overridden');
    const noRecurring = await create({ priceOverrides: [{ phaseType: 'TRIAL', recurringPrice: 5 }] }).expect(400);
    expect(noRecurring.body).toMatchObject({
      code: 2081,
      message: 'Cannot override price for plan sports-monthly : There is no existing recurring price for the phase sports-monthly-trial',
    });
    const noFixed = await create({ priceOverrides: [{ phaseType: 'EVERGREEN', fixedPrice: 5 }] }).expect(400);
    expect(noFixed.body.code).toBe(2081);
    await create({ priceOverrides: [{ phaseType: 'EVERGREEN', recurringPrice: 'abc' }] }).expect(400);
    expect(await t.query('SELECT 1 FROM catalog_override_plan_definition')).toHaveLength(3);
  });

  it('overrides are per tenant: the same prices in another tenant make that tenant its own plan', async () => {
    const otherAccount = await createAccount(t, other, { name: 'Other', currency: 'USD' });
    const created = await t.http
      .post('/1.0/kb/subscriptions')
      .set(other.headers)
      .send({
        accountId: otherAccount,
        planName: 'sports-monthly',
        priceOverrides: [
          { phaseType: 'TRIAL', fixedPrice: 10 },
          { phaseType: 'EVERGREEN', recurringPrice: 123.45 },
        ],
      })
      .expect(201);
    const json = (
      await t.http
        .get(`/1.0/kb/subscriptions/${idOf(created.headers.location)}`)
        .set(other.headers)
        .expect(200)
    ).body;
    expect(json.planName).not.toBe(firstPlan);
    expect(json.prices[1].recurringPrice).toBe(123.45);
  });
  describe('on change plan', () => {
    const change = (id: string, body: Record<string, unknown>) => t.http.put(`/1.0/kb/subscriptions/${id}`).set(tenant.headers).send(body);

    it('changes to the overridden <plan>-<n> plan; the subscription reports it and its prices; an identical change reuses it', async () => {
      const id = idOf((await create({}).expect(201)).headers.location);
      await change(id, { planName: 'super-monthly', priceOverrides: [{ phaseType: 'EVERGREEN', recurringPrice: 42.5 }] }).expect(204);
      const json = await subscription(id);
      expect(json.planName).toMatch(/^super-monthly-\d+$/);
      expect(json).toMatchObject({ productName: 'Super', billingPeriod: 'MONTHLY', phaseType: 'TRIAL', priceList: 'DEFAULT' });
      const custom = json.planName;
      expect(json.events.map((e: { eventType: string; phase: string }) => [e.eventType, e.phase])).toEqual([
        ['START_ENTITLEMENT', 'sports-monthly-trial'],
        ['START_BILLING', 'sports-monthly-trial'],
        ['CHANGE', `${custom}-trial`],
        ['PHASE', `${custom}-evergreen`],
      ]);
      expect(json.prices).toContainEqual({ planName: custom, phaseName: `${custom}-evergreen`, phaseType: 'EVERGREEN', fixedPrice: null, recurringPrice: 42.5, usagePrices: [] });
      const rows = await t.query<{ parent_plan_name: string }>("SELECT parent_plan_name FROM catalog_override_plan_definition WHERE parent_plan_name = 'super-monthly'");
      expect(rows).toHaveLength(1);
      // another subscription changed to the same prices lands on the same plan
      const second = idOf((await create({}).expect(201)).headers.location);
      await change(second, { planName: 'super-monthly', priceOverrides: [{ phaseType: 'EVERGREEN', recurringPrice: '42.50' }] }).expect(204);
      expect((await subscription(second)).planName).toBe(custom);
    });

    it('400/2081 for a price the target phase does not have, 400 for an entry without a price; the subscription keeps its plan', async () => {
      const id = idOf((await create({}).expect(201)).headers.location);
      const refused = await change(id, { planName: 'super-monthly', priceOverrides: [{ phaseType: 'TRIAL', recurringPrice: 5 }] }).expect(400);
      expect(refused.body).toMatchObject({
        code: 2081,
        message: 'Cannot override price for plan super-monthly : There is no existing recurring price for the phase super-monthly-trial',
      });
      const empty = await change(id, { planName: 'super-monthly', priceOverrides: [{ phaseType: 'EVERGREEN' }] }).expect(400);
      expect(empty.body.message).toBe('At least one fixed price, one recurring price or one usage price must be overridden');
      expect((await subscription(id)).planName).toBe('sports-monthly');
    });
  });

  describe('usage prices', () => {
    let usageTenant: TestTenant;
    let usageAccount: string;
    const videos = 'chocolate-monthly-videos';
    const videoOverride = (tierPrices: unknown[]) => [{ phaseType: 'EVERGREEN', usagePrices: [{ usageName: videos, usageType: 'CONSUMABLE', billingMode: 'IN_ARREAR', tierPrices }] }];
    const createChocolate = (priceOverrides: unknown) =>
      t.http.post('/1.0/kb/subscriptions').set(usageTenant.headers).send({ accountId: usageAccount, planName: 'chocolate-monthly', priceOverrides });
    const read = async (id: string) =>
      (
        await t.http
          .get(`/1.0/kb/subscriptions/${id}`)
          .set(usageTenant.headers)
          .expect(200)
      ).body;

    beforeAll(async () => {
      usageTenant = await t.createTenant();
      await t.http.post('/1.0/kb/catalog/xml').set(usageTenant.headers).set('Content-Type', 'text/xml').send(USAGE_CATALOG).expect(201);
      usageAccount = await createAccount(t, usageTenant, { name: 'Usage', currency: 'USD' });
    });

    it('replaces the tiered block prices of the overridden plan; the subscription reports them, the other tier keeps its price', async () => {
      const created = await createChocolate(videoOverride([{ blockPrices: [{ unitName: 'chocolate-videos', size: 1, max: 5, price: 1.75 }] }])).expect(201);
      const json = await read(idOf(created.headers.location));
      expect(json.planName).toMatch(/^chocolate-monthly-\d+$/);
      expect(json.prices).toEqual([
        {
          planName: json.planName,
          phaseName: `${json.planName}-evergreen`,
          phaseType: 'EVERGREEN',
          fixedPrice: null,
          recurringPrice: 30,
          usagePrices: [
            {
              usageName: videos,
              usageType: 'CONSUMABLE',
              billingMode: 'IN_ARREAR',
              tierBlockPolicy: 'ALL_TIERS',
              tierPrices: [
                { blockPrices: [{ unitName: 'chocolate-videos', size: 1, price: 1.75, max: 5 }] },
                { blockPrices: [{ unitName: 'chocolate-videos', size: 1, price: 1, max: 10000 }] },
              ],
            },
          ],
        },
      ]);
      // the same usage prices reuse the plan; a recurring-only override with the same recurring price does not
      const again = await createChocolate(videoOverride([{ blockPrices: [{ unitName: 'chocolate-videos', size: '1.0', max: 5, price: '1.750' }] }])).expect(201);
      expect((await read(idOf(again.headers.location))).planName).toBe(json.planName);
      const recurringOnly = await createChocolate([{ phaseType: 'EVERGREEN', recurringPrice: 30 }]).expect(201);
      const recurringJson = await read(idOf(recurringOnly.headers.location));
      expect(recurringJson.planName).not.toBe(json.planName);
      expect(recurringJson.prices[0].usagePrices[0].tierPrices[0].blockPrices[0].price).toBe(2);
      expect(await t.query('SELECT usage_name, tier_number, block_number, price FROM catalog_override_block_price')).toEqual([
        { usage_name: videos, tier_number: 0, block_number: 0, price: '1.750000000' },
      ]);
    });

    it('a change plan with usage prices lands on an overridden plan with them', async () => {
      const created = await createChocolate(null).expect(201);
      const id = idOf(created.headers.location);
      await t.http
        .put(`/1.0/kb/subscriptions/${id}`)
        .set(usageTenant.headers)
        .send({ planName: 'chocolate-monthly', priceOverrides: videoOverride([{ blockPrices: [{ unitName: 'chocolate-videos', size: 1, max: 10000, price: 0.5 }] }]) })
        .expect(204);
      const json = await read(id);
      expect(json.planName).toMatch(/^chocolate-monthly-\d+$/);
      const tiers = json.prices.find((p: { planName: string }) => p.planName === json.planName).usagePrices[0].tierPrices;
      expect(tiers.map((tier: { blockPrices: { price: number }[] }) => tier.blockPrices[0].price)).toEqual([2, 0.5]);
    });

    it('400/2081 for a usage or a tiered block the phase does not have; 400 for an amount that is not one; nothing is written', async () => {
      const before = await t.query('SELECT 1 FROM catalog_override_plan_definition');
      const unknownUsage = await createChocolate([{ phaseType: 'EVERGREEN', usagePrices: [{ usageName: 'nope', tierPrices: [] }] }]).expect(400);
      expect(unknownUsage.body).toMatchObject({
        code: 2081,
        message: 'Cannot override price for plan chocolate-monthly : There is no existing usage nope for the phase chocolate-monthly-evergreen',
      });
      const unknownBlock = await createChocolate(videoOverride([{ blockPrices: [{ unitName: 'chocolate-videos', size: 1, max: 6, price: 1 }] }])).expect(400);
      expect(unknownBlock.body).toMatchObject({
        code: 2081,
        message: `Cannot override price for plan chocolate-monthly : There is no existing tiered block chocolate-videos (size 1, max 6) for the usage ${videos} of the phase chocolate-monthly-evergreen`,
      });
      await createChocolate(videoOverride([{ blockPrices: [{ unitName: 'chocolate-videos', size: 1, max: 5, price: 'abc' }] }])).expect(400);
      expect(await t.query('SELECT 1 FROM catalog_override_plan_definition')).toHaveLength(before.length);
    });
  });
});
