import type { Principal, TenantRef } from '../context/request-context';

/** Verifies basic-auth credentials (implemented by the security module). */
export interface UserAuthenticator {
  authenticate(username: string, password: string): Promise<Principal | undefined>;
}
export const USER_AUTHENTICATOR = Symbol('UserAuthenticator');

/** Finds the tenant of an api key and checks its secret (implemented by the tenant module). */
export interface TenantResolver {
  resolve(apiKey: string, apiSecret: string): Promise<TenantRef | undefined>;
}
export const TENANT_RESOLVER = Symbol('TenantResolver');
