import { ConfigurationError } from './configuration-error';

/**
 * Server configuration. Keys keep Kill Bill's property names (`org.killbill.…`) so its users recognise
 * them; each can be set by environment variable in Kill Bill's docker convention
 * (`KILLBILL_SERVER_TEST_MODE=true` sets `org.killbill.server.test.mode`). This is the only file that
 * reads `process.env`.
 */
export const KILLBILL_PROPERTY_DEFAULTS: Readonly<Record<string, string>> = {
  'org.killbill.server.test.mode': 'false',
  'org.killbill.server.test.clock.perTenant': 'false',
  'org.killbill.security.shiroNbHashIterations': '200000',
  'org.killbill.security.admin.username': 'admin',
  'org.killbill.security.admin.password': 'password',
  'org.killbill.security.auth.cache.ttl': '300s',
  'org.killbill.tenant.cache.ttl': '300s',
  // How often every node reads the tenant key changes of the others (Kill Bill's TenantCacheInvalidation).
  'org.killbill.tenant.broadcast.rate': '1s',
  'org.killbill.jaxrs.location.full.url': 'true',
  'org.killbill.catalog.uri': 'SpyCarAdvanced.xml',
  'org.killbill.notificationq.main.sleep': '100',
  'org.killbill.notificationq.main.claimed': '10',
  'org.killbill.notificationq.main.max.failure.retry': '3',
  'org.killbill.notificationq.main.retry.schedule': '1s,10s,1m',
  'org.killbill.notificationq.main.reapThreshold': '10m',
  'org.killbill.persistent.bus.main.sleep': '100',
  'org.killbill.persistent.bus.main.claimed': '10',
  'org.killbill.persistent.bus.main.max.failure.retry': '3',
  'org.killbill.persistent.bus.main.retry.schedule': '1s,10s,1m',
  'org.killbill.persistent.bus.main.reapThreshold': '10m',
  'org.killbill.healthcheck.queues.failed.window': '1h',
  // The database connection pool (Kill Bill's DaoConfig default is 100, for MySQL and its thread pools).
  'org.killbill.dao.maxActive': '20',
  // Kill Bill's BroadcastConfig; and how often a node refreshes its node_infos row (5 s in Kill Bill's code).
  'org.killbill.billing.util.broadcast.rate': '5s',
  'org.killbill.nodes.info.refresh.rate': '5s',
  'org.killbill.invoice.globalLock.retries': '50',
  'org.killbill.invoice.enabled': 'true',
  'org.killbill.invoice.maxNumberOfMonthsInFuture': '36',
  'org.killbill.invoice.sanitySafetyBoundEnabled': 'true',
  'org.killbill.invoice.maxDailyNumberOfItemsSafetyBound': '15',
  'org.killbill.invoice.dryRunNotificationSchedule': '0s',
  'org.killbill.invoice.readMaxRawUsagePreviousPeriod': '2',
  'org.killbill.invoice.disable.usage.zero.amount': 'false',
  'org.killbill.invoice.usage.missing.lenient': 'false',
  'org.killbill.invoice.item.result.behavior.mode': 'AGGREGATE',
  'org.killbill.invoice.usage.tz.mode': 'FIXED',
  'org.killbill.invoice.inArrear.mode': 'DEFAULT',
  'org.killbill.invoice.proration.fixed.days': '0',
  'org.killbill.invoice.parent.commit.local.utc.time': '23:59:59.999',
  'org.killbill.invoice.parkAccountsOnAllExceptions': 'true',
  'org.killbill.payment.globalLock.retries': '50',
  'killbill.features.account.allowBCDUpdate': 'false',
  'org.killbill.payment.plugin.timeout': '30s',
  'org.killbill.payment.provider.default': '__EXTERNAL_PAYMENT__',
  'org.killbill.billing.server.notifications.retries': '15m,30m,2h,12h,1d',
};

export interface ServerSettings {
  readonly port: number;
  /** External PostgreSQL; when absent the server starts an embedded one. */
  readonly databaseUrl?: string;
  readonly embeddedDataDir: string;
  readonly embeddedPort: number;
  readonly nodeName: string;
  /** pino's level: fatal, error, warn, info, debug, trace or silent. */
  readonly logLevel: string;
  /** How long a shutdown waits for in-flight requests before it cuts them. */
  readonly shutdownGraceMillis: number;
}

/** pino's levels; LOG_LEVEL names one. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class KillBillConfig {
  constructor(
    private readonly properties: Readonly<Record<string, string>>,
    readonly server: ServerSettings,
  ) {}

  /** Reads defaults, then `KILLBILL_*` environment variables, then explicit overrides (tests). */
  static load(overrides: Record<string, string> = {}, env: NodeJS.ProcessEnv = process.env): KillBillConfig {
    const properties: Record<string, string> = { ...KILLBILL_PROPERTY_DEFAULTS };
    for (const [name, value] of Object.entries(env)) {
      const key = propertyForEnvironmentVariable(name);
      if (key && value !== undefined) properties[key] = value;
    }
    Object.assign(properties, overrides);
    const server: ServerSettings = {
      port: parsePort(env.PORT ?? '8080', 'PORT'),
      databaseUrl: env.DATABASE_URL || undefined,
      embeddedDataDir: env.KB_EMBEDDED_PG_DIR || '.data/postgres',
      embeddedPort: parsePort(env.KB_EMBEDDED_PG_PORT ?? '5488', 'KB_EMBEDDED_PG_PORT'),
      nodeName: env.KB_NODE_NAME || `${require('node:os').hostname()}-${process.pid}`,
      logLevel: parseLogLevel(env.LOG_LEVEL || 'info'),
      shutdownGraceMillis: parseDurationMillis(env.KB_SHUTDOWN_GRACE || '25s', 'KB_SHUTDOWN_GRACE'),
    };
    return new KillBillConfig(properties, server);
  }

  get(key: string): string | undefined {
    return this.properties[key];
  }

  getString(key: string): string {
    const value = this.properties[key];
    if (value === undefined) throw new ConfigurationError(`Missing configuration property ${key}`);
    return value;
  }

  getBoolean(key: string): boolean {
    const value = this.getString(key).trim().toLowerCase();
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new ConfigurationError(`Property ${key} must be true or false, got '${value}'`);
  }

  getInteger(key: string): number {
    const value = this.getString(key).trim();
    if (!/^-?\d+$/.test(value)) throw new ConfigurationError(`Property ${key} must be an integer, got '${value}'`);
    return Number(value);
  }

  /** Kill Bill durations: `100` (milliseconds), `5s`, `15m`, `2h`, `1d`. */
  getDurationMillis(key: string): number {
    return parseDurationMillis(this.getString(key), key);
  }

  getDurationListMillis(key: string): number[] {
    return this.getString(key)
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => parseDurationMillis(part, key));
  }

  get testMode(): boolean {
    return this.getBoolean('org.killbill.server.test.mode');
  }

  /** Outside test mode the clock is the real one; in test mode, one for the server or one per tenant. */
  get clockMode(): 'real' | 'global' | 'perTenant' {
    if (!this.testMode) return 'real';
    return this.getBoolean('org.killbill.server.test.clock.perTenant') ? 'perTenant' : 'global';
  }
}

/** `KILLBILL_SERVER_TEST_MODE` → `org.killbill.server.test.mode`; `KILLBILL_FEATURES_X` → `killbill.features.x`. */
export function propertyForEnvironmentVariable(name: string): string | undefined {
  if (!name.startsWith('KILLBILL_')) return undefined;
  const rest = name.slice('KILLBILL_'.length);
  const known = Object.keys(KILLBILL_PROPERTY_DEFAULTS).find((key) => envNameForProperty(key) === name);
  if (known) return known;
  return `org.killbill.${rest.toLowerCase().replace(/_/g, '.')}`;
}

export function envNameForProperty(key: string): string {
  const rest = key.startsWith('org.killbill.') ? key.slice('org.killbill.'.length) : key;
  return `KILLBILL_${rest.replace(/\./g, '_').toUpperCase()}`;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMillis(text: string, key = 'duration'): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new ConfigurationError(`Property ${key} is not a duration: '${text}'`);
  return Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms'];
}

function parseLogLevel(text: string): string {
  const level = text.trim().toLowerCase();
  if (!LOG_LEVELS.includes(level)) throw new ConfigurationError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${text}'`);
  return level;
}

function parsePort(text: string, name: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError(`${name} is not a port: '${text}'`);
  return port;
}
