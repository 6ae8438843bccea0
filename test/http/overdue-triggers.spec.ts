import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';

const CLEAR = '__KILLBILL__CLEAR__OVERDUE_STATE__';
const OVERDUE_ENFORCEMENT_OFF = '00000000-0000-0000-0000-000000000003';
const WRITTEN_OFF = '00000000-0000-0000-0000-000000000004';
const idOf = (location: unknown) => String(location).split('/').pop() ?? '';

/** One unpaid invoice is enough; `policy` cancels subscriptions on entering the state. */
const configWith = (policy = 'NONE') => `<overdueConfig>
  <accountOverdueStates>
    <state name="UNPAID">
      <condition><numberOfUnpaidInvoicesEqualsOrExceeds>1</numberOfUnpaidInvoicesEqualsOrExceeds></condition>
      <externalMessage>Please pay</externalMessage>
      <blockChanges>true</blockChanges>
      <subscriptionCancellationPolicy>${policy}</subscriptionCancellationPolicy>
    </state>
  </accountOverdueStates>
</overdueConfig>`;

/**
 * The triggers of an evaluation (Kill Bill's OverdueListener) and the effects of entering a state,
 * on SpyCarAdvanced (sports-monthly: 30-day trial, then $500) with no payment method, so the first
 * paid invoice stays unpaid.
 */
describe('Overdue triggers and effects', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function tenantWith(xml: string | null): Promise<TestTenant> {
    const tenant = await globalCatalogTenant(t);
    if (xml) await t.http.post('/1.0/kb/overdue/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(xml).expect(201);
    return tenant;
  }

  /** An account on sports-monthly from 2013-08-01, the clock at 2013-08-31 (the unpaid $500 invoice). */
  async function owingAccount(tenant: TestTenant) {
    const h = tenant.headers;
    await t.http.post('/1.0/kb/test/clock').query({ requestedDate: '2013-08-01T06:00:00.000Z', timeoutSec: 10 }).set(h).expect(200);
    const accountId = await createAccount(t, tenant, { name: 'owing', currency: 'USD' });
    const created = await t.http.post('/1.0/kb/subscriptions').set(h).send({ accountId, planName: 'sports-monthly' }).expect(201);
    await drain(tenant);
    await t.http.put('/1.0/kb/test/clock').query({ days: 30, timeoutSec: 10 }).set(h).expect(200);
    await drain(tenant);
    const invoices = (await t.http.get(`/1.0/kb/accounts/${accountId}/invoices`).set(h).expect(200)).body as { invoiceId: string; balance: number }[];
    const [, paid] = invoices; // the trial's $0 invoice, then the $500 one
    return { accountId, subscriptionId: idOf(created.headers.location), invoiceId: paid.invoiceId, balance: paid.balance };
  }

  const drain = (tenant: TestTenant) => t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
  const stateOf = async (tenant: TestTenant, accountId: string) => (await t.http.get(`/1.0/kb/accounts/${accountId}/overdue`).set(tenant.headers).expect(200)).body;
  const blockingStates = async (tenant: TestTenant, accountId: string) =>
    ((await t.http.get(`/1.0/kb/accounts/${accountId}/block`).query({ blockingStateSvcs: 'overdue-service' }).set(tenant.headers).expect(200)).body as { stateName: string; isBlockChange: boolean }[]).map(
      (state) => [state.stateName, state.isBlockChange],
    );
  const tag = async (tenant: TestTenant, path: string, definition: string) => {
    await t.http.post(`/1.0/kb/${path}/tags`).set(tenant.headers).send([definition]).expect(201);
    await drain(tenant);
  };
  const untag = async (tenant: TestTenant, path: string, definition: string) => {
    await t.http.delete(`/1.0/kb/${path}/tags`).query({ tagDef: definition }).set(tenant.headers).expect(204);
    await drain(tenant);
  };
  const pendingChecks = (accountId: string) =>
    t.query(`SELECT 1 FROM notifications WHERE queue_name = 'overdue-check' AND event_json::jsonb ->> 'accountId' = $1`, [accountId]);

  it('an invoice creation enters the state: ACCOUNT blocking state of overdue-service, changes blocked', async () => {
    const tenant = await tenantWith(configWith());
    const { accountId, subscriptionId } = await owingAccount(tenant);
    expect(await stateOf(tenant, accountId)).toEqual({
      name: 'UNPAID',
      externalMessage: 'Please pay',
      isDisableEntitlementAndChangesBlocked: false,
      isBlockChanges: true,
      isClearState: false,
      reevaluationIntervalDays: null,
    });
    expect(await blockingStates(tenant, accountId)).toEqual([['UNPAID', true]]);
    const refused = await t.http.put(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).send({ planName: 'super-monthly' }).expect(400);
    expect(refused.body.code).toBe(6000);
  });

  it('WRITTEN_OFF on the invoice clears the account; its removal brings the state back', async () => {
    const tenant = await tenantWith(configWith());
    const { accountId, invoiceId } = await owingAccount(tenant);
    expect((await stateOf(tenant, accountId)).name).toBe('UNPAID');
    await tag(tenant, `invoices/${invoiceId}`, WRITTEN_OFF);
    expect((await stateOf(tenant, accountId)).name).toBe(CLEAR);
    expect(await pendingChecks(accountId)).toHaveLength(0);
    await untag(tenant, `invoices/${invoiceId}`, WRITTEN_OFF);
    expect((await stateOf(tenant, accountId)).name).toBe('UNPAID');
    expect(await blockingStates(tenant, accountId)).toEqual([
      ['UNPAID', true],
      [CLEAR, false],
      ['UNPAID', true],
    ]);
  });

  it('OVERDUE_ENFORCEMENT_OFF on the account forces clear and stops evaluation; its removal evaluates again', async () => {
    const tenant = await tenantWith(configWith());
    const { accountId, invoiceId } = await owingAccount(tenant);
    await tag(tenant, `accounts/${accountId}`, OVERDUE_ENFORCEMENT_OFF);
    expect((await stateOf(tenant, accountId)).name).toBe(CLEAR);
    // evaluations are skipped while the tag is on
    await tag(tenant, `invoices/${invoiceId}`, WRITTEN_OFF);
    await untag(tenant, `invoices/${invoiceId}`, WRITTEN_OFF);
    expect((await stateOf(tenant, accountId)).name).toBe(CLEAR);
    expect(await blockingStates(tenant, accountId)).toEqual([
      ['UNPAID', true],
      [CLEAR, false],
    ]);
    await untag(tenant, `accounts/${accountId}`, OVERDUE_ENFORCEMENT_OFF);
    expect((await stateOf(tenant, accountId)).name).toBe('UNPAID');
  });

  it('subscriptionCancellationPolicy IMMEDIATE cancels the subscriptions on entering the state (the repair then clears the account)', async () => {
    const tenant = await tenantWith(configWith('IMMEDIATE'));
    const { accountId, subscriptionId, balance } = await owingAccount(tenant);
    expect(await blockingStates(tenant, accountId)).toEqual([
      ['UNPAID', true],
      [CLEAR, false],
    ]);
    expect(balance).toBe(0);
    const subscription = (await t.http.get(`/1.0/kb/subscriptions/${subscriptionId}`).set(tenant.headers).expect(200)).body;
    expect(subscription.state).toBe('CANCELLED');
    expect(String(subscription.cancelledDate).slice(0, 10)).toBe('2013-08-31');
    expect(String(subscription.billingEndDate).slice(0, 10)).toBe('2013-08-31');
  });

  it('without a configuration (NoOverdueConfig) nothing is ever evaluated or written', async () => {
    const tenant = await tenantWith(null);
    const { accountId } = await owingAccount(tenant);
    await tag(tenant, `accounts/${accountId}`, OVERDUE_ENFORCEMENT_OFF);
    expect((await stateOf(tenant, accountId)).name).toBe(CLEAR);
    expect(await blockingStates(tenant, accountId)).toEqual([]);
    expect(await pendingChecks(accountId)).toHaveLength(0);
    const changes = await t.query(`SELECT 1 FROM bus_events_history WHERE class_name = 'OVERDUE_CHANGE' AND event_json::jsonb ->> 'accountId' = $1`, [accountId]);
    expect(changes).toHaveLength(0);
  });
});
