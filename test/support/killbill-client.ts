import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import * as killbill from 'killbill';
import { globalCatalogTenant } from './entitlement';
import { startTestApp, type TestApp, type TestTenant } from './test-app';

/** The created-by header every client call of the tests sends. */
export const CLIENT_USER = 'npm-client';

export type ApiClass<T> = new (configuration: killbill.Configuration, basePath: undefined, axios: AxiosInstance) => T;

/** The server listening on the loopback, with the official client configured for one tenant. */
export interface ClientTestApp {
  readonly t: TestApp;
  readonly tenant: TestTenant;
  readonly basePath: string;
  /** A client API of the tenant, as admin unless another configuration is given; it follows Locations. */
  api<T>(type: ApiClass<T>, as?: killbill.Configuration): T;
  /** The configuration of another user or tenant on this server. */
  configurationFor(username: string, password: string, keys?: { readonly apiKey: string; readonly apiSecret: string }): killbill.Configuration;
  /** Waits for the tenant's queues (the invoicing and payments a call causes). */
  settle(): Promise<void>;
}

/**
 * Starts the application for tests of the official Kill Bill JavaScript client (npm `killbill`, with
 * its followLocationHeaderInterceptor, as its users set it up): a tenant on the global default catalog
 * with its clock at `clock`, or a tenant with no catalog.
 */
export async function startClientTestApp(options: { readonly tenant: 'global-catalog' | 'no-catalog'; readonly clock?: string }): Promise<ClientTestApp> {
  const t = await startTestApp();
  const tenant = options.tenant === 'global-catalog' ? await globalCatalogTenant(t) : await t.createTenant();
  if (options.clock) await t.http.post('/1.0/kb/test/clock').query({ requestedDate: options.clock }).set(tenant.headers).expect(200);
  await t.app.listen(0, '127.0.0.1');
  const basePath = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const client = axios.create();
  client.interceptors.response.use(killbill.followLocationHeaderInterceptor);
  const configurationFor = (username: string, password: string, keys: { readonly apiKey: string; readonly apiSecret: string } = tenant) =>
    new killbill.Configuration({ username, password, apiKey: killbill.apiKey(keys.apiKey, keys.apiSecret), basePath });
  const admin = configurationFor('admin', 'password');
  return {
    t,
    tenant,
    basePath,
    api: (type, as = admin) => new type(as, undefined, client),
    configurationFor,
    settle: async () => {
      await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
    },
  };
}
