import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { KillBillConfig, KillBillException } from '@kb/platform';
import { StandaloneCatalog } from '../catalog';
import { parseCatalogXml } from '../parser';
import { TenantCatalog } from './tenant-catalog';

export const CATALOG_URI_PROPERTY = 'org.killbill.catalog.uri';
/** Kill Bill's built-in fallback when no system catalog is configured. */
export const EMPTY_CATALOG_FILE = 'EmptyCatalog.xml';
/** Where the catalogs shipped with the server live, relative to the repository root. */
const SHIPPED_CATALOGS = join('apps', 'killbill', 'catalogs');

/**
 * The system catalog (`org.killbill.catalog.uri`): what tenants created with
 * `useGlobalDefault=true` read. Loaded and validated once at startup; an invalid one stops the
 * server, as in Kill Bill (CAT_INVALID_DEFAULT).
 */
@Injectable()
export class DefaultCatalog implements OnModuleInit {
  private readonly logger = new Logger('Catalog');
  private loaded?: TenantCatalog;

  constructor(private readonly config: KillBillConfig) {}

  onModuleInit(): void {
    this.loaded = this.load();
  }

  get catalog(): TenantCatalog {
    this.loaded ??= this.load();
    return this.loaded;
  }

  private load(): TenantCatalog {
    const uri = this.config.get(CATALOG_URI_PROPERTY)?.trim() || EMPTY_CATALOG_FILE;
    const files = catalogFiles(uri);
    const versions = files.map((file) => {
      const xml = readFileSync(file, 'utf8');
      const parsed = parseCatalogXml(xml);
      if (!parsed.ok) throw invalidDefault(uri, parsed.errors.map((e) => e.message).join('; '));
      return { catalog: new StandaloneCatalog(parsed.catalog), xml };
    });
    const catalog = new TenantCatalog(versions);
    const errors = catalog.versioned.validate();
    if (errors.length > 0) throw invalidDefault(uri, errors.map((e) => e.message).join('; '));
    this.logger.log(`Loaded the default catalog ${uri} (${versions.length} version(s))`);
    return catalog;
  }
}

function invalidDefault(uri: string, detail: string): KillBillException {
  return new KillBillException('CAT_INVALID_DEFAULT', [uri], { cause: new Error(detail) });
}

/** The XML files a catalog uri designates: a file, or every `*.xml` of a directory (name order). */
export function catalogFiles(uri: string): string[] {
  if (/^https?:/i.test(uri)) throw invalidDefault(uri, 'Only local files and directories are supported');
  const path = resolveCatalogPath(uri.startsWith('file:') ? fileURLToPath(uri) : uri);
  if (!path) throw invalidDefault(uri, 'No such file or directory');
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path)
      .filter((name) => name.endsWith('.xml'))
      .sort()
      .map((name) => join(path, name));
    if (files.length === 0) throw invalidDefault(uri, 'The directory holds no XML file');
    return files;
  }
  return [path];
}

function resolveCatalogPath(path: string): string | undefined {
  if (isAbsolute(path)) return existsSync(path) ? path : undefined;
  const candidates = [resolve(process.cwd(), path)];
  const shipped = shippedCatalogsDirectory();
  if (shipped) candidates.push(join(shipped, path));
  return candidates.find((candidate) => existsSync(candidate));
}

/** `apps/killbill/catalogs`, found from this file upwards (works from sources and from dist/). */
export function shippedCatalogsDirectory(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, SHIPPED_CATALOGS);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
