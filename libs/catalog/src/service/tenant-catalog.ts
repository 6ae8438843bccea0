import type { StandaloneCatalog } from '../catalog';
import { VersionedCatalog } from '../versioned-catalog';
import { catalogInnerXml, catalogsXml } from './catalog-documents';

/** One catalog version with the document it was read from. */
export interface CatalogVersionDocument {
  readonly catalog: StandaloneCatalog;
  /** The stored document, as uploaded (or as Kill Bill generated it: template, simple plan). */
  readonly xml: string;
}

/**
 * A tenant's catalog as every read sees it: the parsed versions (effective-date order) and their
 * documents. Immutable; it is what the per-tenant cache holds, so resolving a version, a plan or a
 * price is a lookup in memory.
 */
export class TenantCatalog {
  readonly versioned: VersionedCatalog;
  private readonly documents = new Map<StandaloneCatalog, string>();
  private readonly innerDocuments = new Map<StandaloneCatalog, string>();

  /** `versions` in stored order: the first one names the catalog, as in Kill Bill. */
  constructor(versions: readonly CatalogVersionDocument[]) {
    for (const version of versions) this.documents.set(version.catalog, version.xml);
    this.versioned = new VersionedCatalog(versions.map((v) => v.catalog));
  }

  static readonly EMPTY = new TenantCatalog([]);

  get isEmpty(): boolean {
    return this.versioned.isEmpty;
  }

  get versions(): readonly StandaloneCatalog[] {
    return this.versioned.versions;
  }

  /** The version in force at `date` (the earliest when all are later); undefined without versions. */
  versionAt(date: Date): StandaloneCatalog | undefined {
    return this.isEmpty ? undefined : this.versioned.versionFor(date);
  }

  get currentVersion(): StandaloneCatalog | undefined {
    return this.versioned.currentVersion;
  }

  documentOf(version: StandaloneCatalog): string {
    return this.documents.get(version) ?? '';
  }

  /** Kill Bill's `<catalogs>` document for the given versions (all of them by default). */
  toXml(versions: readonly StandaloneCatalog[] = this.versions): string {
    return catalogsXml(
      this.versioned.catalogName,
      versions.map((v) => this.innerOf(v)),
    );
  }

  private innerOf(version: StandaloneCatalog): string {
    let inner = this.innerDocuments.get(version);
    if (inner === undefined) {
      inner = catalogInnerXml(this.documentOf(version));
      this.innerDocuments.set(version, inner);
    }
    return inner;
  }
}
