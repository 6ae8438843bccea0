import { Module } from '@nestjs/common';
import { TenantModule } from '@kb/tenant';
import { CatalogCache } from './catalog-cache';
import { CatalogService } from './catalog.service';
import { DefaultCatalog } from './default-catalog';

/** The tenant catalog: storage as CATALOG tenant key/values, per-tenant cache, system catalog. */
@Module({
  imports: [TenantModule],
  providers: [CatalogCache, DefaultCatalog, CatalogService],
  exports: [CatalogService, CatalogCache],
})
export class CatalogModule {}
