import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Broadcasts, currentContext, currentTenant, escapeLike, Locks, Queues, Transactions } from '@kb/platform';
import { Like } from 'typeorm';
import { TenantKvRow } from './tenant-kv.entity';
import { isSingleValueKey } from './tenant-keys';
import { isCachedKey, TenantKvCache } from './tenant-kv-cache';
import { TenantConfigChange, TenantConfigDeletion } from './tenant-events';

export interface TenantKeyValues {
  readonly key: string;
  readonly values: string[];
}

/** One stored value of a key, with the identity of its row (the catalog tracks its versions by it). */
export interface TenantKeyEntry {
  readonly recordId: number;
  readonly id: string;
  /** Empty when read with `withValues: false`. */
  readonly value: string;
}

/** The broadcast service of the cache's invalidations: each node, the writer's included, drops the key. */
const KV_CACHE_BROADCASTS = 'TenantKvCache';

/**
 * The tenant key/value store: system keys hold one value (writing replaces it), user keys append.
 * Every write and delete emits TENANT_CONFIG_CHANGE / TENANT_CONFIG_DELETION in its transaction.
 *
 * Kill Bill's cached keys (`isCachedKey`) are read through a per-node cache. A write drops its key on
 * this node once its transaction has ended, and a broadcast row written in that transaction drops it
 * on every other node within `org.killbill.tenant.broadcast.rate`, as Kill Bill's TenantBroadcast does.
 */
@Injectable()
export class TenantKvService implements OnModuleInit {
  private readonly cache = new TenantKvCache();

  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly queues: Queues,
    private readonly broadcasts: Broadcasts,
  ) {}

  onModuleInit(): void {
    this.broadcasts.onBroadcast(KV_CACHE_BROADCASTS, async ({ event }) => {
      const { tenantRecordId, key } = JSON.parse(event) as { tenantRecordId: number; key: string };
      this.cache.invalidate(tenantRecordId, key);
    });
  }

  async get(key: string): Promise<TenantKeyValues> {
    // Plain SQL: read for every bus event a push listener sees, where a query builder costs several times the query.
    const rows: { tenant_value: string }[] = await this.transactions
      .manager()
      .query(`SELECT tenant_value FROM tenant_kvs WHERE tenant_record_id = $1 AND tenant_key = $2 AND is_active ORDER BY record_id`, [
        currentTenant().recordId,
        key,
      ]);
    return { key, values: rows.map((row) => row.tenant_value) };
  }

  /** The active values of one of Kill Bill's cached keys, from this node's cache when it has them. */
  async cachedValues(key: string): Promise<readonly string[]> {
    if (!isCachedKey(key)) throw new Error(`${key} is not a cached tenant key`);
    const tenantRecordId = currentTenant().recordId;
    const cached = this.cache.get(tenantRecordId, key);
    if (cached) return cached;
    const readAt = this.cache.generation(tenantRecordId, key);
    const { values } = await this.get(key);
    this.cache.put(tenantRecordId, key, values, readAt);
    return values;
  }

  /** Admin: drops the cached values of every tenant, or of one. */
  invalidateCache(tenantRecordId?: number): void {
    this.cache.clear(tenantRecordId);
  }

  /**
   * The active values of `key` with their rows, in stored order; `withValues: false` reads only the
   * row identities (cheap: a version check of a large multi-valued key).
   */
  async entries(key: string, options: { withValues: boolean } = { withValues: true }): Promise<TenantKeyEntry[]> {
    const rows = await this.transactions
      .manager()
      .getRepository(TenantKvRow)
      .find({
        select: options.withValues ? { recordId: true, id: true, tenantValue: true } : { recordId: true, id: true },
        where: { tenantRecordId: currentTenant().recordId, tenantKey: key, isActive: true },
        order: { recordId: 'ASC' },
      });
    return rows.map((row) => ({ recordId: Number(row.recordId), id: row.id, value: row.tenantValue ?? '' }));
  }

  /** Active keys starting with `prefix`, each with its values, in key order. */
  async search(prefix: string): Promise<TenantKeyValues[]> {
    const rows = await this.transactions
      .manager()
      .getRepository(TenantKvRow)
      .find({
        where: { tenantRecordId: currentTenant().recordId, tenantKey: Like(`${escapeLike(prefix)}%`), isActive: true },
        order: { tenantKey: 'ASC', recordId: 'ASC' },
      });
    const byKey = new Map<string, string[]>();
    for (const row of rows) byKey.set(row.tenantKey, [...(byKey.get(row.tenantKey) ?? []), row.tenantValue]);
    return [...byKey.entries()].map(([key, values]) => ({ key, values }));
  }

  async add(key: string, value: string): Promise<void> {
    const tenant = currentTenant();
    await this.locks.withLock(keyLockName(tenant.recordId, key), async (manager) => {
      if (isSingleValueKey(key)) await this.deactivate(key);
      const row = manager
        .getRepository(TenantKvRow)
        .create({ id: randomUUID(), tenantRecordId: tenant.recordId, tenantKey: key, tenantValue: value, isActive: true });
      await manager.getRepository(TenantKvRow).save(row);
      await this.queues.post(TenantConfigChange, { objectType: 'TENANT_KVS', objectId: row.id, metaData: JSON.stringify({ key }) });
      await this.dropFromCaches(key);
    });
  }

  /**
   * Kill Bill's updateTenantLastKeyValue: one stored value of `key` is rewritten in place (history,
   * audit and TENANT_CONFIG_CHANGE in the transaction).
   */
  async replace(key: string, recordId: number, value: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const repository = manager.getRepository(TenantKvRow);
      const row = await repository.findOneOrFail({ where: { recordId, tenantRecordId: currentTenant().recordId, tenantKey: key, isActive: true } });
      row.tenantValue = value;
      await repository.save(row);
      await this.queues.post(TenantConfigChange, { objectType: 'TENANT_KVS', objectId: row.id, metaData: JSON.stringify({ key }) });
      await this.dropFromCaches(key);
    });
  }

  async delete(key: string): Promise<void> {
    await this.locks.withLock(keyLockName(currentTenant().recordId, key), async () => {
      await this.deactivate(key);
      await this.queues.post(TenantConfigDeletion, { objectType: 'TENANT_KVS', objectId: null, metaData: JSON.stringify({ key }) });
      await this.dropFromCaches(key);
    });
  }

  /** Inside the write's transaction: this node drops the key when it ends, the others on the broadcast. */
  private async dropFromCaches(key: string): Promise<void> {
    if (!isCachedKey(key)) return;
    const tenantRecordId = currentTenant().recordId;
    this.transactions.afterTransaction(() => this.cache.invalidate(tenantRecordId, key));
    const event = JSON.stringify({ tenantRecordId, key });
    await this.broadcasts.broadcastIn(
      this.transactions.manager(),
      { serviceName: KV_CACHE_BROADCASTS, type: 'INVALIDATE', event },
      currentContext().createdBy ?? 'SYSTEM',
    );
  }

  private async deactivate(key: string): Promise<void> {
    const repository = this.transactions.manager().getRepository(TenantKvRow);
    const rows = await repository.find({ where: { tenantRecordId: currentTenant().recordId, tenantKey: key, isActive: true } });
    for (const row of rows) {
      row.isActive = false;
      await repository.save(row);
    }
  }
}

/**
 * Writes of one key take turns: a single-valued key is read, deactivated and written again, and two
 * writers in parallel would each keep their value. A lock rather than a partial unique index because
 * which keys hold one value is code (`isSingleValueKey`, prefixes with a plugin name or a locale), and
 * an index would have to repeat that list in SQL and in a migration for each new key.
 */
function keyLockName(tenantRecordId: number, key: string): string {
  return `TENANT_KVS:${tenantRecordId}:${key}`;
}
