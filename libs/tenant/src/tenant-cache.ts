import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KillBillConfig, type TenantRef } from '@kb/platform';

interface Entry {
  readonly tenant: TenantRef;
  /** Digest of the secret that was verified against the stored hash, so later calls skip the slow KDF. */
  readonly secretDigest: string;
  readonly expiresAt: number;
}

/** Tenants by api key, with the digest of their verified secret; bounded by a TTL. */
@Injectable()
export class TenantCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMillis: number;

  constructor(config: KillBillConfig) {
    this.ttlMillis = config.getDurationMillis('org.killbill.tenant.cache.ttl');
  }

  lookup(apiKey: string, apiSecret: string): TenantRef | undefined {
    const entry = this.entries.get(apiKey);
    if (!entry || entry.expiresAt < performance.now()) return undefined;
    return entry.secretDigest === digest(apiSecret) ? entry.tenant : undefined;
  }

  remember(tenant: TenantRef & { apiKey: string }, apiSecret: string): void {
    this.entries.set(tenant.apiKey, { tenant, secretDigest: digest(apiSecret), expiresAt: performance.now() + this.ttlMillis });
  }

  clear(): void {
    this.entries.clear();
  }
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64');
}
