import { Injectable } from '@nestjs/common';
import { CatalogCache, CatalogService } from '@kb/catalog';
import { AccountService } from '@kb/account';
import { currentTenant, InvalidRequestException, Transactions } from '@kb/platform';
import { TenantKvService, TenantService } from '@kb/tenant';
import { OverdueConfigService } from '@kb/overdue';

/** Kill Bill's cache names (CacheType); the ones this server keeps are cleared, the others hold nothing. */
export const CACHE_NAMES = [
  'record-id',
  'account-record-id',
  'tenant-record-id',
  'object-id',
  CatalogCache.CACHE_NAME,
  'tenant-payment-state-machine-config',
  'tenant-overdue-config',
  'tenant-config',
  'tenant-kv',
  'tenant',
  'overridden-plan',
  'account-immutable',
  'account-bcd',
  'account-id-from-bundle-id',
  'bundle-id-from-subscription-id',
] as const;

/** The admin cache operations: each cache the server keeps, by Kill Bill's name. */
@Injectable()
export class AdminCacheService {
  private readonly clearers: Readonly<Record<string, (tenantRecordId?: number) => void>>;

  constructor(
    catalogs: CatalogService,
    tenants: TenantService,
    tenantKvs: TenantKvService,
    overdueConfigs: OverdueConfigService,
    private readonly accounts: AccountService,
    private readonly transactions: Transactions,
  ) {
    this.clearers = {
      [CatalogCache.CACHE_NAME]: (tenantRecordId) => catalogs.invalidateCache(tenantRecordId),
      tenant: () => tenants.invalidateCache(),
      'tenant-kv': (tenantRecordId) => tenantKvs.invalidateCache(tenantRecordId),
      'tenant-overdue-config': (tenantRecordId) => overdueConfigs.invalidate(tenantRecordId),
    };
  }

  /** One cache by name, or all of them; an unknown name is a bare 400 in Kill Bill. */
  invalidate(cacheName: string | undefined): void {
    if (cacheName === undefined || cacheName === '') {
      for (const clear of Object.values(this.clearers)) clear();
      return;
    }
    if (!(CACHE_NAMES as readonly string[]).includes(cacheName)) {
      throw new InvalidRequestException(`Cache for specified cacheName='${cacheName}' does not exist or is not alive`);
    }
    this.clearers[cacheName]?.();
  }

  /** Everything cached for the tenant of the request. */
  invalidateTenant(): void {
    const { recordId } = currentTenant();
    for (const clear of Object.values(this.clearers)) clear(recordId);
  }

  /**
   * Kill Bill clears its account-keyed caches (account-record-id, account-immutable, account-bcd) after
   * resolving the account. This server keeps none of them (it reads accounts from the database each
   * time), so once the account is found there is nothing more to drop.
   */
  async invalidateAccount(accountId: string): Promise<void> {
    await this.accounts.requireById(this.transactions.manager(), accountId);
  }
}
