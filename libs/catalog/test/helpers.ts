import * as fs from 'fs';
import * as path from 'path';
import { StandaloneCatalog, parseCatalogXml } from '@kb/catalog';

export const CATALOG_DIR = path.resolve(__dirname, '../../../test/fixtures/catalogs');

export function readCatalogXml(name: string): string {
  return fs.readFileSync(path.join(CATALOG_DIR, name), 'utf8');
}

export function loadCatalog(name: string): StandaloneCatalog {
  const res = parseCatalogXml(readCatalogXml(name));
  if (!res.ok) throw new Error(`${name}: ${res.errors[0].message}`);
  return new StandaloneCatalog(res.catalog);
}

export const INVALID_CATALOGS = ['CatalogWithValidationErrors.xml', 'SpyCarBasicInvalidName.xml'];

export function validCatalogFiles(): string[] {
  const top = fs.readdirSync(CATALOG_DIR).filter((f) => f.endsWith('.xml') && !INVALID_CATALOGS.includes(f));
  const versioned = fs
    .readdirSync(path.join(CATALOG_DIR, 'versioned'))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => `versioned/${f}`);
  return [...top, ...versioned].sort();
}
