import { Injectable } from '@nestjs/common';
import type { TenantCatalog, CatalogVersionDocument } from './tenant-catalog';

/** What is stored for a tenant under the CATALOG key, parsed once. */
export interface StoredCatalog {
  /** Record ids of the active CATALOG rows, in order: the entry is stale when they change. */
  readonly signature: string;
  /** Every stored version (templates included), in stored order. */
  readonly all: readonly (CatalogVersionDocument & { readonly recordId: number })[];
  /** What reads see: template versions dropped. */
  readonly visible: TenantCatalog;
  /** Nothing stored (and no placeholder on its way): reads use the system catalog. */
  readonly useDefault: boolean;
}

/**
 * Parsed catalogs per tenant record id (Kill Bill's TENANT_CATALOG cache). Entries are dropped on
 * every catalog write of this node and by `DELETE /admin/cache`.
 */
@Injectable()
export class CatalogCache {
  static readonly CACHE_NAME = 'tenant-catalog';
  private readonly entries = new Map<number, StoredCatalog>();

  get(tenantRecordId: number): StoredCatalog | undefined {
    return this.entries.get(tenantRecordId);
  }

  put(tenantRecordId: number, entry: StoredCatalog): void {
    this.entries.set(tenantRecordId, entry);
  }

  invalidate(tenantRecordId: number): void {
    this.entries.delete(tenantRecordId);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
