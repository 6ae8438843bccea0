export { CatalogCache } from './catalog-cache';
export type { StoredCatalog } from './catalog-cache';
export { CatalogModule } from './catalog.module';
export { CatalogService } from './catalog.service';
export { CATALOG_URI_PROPERTY, DefaultCatalog, catalogFiles, shippedCatalogsDirectory } from './default-catalog';
export { catalogInnerXml, catalogsXml } from './catalog-documents';
export { TenantCatalog } from './tenant-catalog';
export type { CatalogVersionDocument } from './tenant-catalog';
