import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

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
});
