/** @kb/catalog — the pure catalog engine (also `@kb/catalog/engine`), then its service layer (./service). */
export * from './engine';
// The service layer (Nest, database): tenant catalog storage, per-tenant cache, system catalog.
export * from './service';
