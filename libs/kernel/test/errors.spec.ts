import { ErrorCode, errorCodeFromCode, formatErrorMessage, isUuid, javaClassForErrorCode, KillBillError } from '@kb/kernel';

describe('KillBillError', () => {
  it.each([
    ['CAT_NO_SUCH_PLAN', ['nope'], 2021, "Could not find any plans named 'nope'", 'org.killbill.billing.catalog.api.CatalogApiException'],
    ['ACCOUNT_DOES_NOT_EXIST_FOR_ID', ['a-b'], 3002, 'Account does not exist for id a-b', 'org.killbill.billing.account.api.AccountApiException'],
    ['CURRENCY_INVALID', ['XXX', 'EUR'], 3, 'Invalid currency XXX, expected EUR', 'org.killbill.billing.BillingExceptionBase'],
    ['CAT_NULL_PRODUCT_NAME', [], 2031, 'Product name was null', 'org.killbill.billing.catalog.api.CatalogApiException'],
  ] as const)('%s %j: %d "%s" (%s)', (name, args, code, message, className) => {
    const error = new KillBillError(name, args);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ codeName: name, code, message, className, args });
    expect(error.errorCode).toBe(ErrorCode[name]);
  });

  it('keeps a cause and an explicit class name', () => {
    const cause = new Error('detail');
    const error = new KillBillError('CAT_INVALID_DEFAULT', ['x.xml'], { cause, className: 'my.Class' });
    expect(error.cause).toBe(cause);
    expect(error.className).toBe('my.Class');
  });

  it('renders Java format: null arguments as "null", missing ones verbatim', () => {
    expect(formatErrorMessage(ErrorCode.CAT_NO_SUCH_PLAN, [null])).toBe("Could not find any plans named 'null'");
    expect(formatErrorMessage(ErrorCode.CURRENCY_INVALID, ['XXX'])).toBe('Invalid currency XXX, expected %s');
  });

  it('looks codes up by number as Java does (first declared wins)', () => {
    expect(errorCodeFromCode(1001).name).toBe('SUB_INVALID_REQUESTED_FUTURE_DATE');
    expect(errorCodeFromCode(-424242).name).toBe('__UNKNOWN_ERROR_CODE');
  });

  it('names the Java exception of each code family', () => {
    expect(javaClassForErrorCode(1011)).toBe('org.killbill.billing.subscription.api.user.SubscriptionBaseApiException');
    expect(javaClassForErrorCode(7001)).toBe('org.killbill.billing.payment.api.PaymentApiException');
    expect(javaClassForErrorCode(20001)).toBe('org.killbill.billing.tenant.api.TenantApiException');
  });
});

describe('isUuid', () => {
  it.each([
    ['6b4e8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11', true],
    ['6B4E8BDB-36C5-4A8C-A0A2-4F7A1F0E9A11', true],
    ['6b4e8bdb36c54a8ca0a24f7a1f0e9a11', false],
    ['6b4e8bdb-36c5-4a8c-a0a2-4f7a1f0e9a1', false],
    ['6b4e8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11 ', false],
    ['not-a-uuid', false],
    ['', false],
  ])('%j is a UUID: %s', (value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});
