import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const FIXTURES = join(__dirname, '../fixtures/overdue');
const CONFIGS = readdirSync(FIXTURES).filter((name) => name.endsWith('.xml')).sort();
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

interface StateJson {
  name: string;
  isClearState: boolean;
  condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: string; number: number } | null; totalUnpaidInvoiceBalanceEqualsOrExceeds: number | null; controlTagInclusion: string | null } | null;
  externalMessage: string | null;
  isBlockChanges: boolean;
  isDisableEntitlement: boolean;
  subscriptionCancellationPolicy: string | null;
  autoReevaluationIntervalDays: number | null;
}
interface OverdueJson {
  initialReevaluationInterval: number | null;
  overdueStates: StateJson[];
}

const OD_JSON = {
  overdueStates: [
    { name: 'OD3', isClearState: false, isBlockChanges: true, isDisableEntitlement: true, condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 50 } } },
    { name: 'OD2', isClearState: false, isBlockChanges: true, isDisableEntitlement: true, condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 40 } } },
    {
      name: 'OD1',
      externalMessage: 'Reached OD1',
      isClearState: false,
      isBlockChanges: true,
      isDisableEntitlement: false,
      subscriptionCancellationPolicy: 'NONE',
      condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 30 }, totalUnpaidInvoiceBalanceEqualsOrExceeds: 1.5 },
    },
  ],
};

describe('Overdue configuration resource', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const uploadXml = (tenant: TestTenant, xml: string) => t.http.post('/1.0/kb/overdue/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(xml);
  const getJson = async (tenant: TestTenant): Promise<OverdueJson> => (await t.http.get('/1.0/kb/overdue').set(tenant.headers).expect(200)).body as OverdueJson;
  const getXml = async (tenant: TestTenant): Promise<string> => (await t.http.get('/1.0/kb/overdue/xml').set(tenant.headers).expect(200)).text;
  const stored = async (tenant: TestTenant) =>
    t.query<{ tenant_value: string }>(
      `SELECT kv.tenant_value FROM tenant_kvs kv JOIN tenants t ON t.record_id = kv.tenant_record_id WHERE t.id = $1 AND kv.tenant_key = 'OVERDUE_CONFIG' AND kv.is_active`,
      [tenant.id],
    );

  it('a tenant without configuration reads Kill Bill’s NoOverdueConfig (one clear state, no condition)', async () => {
    const tenant = await t.createTenant();
    expect(await getJson(tenant)).toEqual({
      initialReevaluationInterval: null,
      overdueStates: [
        {
          name: 'Clear',
          isClearState: true,
          condition: null,
          externalMessage: '',
          isBlockChanges: false,
          isDisableEntitlement: false,
          subscriptionCancellationPolicy: 'NONE',
          autoReevaluationIntervalDays: null,
        },
      ],
    });
    const xml = await getXml(tenant);
    expect(xml).toContain('<state name="Clear">');
    expect(xml).toContain('<isClearState>true</isClearState>');
  });

  it.each(CONFIGS)('%s uploads (201, Location /1.0/kb/overdue), is stored under OVERDUE_CONFIG and reads back as XML and JSON', async (name) => {
    const tenant = await t.createTenant();
    const response = await uploadXml(tenant, read(name)).expect(201);
    expect(response.headers.location).toMatch(/^http:\/\/[^/]+\/1\.0\/kb\/overdue$/);
    expect(response.text).toBe('');
    expect((await stored(tenant)).map((row) => row.tenant_value)).toEqual([read(name)]);

    const json = await getJson(tenant);
    const names = [...read(name).matchAll(/<state name="([^"]+)"/g)].map((match) => match[1]);
    expect(json.overdueStates.map((state) => state.name)).toEqual(names);
    // what GET /overdue/xml answers uploads again and reads back the same
    const xml = await getXml(tenant);
    const again = await t.createTenant();
    await uploadXml(again, xml).expect(201);
    expect(await getJson(again)).toEqual(json);
    expect(await getXml(again)).toBe(xml);
  });

  it('shows intervals as days and every field of a state (E10 configuration)', async () => {
    const tenant = await t.createTenant();
    await uploadXml(tenant, read('OverdueIntegration.xml')).expect(201);
    const json = await getJson(tenant);
    expect(json.initialReevaluationInterval).toBe(30);
    expect(json.overdueStates[0]).toEqual({
      name: 'OD3',
      isClearState: false,
      condition: {
        timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 50 },
        controlTagInclusion: null,
        controlTagExclusion: null,
        numberOfUnpaidInvoicesEqualsOrExceeds: null,
        responseForLastFailedPayment: null,
        totalUnpaidInvoiceBalanceEqualsOrExceeds: null,
      },
      externalMessage: 'Reached OD3',
      isBlockChanges: true,
      isDisableEntitlement: true,
      subscriptionCancellationPolicy: 'NONE',
      autoReevaluationIntervalDays: null,
    });
    expect(json.overdueStates.map((state) => state.autoReevaluationIntervalDays)).toEqual([null, 10, 10]);
  });

  it('an upload replaces the previous configuration (one active value)', async () => {
    const tenant = await t.createTenant();
    await uploadXml(tenant, read('overdue.xml')).expect(201);
    await uploadXml(tenant, read('overdue_valid.xml')).expect(201);
    expect(await stored(tenant)).toHaveLength(1);
    expect((await getJson(tenant)).overdueStates.map((state) => state.name)).toEqual(['Good']);
  });

  it.each([
    ['a state name over 50 characters', read('overdue.xml').replace('name="OD3"', `name="${'X'.repeat(51)}"`)],
    ['a state name that is no NCName', read('overdue.xml').replace('name="OD3"', 'name="3 days"')],
    ['two states of the same name', read('overdue.xml').replace('name="OD2"', 'name="OD3"')],
    ['elements out of schema order', read('overdue.xml').replace('<externalMessage>Reached OD3</externalMessage>\n           <blockChanges>true</blockChanges>', '<blockChanges>true</blockChanges>\n           <externalMessage>Reached OD3</externalMessage>')],
    ['an unknown unit', read('overdue.xml').replace('<unit>DAYS</unit><number>50</number>', '<unit>HOURS</unit><number>50</number>')],
    ['an unknown element', read('overdue.xml').replace('<externalMessage>Reached OD3</externalMessage>', '<message>Reached OD3</message>')],
    ['no accountOverdueStates', '<overdueConfig/>'],
    ['malformed XML', '<overdueConfig><accountOverdueStates>'],
    ['another root element', '<catalog/>'],
  ])('refuses %s with 400 OVERDUE_INVALID_FOR_TENANT and keeps the stored configuration', async (_what, xml) => {
    const tenant = await t.createTenant();
    await uploadXml(tenant, read('overdue_valid.xml')).expect(201);
    const response = await uploadXml(tenant, xml).expect(400);
    expect(response.body).toMatchObject({ code: 5010, className: 'org.killbill.billing.overdue.api.OverdueApiException' });
    expect(String(response.body.message)).toMatch(/^Invalid overdue config for tenant : \d+$/);
    expect((await getJson(tenant)).overdueStates.map((state) => state.name)).toEqual(['Good']);
  });

  it('POST /overdue (JSON): 201 + Location; derives each state’s interval from the gap to the previous threshold and the initial one from the mildest', async () => {
    const tenant = await t.createTenant();
    const response = await t.http.post('/1.0/kb/overdue').set(tenant.headers).send(OD_JSON).expect(201);
    expect(response.headers.location).toMatch(/^http:\/\/[^/]+\/1\.0\/kb\/overdue$/);
    const json = await getJson(tenant);
    expect(json.initialReevaluationInterval).toBe(30);
    expect(json.overdueStates.map((state) => [state.name, state.autoReevaluationIntervalDays])).toEqual([
      ['OD3', null],
      ['OD2', 10],
      ['OD1', 10],
    ]);
    // a missing message and policy are stored as absent, and read back with Kill Bill's defaults
    expect(json.overdueStates[0]).toMatchObject({ externalMessage: '', subscriptionCancellationPolicy: 'NONE' });
    expect(json.overdueStates[2]).toMatchObject({ externalMessage: 'Reached OD1', isBlockChanges: true, isDisableEntitlement: false });
    expect(json.overdueStates[2].condition?.totalUnpaidInvoiceBalanceEqualsOrExceeds).toBe(1.5);
    // the configuration is stored as XML
    const [row] = await stored(tenant);
    expect(row.tenant_value).toContain('<state name="OD2">');
    expect(row.tenant_value).toContain('<autoReevaluationInterval>\n                <unit>DAYS</unit>\n                <number>10</number>');
  });

  it('POST /overdue keeps an interval given explicitly', async () => {
    const tenant = await t.createTenant();
    const body = { overdueStates: [{ ...OD_JSON.overdueStates[0], autoReevaluationIntervalDays: 3 }, OD_JSON.overdueStates[1]] };
    await t.http.post('/1.0/kb/overdue').set(tenant.headers).send(body).expect(201);
    expect((await getJson(tenant)).overdueStates.map((state) => state.autoReevaluationIntervalDays)).toEqual([3, 10]);
  });

  it.each([
    ['a state without name', { overdueStates: [{ ...OD_JSON.overdueStates[0], name: null }] }, 400],
    ['a state without condition', { overdueStates: [{ ...OD_JSON.overdueStates[0], condition: null }] }, 400],
    ['a condition without time threshold', { overdueStates: [{ ...OD_JSON.overdueStates[0], condition: { numberOfUnpaidInvoicesEqualsOrExceeds: 1 } }] }, 400],
    ['a threshold without unit', { overdueStates: [{ ...OD_JSON.overdueStates[0], condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { number: 3 } } }] }, 400],
    ['a state without isBlockChanges', { overdueStates: [{ ...OD_JSON.overdueStates[0], isBlockChanges: null }] }, 400],
    ['a threshold in months', { overdueStates: [{ ...OD_JSON.overdueStates[0], condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'MONTHS', number: 1 } } }] }, 500],
    ['a threshold of 0 days', { overdueStates: [{ ...OD_JSON.overdueStates[0], condition: { timeSinceEarliestUnpaidInvoiceEqualsOrExceeds: { unit: 'DAYS', number: 0 } } }] }, 500],
    ['thresholds that do not decrease', { overdueStates: [OD_JSON.overdueStates[1], OD_JSON.overdueStates[0]] }, 500],
    ['an unknown cancellation policy', { overdueStates: [{ ...OD_JSON.overdueStates[0], subscriptionCancellationPolicy: 'LATER' }] }, 400],
  ])('POST /overdue refuses %s (%i) and stores nothing', async (_what, body, status) => {
    const tenant = await t.createTenant();
    const response = await t.http.post('/1.0/kb/overdue').set(tenant.headers).send(body).expect(status);
    expect(response.body.code).toBeNull();
    expect(await stored(tenant)).toHaveLength(0);
  });

  it('configurations are per tenant', async () => {
    const one = await t.createTenant();
    const other = await t.createTenant();
    await uploadXml(one, read('overdue.xml')).expect(201);
    expect((await getJson(one)).overdueStates).toHaveLength(3);
    expect((await getJson(other)).overdueStates.map((state) => state.name)).toEqual(['Clear']);
  });
});
