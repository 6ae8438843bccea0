/**
 * The README's "A first session" as a client program over the types openapi-typescript generates
 * from openapi/killbill.json (`./killbill` next to it once written out). It is only type-checked:
 * a contract that types a field wrongly (an account's `name` as an object, a 201 without its
 * schema, a list parameter as a single value) makes it fail to compile.
 */
export const FIRST_SESSION_PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './killbill';

declare function btoa(text: string): string;

type Schemas = components['schemas'];
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exactly = <A, B>(proof: Exactly<A, B>): Exactly<A, B> => proof;

const createdBy = { 'X-Killbill-CreatedBy': 'demo' };

export async function firstSession(baseUrl: string): Promise<string> {
  const admin = createClient<paths>({ baseUrl, headers: { Authorization: 'Basic ' + btoa('admin:password') } });

  // a tenant (no tenant headers needed for this one)
  const created = await admin.POST('/1.0/kb/tenants', { params: { header: createdBy }, body: { apiKey: 'bob', apiSecret: 'lazar' } });
  exactly<NonNullable<typeof created.data>, Schemas['Tenant']>(true);
  const tenantLocation: string | null = created.response.headers.get('Location');

  const { data: tenant } = await admin.GET('/1.0/kb/tenants', { params: { query: { apiKey: 'bob' } } });
  const apiKey: string | undefined = tenant?.apiKey;
  const tenantId: string | undefined = tenant?.tenantId;

  // a role and a user
  const role = await admin.POST('/1.0/kb/security/roles', {
    params: { header: createdBy },
    body: { role: 'support', permissions: ['account:*', 'tenant_kvs:add'] },
  });
  exactly<NonNullable<typeof role.data>, Schemas['RoleDefinition']>(true);
  const user = await admin.POST('/1.0/kb/security/users', {
    params: { header: createdBy },
    body: { username: 'sam', password: 'secret', roles: ['support'] },
  });
  exactly<NonNullable<typeof user.data>, Schemas['UserRoles']>(true);

  // an account, then a look at it with its audit trail
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: 'Basic ' + btoa('admin:password'), 'X-Killbill-ApiKey': 'bob', 'X-Killbill-ApiSecret': 'lazar' },
  });
  const newAccount: Schemas['Account'] = { name: 'John Doe', email: 'john@example.com', currency: 'USD', isMigrated: false, billCycleDayLocal: 1 };
  const posted = await client.POST('/1.0/kb/accounts', { params: { header: createdBy }, body: newAccount });
  exactly<NonNullable<typeof posted.data>, Schemas['Account']>(true);
  const accountId = (posted.response.headers.get('Location') ?? '').split('/').pop() ?? '';

  const { data: account, error } = await client.GET('/1.0/kb/accounts/{accountId}', { params: { path: { accountId }, query: { audit: 'FULL' } } });
  if (!account) throw new Error('no account: ' + JSON.stringify(error));
  const name: string = account.name ?? '';
  const email: string = account.email ?? '';
  const currency: 'USD' | 'EUR' | string = account.currency ?? 'USD';
  const delegated: boolean = account.isPaymentDelegatedToParent ?? false;
  const billCycleDay: number = account.billCycleDayLocal ?? 0;
  const firstChange: string | undefined = account.auditLogs?.[0]?.changeType;
  const changedBy: string | undefined = account.auditLogs?.[0]?.changedBy;

  // list parameters are arrays
  await client.GET('/1.0/kb/accounts/{accountId}/block', { params: { path: { accountId }, query: { blockingStateTypes: ['ACCOUNT'], blockingStateSvcs: ['billing'] } } });

  return [tenantLocation, apiKey, tenantId, name.toUpperCase(), email, currency, delegated, billCycleDay, firstChange, changedBy].join(' ');
}
`;
