export { CatalogCache } from './catalog-cache';
export type { StoredCatalog } from './catalog-cache';
export { CatalogModule } from './catalog.module';
export { CatalogService } from './catalog.service';
export { CATALOG_URI_PROPERTY, DefaultCatalog, catalogFiles, shippedCatalogsDirectory } from './default-catalog';
export { catalogInnerXml, catalogsXml } from './catalog-documents';
export { TenantCatalog } from './tenant-catalog';
export type { CatalogVersionDocument } from './tenant-catalog';
export { PriceOverrideService } from './price-override.service';
export {
  CatalogOverrideBlockPriceRow,
  CatalogOverridePhaseDefinitionRow,
  CatalogOverridePlanDefinitionRow,
  CatalogOverridePlanPhaseRow,
} from './price-override.entities';
import {
  CatalogOverrideBlockPriceRow,
  CatalogOverridePhaseDefinitionRow,
  CatalogOverridePlanDefinitionRow,
  CatalogOverridePlanPhaseRow,
} from './price-override.entities';
import { CatalogOverrides1700000000640 } from './migrations/1700000000640-catalog-overrides';
import { CatalogOverrideBlockPrices1700000000650 } from './migrations/1700000000650-catalog-override-block-prices';
export const CATALOG_ENTITIES = [CatalogOverridePlanDefinitionRow, CatalogOverridePhaseDefinitionRow, CatalogOverridePlanPhaseRow, CatalogOverrideBlockPriceRow];
export const CATALOG_MIGRATIONS = [CatalogOverrides1700000000640, CatalogOverrideBlockPrices1700000000650];
