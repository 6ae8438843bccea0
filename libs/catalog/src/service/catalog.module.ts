import { Module } from '@nestjs/common';
import { TenantModule } from '@kb/tenant';
import { CatalogCache } from './catalog-cache';
import { CatalogService } from './catalog.service';
import { DefaultCatalog } from './default-catalog';
import { PriceOverrideService } from './price-override.service';

/** The tenant catalog: storage as CATALOG tenant key/values, per-tenant cache, system catalog. */
@Module({
  imports: [TenantModule],
  providers: [CatalogCache, DefaultCatalog, CatalogService, PriceOverrideService],
  exports: [CatalogService, CatalogCache, PriceOverrideService],
})
export class CatalogModule {}
