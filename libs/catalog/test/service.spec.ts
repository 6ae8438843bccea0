import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KillBillConfig } from '@kb/platform';
import { CATALOG_URI_PROPERTY, DefaultCatalog, catalogFiles, catalogInnerXml, catalogsXml, shippedCatalogsDirectory } from '@kb/catalog';
import { CATALOG_DIR, readCatalogXml } from './helpers';

const defaultCatalog = (uri: string) => new DefaultCatalog(KillBillConfig.load({ [CATALOG_URI_PROPERTY]: uri }, {})).catalog;

describe('catalog documents', () => {
  it('extracts the children of <catalog>, skipping the prolog and its comments', () => {
    const xml = '<?xml version="1.0"?>\n<!-- <catalog>not this</catalog> -->\n<catalog xmlns:xsi="x">\n  <catalogName>A</catalogName>\n</catalog>\n';
    expect(catalogInnerXml(xml)).toBe('\n  <catalogName>A</catalogName>\n');
  });

  it('wraps versions as Kill Bill marshals a VersionedCatalog', () => {
    expect(catalogsXml('A', ['<x/>'])).toContain('<versions>\n        <version><x/></version>\n    </versions>\n    <catalogName>A</catalogName>\n</catalogs>');
    expect(catalogsXml(undefined, [])).toContain('<versions/>');
  });
});

describe('DefaultCatalog (org.killbill.catalog.uri)', () => {
  it('ships SpyCarAdvanced.xml and EmptyCatalog.xml', () => {
    expect(shippedCatalogsDirectory()).toMatch(/apps\/killbill\/catalogs$/);
    expect(defaultCatalog('SpyCarAdvanced.xml').versioned.catalogName).toBe('SpyCarAdvanced');
    expect(defaultCatalog('').versioned.catalogName).toBe('EmptyCatalog');
  });

  it('reads an absolute path, a file: URL and a directory of versions', () => {
    const file = join(CATALOG_DIR, 'SpyCarBasic.xml');
    expect(defaultCatalog(file).versions).toHaveLength(1);
    expect(defaultCatalog(`file://${file}`).versioned.catalogName).toBe('SpyCarBasic');
    // the WeaponsHireSmall series alone: versioned/ also holds other catalogs' series
    const dir = mkdtempSync(join(tmpdir(), 'kb-catalog-'));
    for (const f of readdirSync(join(CATALOG_DIR, 'versioned')).filter((f) => f.startsWith('WeaponsHireSmall-'))) writeFileSync(join(dir, f), readCatalogXml(`versioned/${f}`));
    const versioned = defaultCatalog(dir);
    expect(versioned.versions.map((v) => v.effectiveDate.toISOString().slice(0, 10))).toEqual(['2011-01-01', '2011-02-02', '2011-02-03', '2011-03-03']);
  });

  it('refuses a missing or invalid catalog with CAT_INVALID_DEFAULT', () => {
    expect(() => catalogFiles('NoSuchCatalog.xml')).toThrow('Invalid default catalog : NoSuchCatalog.xml');
    const dir = mkdtempSync(join(tmpdir(), 'kb-catalog-'));
    writeFileSync(join(dir, 'bad.xml'), readCatalogXml('CatalogWithValidationErrors.xml'));
    expect(() => defaultCatalog(join(dir, 'bad.xml'))).toThrow(/Invalid default catalog/);
    expect(() => defaultCatalog('http://example.com/catalog.xml')).toThrow(/Invalid default catalog/);
  });
});
