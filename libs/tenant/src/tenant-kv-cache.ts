import { TenantKey } from './tenant-keys';

/**
 * Kill Bill's CACHED_TENANT_KEY: the keys whose values are read often (for every event, invoice or
 * payment) and written rarely, kept per tenant in its TENANT_KV cache.
 */
const CACHED_KEYS = [
  TenantKey.CATALOG_TRANSLATION_,
  TenantKey.INVOICE_MP_TEMPLATE,
  TenantKey.INVOICE_TEMPLATE,
  TenantKey.INVOICE_TRANSLATION_,
  TenantKey.PLUGIN_CONFIG_,
  TenantKey.PLUGIN_PAYMENT_STATE_MACHINE_,
  TenantKey.PUSH_NOTIFICATION_CB,
];

export function isCachedKey(key: string): boolean {
  return CACHED_KEYS.some((prefix) => key.startsWith(prefix));
}

/** Entries kept at most; past it the cache starts again empty (tenants × cached keys is small). */
const MAX_ENTRIES = 10_000;

/**
 * The values of the cached keys, by tenant and key. A value is kept only if no invalidation of its
 * key happened while it was being read: a reader that saw the rows before a write's commit cannot
 * put them back after the write dropped them.
 */
export class TenantKvCache {
  private readonly values = new Map<string, readonly string[]>();
  /** Bumped by each invalidation of a key (or of everything: `everything`). */
  private readonly generations = new Map<string, number>();
  private everything = 0;

  get(tenantRecordId: number, key: string): readonly string[] | undefined {
    return this.values.get(entryKey(tenantRecordId, key));
  }

  /** The token to hand back to `put`: the key's state before the read. */
  generation(tenantRecordId: number, key: string): string {
    return `${this.everything}:${this.generations.get(entryKey(tenantRecordId, key)) ?? 0}`;
  }

  put(tenantRecordId: number, key: string, values: readonly string[], readAt: string): void {
    if (this.generation(tenantRecordId, key) !== readAt) return;
    if (this.values.size >= MAX_ENTRIES) this.values.clear();
    this.values.set(entryKey(tenantRecordId, key), values);
  }

  invalidate(tenantRecordId: number, key: string): void {
    const entry = entryKey(tenantRecordId, key);
    this.values.delete(entry);
    if (this.generations.size >= MAX_ENTRIES) this.clear();
    this.generations.set(entry, (this.generations.get(entry) ?? 0) + 1);
  }

  /** Everything, or everything of one tenant. */
  clear(tenantRecordId?: number): void {
    this.everything++;
    if (tenantRecordId === undefined) {
      this.values.clear();
      this.generations.clear();
      return;
    }
    const prefix = `${tenantRecordId}|`;
    for (const entry of [...this.values.keys()]) if (entry.startsWith(prefix)) this.values.delete(entry);
  }
}

function entryKey(tenantRecordId: number, key: string): string {
  return `${tenantRecordId}|${key}`;
}
