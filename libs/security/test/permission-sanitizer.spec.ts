import { sanitizePermissions } from '@kb/security';

describe('sanitizePermissions (Kill Bill DefaultSecurityApi rules)', () => {
  it.each<[string[], string[]]>([
    [['*'], ['*']],
    [['account:create', '*'], ['*']],
    [['account'], ['account:*']],
    [['account:'], ['account:*']],
    [
      ['account:create', 'account:update'],
      ['account:create', 'account:update'],
    ],
    [['account:create', 'account'], ['account:*']],
    [['account', 'account:create'], ['account:*']],
    [['', 'invoice:credit'], ['invoice:credit']],
  ])('%j → %j', (input, expected) => {
    expect(sanitizePermissions(input).sort()).toEqual([...expected].sort());
  });

  it('refuses a permission with more than one colon (SECURITY_INVALID_PERMISSIONS)', () => {
    expect(() => sanitizePermissions(['a:b:c'])).toThrow('The permission a:b:c is invalid');
  });
});
