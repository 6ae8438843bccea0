import type { DynamicModule, INestApplication, Provider, Type } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { KillBillConfig, type RootLogger } from '@kb/platform';
import { createApplication } from '../../apps/killbill/src/bootstrap';
import { createTestDatabase, dropTestDatabase } from './test-database';

/** Test-friendly defaults: test mode on, a cheap KDF, fast queue polling. */
const TEST_PROPERTIES: Record<string, string> = {
  'org.killbill.server.test.mode': 'true',
  'org.killbill.security.shiroNbHashIterations': '1000',
  'org.killbill.notificationq.main.sleep': '20',
  'org.killbill.persistent.bus.main.sleep': '20',
  'org.killbill.notificationq.main.retry.schedule': '20ms',
  'org.killbill.persistent.bus.main.retry.schedule': '20ms',
};

/** Tests log nothing unless asked (`LOG_LEVEL=warn npm test`), so their output stays readable. */
export const TEST_ENVIRONMENT: Record<string, string> = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };

export interface TestTenant {
  readonly id: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly headers: Record<string, string>;
}

export interface TestApp {
  readonly app: INestApplication;
  readonly http: TestAgent;
  readonly dataSource: DataSource;
  readonly databaseUrl: string;
  /** Basic auth as admin plus X-Killbill-CreatedBy. */
  readonly adminHeaders: Record<string, string>;
  createTenant(apiKey?: string, apiSecret?: string): Promise<TestTenant>;
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The real application on its own database cloned from the migrated template. */
export interface TestAppOptions {
  readonly nodeName?: string;
  readonly sharedDatabaseOf?: TestApp;
  /** Test-only providers, e.g. `@OnBusEvent` / `@OnNotification` handlers. */
  readonly providers?: readonly Provider[];
  /** Test-only modules, e.g. resources of their own. */
  readonly extraModules?: readonly (Type | DynamicModule)[];
  /** A logger of the test's own (e.g. writing to a stream the test reads). */
  readonly logger?: RootLogger;
}

export async function startTestApp(properties: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.sharedDatabaseOf;
  const database = shared ? { name: '', url: shared.databaseUrl } : await createTestDatabase();
  const config = KillBillConfig.load({ ...TEST_PROPERTIES, ...properties }, { ...TEST_ENVIRONMENT, ...(options.nodeName ? { KB_NODE_NAME: options.nodeName } : {}) });
  const app = await createApplication({ config, databaseUrl: database.url, extraProviders: options.providers, extraModules: options.extraModules, logger: options.logger });
  await app.init();
  const http = request(app.getHttpServer());
  const dataSource = app.get(DataSource);
  const adminHeaders = { Authorization: basicAuth('admin', 'password'), 'X-Killbill-CreatedBy': 'test' };
  let tenants = 0;
  return {
    app,
    http,
    dataSource,
    databaseUrl: database.url,
    adminHeaders,
    async createTenant(apiKey = `key-${++tenants}-${Date.now()}`, apiSecret = 'secret') {
      const response = await http.post('/1.0/kb/tenants').set(adminHeaders).send({ apiKey, apiSecret }).expect(201);
      const id = String(response.headers.location).split('/').pop() ?? '';
      return { id, apiKey, apiSecret, headers: { ...adminHeaders, 'X-Killbill-ApiKey': apiKey, 'X-Killbill-ApiSecret': apiSecret } };
    },
    query: (sql, parameters) => dataSource.query(sql, parameters),
    async close() {
      await app.close();
      if (!shared) await dropTestDatabase(database.name);
    },
  };
}

/** Creates an account of `tenant` through POST /1.0/kb/accounts and returns its id (from the Location). */
export async function createAccount(t: TestApp, tenant: TestTenant, body: Record<string, unknown> = { name: 'Jane', currency: 'USD' }): Promise<string> {
  const response = await t.http.post('/1.0/kb/accounts').set(tenant.headers).send(body).expect(201);
  return String(response.headers.location).split('/').pop() ?? '';
}
