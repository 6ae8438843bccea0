import { envNameForProperty, KillBillConfig, parseDurationMillis, propertyForEnvironmentVariable } from '@kb/platform';

describe('KillBillConfig', () => {
  it.each([
    ['KILLBILL_SERVER_TEST_MODE', 'org.killbill.server.test.mode'],
    ['KILLBILL_SECURITY_SHIRONBHASHITERATIONS', 'org.killbill.security.shiroNbHashIterations'],
    ['KILLBILL_PAYMENT_RETRY_DAYS', 'org.killbill.payment.retry.days'],
    ['PATH', undefined],
  ])('maps the environment variable %s to %s', (variable, property) => {
    expect(propertyForEnvironmentVariable(variable)).toBe(property);
  });

  it('names the variable of a property in Kill Bill docker convention', () => {
    expect(envNameForProperty('org.killbill.server.test.mode')).toBe('KILLBILL_SERVER_TEST_MODE');
  });

  it('layers defaults, environment and overrides, and reads PORT and DATABASE_URL', () => {
    const config = KillBillConfig.load(
      { 'org.killbill.notificationq.main.sleep': '5' },
      { KILLBILL_SERVER_TEST_MODE: 'true', PORT: '9090', DATABASE_URL: 'postgres://x@y/z' },
    );
    expect(config.testMode).toBe(true);
    expect(config.getDurationMillis('org.killbill.notificationq.main.sleep')).toBe(5);
    expect(config.getInteger('org.killbill.security.shiroNbHashIterations')).toBe(200000);
    expect(config.server).toMatchObject({ port: 9090, databaseUrl: 'postgres://x@y/z' });
    expect(KillBillConfig.load({}, {}).server.port).toBe(8080);
    expect(KillBillConfig.load({}, {}).testMode).toBe(false);
  });

  it('refuses malformed values', () => {
    expect(() => KillBillConfig.load({}, { KILLBILL_SERVER_TEST_MODE: 'yes' }).testMode).toThrow(/true or false/);
    expect(() => KillBillConfig.load({}, { PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => KillBillConfig.load({}, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
    expect(() => KillBillConfig.load({}, { KB_SHUTDOWN_GRACE: 'soon' })).toThrow(/KB_SHUTDOWN_GRACE/);
  });

  it('reads the log level (info by default) and the shutdown grace period (25s by default)', () => {
    expect(KillBillConfig.load({}, {}).server).toMatchObject({ logLevel: 'info', shutdownGraceMillis: 25000 });
    expect(KillBillConfig.load({}, { LOG_LEVEL: 'WARN', KB_SHUTDOWN_GRACE: '5s' }).server).toMatchObject({ logLevel: 'warn', shutdownGraceMillis: 5000 });
  });

  it.each([
    ['100', 100],
    ['5s', 5000],
    ['15m', 900000],
    ['2h', 7200000],
    ['1d', 86400000],
  ])('parses the duration %s', (text, millis) => {
    expect(parseDurationMillis(text)).toBe(millis);
  });

  it('parses duration lists such as a retry schedule', () => {
    expect(KillBillConfig.load({ 'org.killbill.x.retries': '15m, 30m,2h,12h,1d' }, {}).getDurationListMillis('org.killbill.x.retries')).toEqual([
      900000, 1800000, 7200000, 43200000, 86400000,
    ]);
  });
});
