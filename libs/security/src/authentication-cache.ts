import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KillBillConfig, type Principal } from '@kb/platform';

/**
 * Verified credentials, so that a request does not pay for the slow password KDF each time. Keyed by
 * a digest of username and password; cleared on any change to users, roles or permissions.
 */
@Injectable()
export class AuthenticationCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly ttlMillis: number;

  constructor(config: KillBillConfig) {
    this.ttlMillis = config.getDurationMillis('org.killbill.security.auth.cache.ttl');
  }

  get(username: string, password: string): Principal | undefined {
    const entry = this.entries.get(key(username, password));
    return entry && entry.expiresAt >= performance.now() ? entry.principal : undefined;
  }

  set(username: string, password: string, principal: Principal): void {
    this.entries.set(key(username, password), { principal, expiresAt: performance.now() + this.ttlMillis });
  }

  clear(): void {
    this.entries.clear();
  }
}

function key(username: string, password: string): string {
  return createHash('sha256').update(username).update('\u0000').update(password).digest('base64');
}
