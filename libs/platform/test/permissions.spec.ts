import { hasPermission, permissionImplies } from '@kb/platform';

describe('permissionImplies (Shiro wildcard permissions)', () => {
  it.each([
    ['*', 'account:create', true],
    ['*:*', 'account:create', true],
    ['account', 'account:create', true],
    ['account:*', 'account:create', true],
    ['account:create', 'account:create', true],
    ['account:create,update', 'account:update', true],
    ['account:create', 'account:update', false],
    ['invoice:*', 'account:create', false],
    ['account:create', 'account', false],
    ['ACCOUNT:CREATE', 'account:create', true],
  ])('%s implies %s: %s', (granted, required, expected) => {
    expect(permissionImplies(granted, required)).toBe(expected);
  });

  it('grants when any permission implies the required one', () => {
    expect(hasPermission(['invoice:credit', 'tenant_kvs:*'], 'tenant_kvs:add')).toBe(true);
    expect(hasPermission([], 'tenant_kvs:add')).toBe(false);
  });
});
