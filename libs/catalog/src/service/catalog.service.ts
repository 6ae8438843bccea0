import { Injectable, Logger } from '@nestjs/common';
import { Clock, currentTenant, KillBillException, Locks, OnBusEvent, type QueueMessage, Queues, Transactions } from '@kb/platform';
import { TenantCreation, type TenantCreationPayload, TenantKey, type TenantKeyEntry, TenantKvService } from '@kb/tenant';
import { type Listing, StandaloneCatalog } from '../catalog';
import type { CatalogValidationError } from '../model';
import { parseCatalogXml } from '../parser';
import { addSimplePlanToXml, firstVersionEffectiveDate, type SimplePlanInput, templateCatalogXml } from '../simple-plan';
import { checkCatalogUpload, validateCatalogUpload } from '../versioned-catalog';
import { CatalogCache, type StoredCatalog } from './catalog-cache';
import { DefaultCatalog } from './default-catalog';
import { TenantCatalog } from './tenant-catalog';

/**
 * A tenant's catalog (Kill Bill's DefaultCatalogUserApi + catalog cache): each uploaded version is
 * one value of the multi-valued CATALOG tenant key, stored as uploaded; reads go through a parsed
 * per-tenant cache; a tenant with nothing stored reads the system catalog.
 */
@Injectable()
export class CatalogService {
  private readonly logger = new Logger('Catalog');

  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly kv: TenantKvService,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly cache: CatalogCache,
    private readonly defaults: DefaultCatalog,
  ) {}

  /** Kill Bill creates the placeholder catalog of a tenant created without useGlobalDefault. */
  @OnBusEvent(TenantCreation)
  async onTenantCreation(message: QueueMessage<TenantCreationPayload>): Promise<void> {
    if (!message.payload.useGlobalDefault) await this.createDefaultEmptyCatalog(message.effectiveDate);
  }

  // --- reads -------------------------------------------------------------------------------------

  /** The catalog every read of the current tenant sees (templates hidden, system catalog fallback). */
  async catalog(): Promise<TenantCatalog> {
    const stored = await this.stored(currentTenant().recordId);
    return stored.useDefault ? this.defaults.catalog : stored.visible;
  }

  /** All versions, or the one in force at `requestedDate` (none at all: Kill Bill's 500). */
  async versions(requestedDate?: Date): Promise<readonly StandaloneCatalog[]> {
    const catalog = await this.catalog();
    return requestedDate === undefined ? catalog.versions : [this.versionAt(catalog, requestedDate)];
  }

  /** `GET /catalog/xml`: Kill Bill's `<catalogs>` document, each version as it was stored. */
  async catalogXml(requestedDate?: Date): Promise<string> {
    const catalog = await this.catalog();
    return catalog.toXml(requestedDate === undefined ? catalog.versions : [this.versionAt(catalog, requestedDate)]);
  }

  async versionDates(): Promise<Date[]> {
    return (await this.catalog()).versions.map((v) => v.effectiveDate);
  }

  async availableBasePlans(): Promise<Listing[]> {
    return (await this.catalog()).currentVersion?.availableBasePlanListings() ?? [];
  }

  async availableAddons(baseProductName: string | undefined, priceListName: string | undefined): Promise<Listing[]> {
    if (baseProductName === undefined) return [];
    return (await this.catalog()).currentVersion?.availableAddOnListings(baseProductName, priceListName) ?? [];
  }

  // --- writes ------------------------------------------------------------------------------------

  /** Appends a version; an invalid document is refused whole (400 CAT_INVALID_FOR_TENANT). */
  async upload(xml: string): Promise<void> {
    const tenant = currentTenant();
    const updated = await this.transactions.run(async () => {
      const stored = await this.storedForUpdate(tenant.recordId);
      const { errors, catalog } = checkCatalogUpload(stored.visible.versioned, xml);
      if (errors.length > 0 || !catalog) {
        this.logger.log(`Failed to load new catalog version for tenantRecordId=${tenant.recordId}: ${describe(errors)}`);
        throw new KillBillException('CAT_INVALID_FOR_TENANT', [tenant.recordId]);
      }
      await this.kv.add(TenantKey.CATALOG, xml);
      // the new entry, built from what was parsed already: the next read needs no parse
      const ids = await this.kv.entries(TenantKey.CATALOG, { withValues: false });
      const added = { recordId: Number(ids[ids.length - 1].recordId), catalog, xml };
      return withVersion(stored, signatureOf(ids), added);
    });
    this.cache.put(tenant.recordId, updated);
  }

  /** The errors an upload of `xml` would meet now (empty when it would be accepted). */
  async validate(xml: string): Promise<CatalogValidationError[]> {
    const stored = await this.stored(currentTenant().recordId);
    const errors = validateCatalogUpload(stored.visible.versioned, xml);
    if (errors.length > 0) this.logger.log(`Catalog validation failed: ${describe(errors)}`);
    return errors;
  }

  /** Adds a simple plan to the latest version in place, or creates the first version. */
  async addSimplePlan(input: SimplePlanInput): Promise<void> {
    const tenant = currentTenant();
    await this.transactions.run(async () => {
      const stored = await this.storedForUpdate(tenant.recordId);
      const current = latest(stored);
      const xml = addSimplePlanToXml(current?.xml, input, this.clock.now(), tenant.recordId);
      await this.replaceOrAdd(current?.recordId, xml);
    });
    this.cache.invalidate(tenant.recordId);
  }

  /** Removes every version and stores a fresh placeholder (the tenant does not fall back to the system catalog). */
  async deleteCatalog(): Promise<void> {
    const tenant = currentTenant();
    await this.transactions.run(async () => {
      await this.lock(tenant.recordId);
      await this.kv.delete(TenantKey.CATALOG);
      await this.kv.add(TenantKey.CATALOG, templateCatalogXml(firstVersionEffectiveDate(this.clock.now())));
    });
    this.cache.invalidate(tenant.recordId);
  }

  /** The placeholder version of a new tenant (effective the day before `createdDate`); nothing if a version exists. */
  async createDefaultEmptyCatalog(createdDate: Date = this.clock.now()): Promise<void> {
    const tenant = currentTenant();
    const added = await this.transactions.run(async () => {
      const stored = await this.storedForUpdate(tenant.recordId);
      if (stored.all.length > 0) return false;
      await this.kv.add(TenantKey.CATALOG, templateCatalogXml(firstVersionEffectiveDate(createdDate)));
      return true;
    });
    // Only a write invalidates: a late creation event must not drop a version cached since.
    if (added) this.cache.invalidate(tenant.recordId);
  }

  invalidateCache(tenantRecordId?: number): void {
    if (tenantRecordId === undefined) this.cache.clear();
    else this.cache.invalidate(tenantRecordId);
  }

  // --- storage -----------------------------------------------------------------------------------

  private versionAt(catalog: TenantCatalog, date: Date): StandaloneCatalog {
    const version = catalog.versionAt(date);
    // Kill Bill: IllegalStateException, a 500
    if (!version) throw new Error(`No existing versions in the VersionedCatalog catalog for input date ${date.toISOString()}`);
    return version;
  }

  /** The parsed stored catalog of a tenant, from the cache or loaded once. */
  private async stored(tenantRecordId: number): Promise<StoredCatalog> {
    const cached = this.cache.get(tenantRecordId);
    if (cached) return cached;
    // A tenant whose placeholder is not written yet (the creation event is queued) reads no catalog.
    // Asked before the rows are read: an event handled in between has then committed its placeholder
    // before the read, so an empty read with no pending event really means "no catalog of its own".
    const pending = await this.placeholderPending(tenantRecordId);
    const entry = this.build(await this.kv.entries(TenantKey.CATALOG), tenantRecordId);
    const result = { ...entry, useDefault: entry.all.length === 0 && !pending };
    if (!pending || entry.all.length > 0) this.cache.put(tenantRecordId, result);
    return result;
  }

  /**
   * The stored catalog as of now, under the tenant's catalog lock (writes of one tenant are
   * serialised across nodes). The cached parse is reused when the stored rows did not change.
   */
  private async storedForUpdate(tenantRecordId: number): Promise<StoredCatalog> {
    await this.lock(tenantRecordId);
    const ids = await this.kv.entries(TenantKey.CATALOG, { withValues: false });
    const cached = this.cache.get(tenantRecordId);
    if (cached && cached.signature === signatureOf(ids)) return cached;
    return this.build(await this.kv.entries(TenantKey.CATALOG), tenantRecordId);
  }

  private async lock(tenantRecordId: number): Promise<void> {
    await this.locks.lockInTransaction(`catalog:${tenantRecordId}`);
  }

  private build(rows: readonly TenantKeyEntry[], tenantRecordId: number): StoredCatalog {
    const all = rows.map((row) => {
      const parsed = parseCatalogXml(row.value);
      // validated when stored; a document that no longer loads is Kill Bill's CAT_INVALID_FOR_TENANT
      if (!parsed.ok) throw new KillBillException('CAT_INVALID_FOR_TENANT', [tenantRecordId]);
      return { recordId: row.recordId, catalog: new StandaloneCatalog(parsed.catalog), xml: row.value };
    });
    return { signature: signatureOf(rows), all, visible: new TenantCatalog(all.filter((v) => !v.catalog.isTemplate)), useDefault: false };
  }

  private async placeholderPending(tenantRecordId: number): Promise<boolean> {
    const events = await this.queues.pendingBusEvents(TenantCreation, tenantRecordId);
    return events.some((event) => event.useGlobalDefault === false);
  }

  /** Kill Bill's updateTenantLastKeyValue: the version's row is rewritten (history + audit + event). */
  private async replaceOrAdd(recordId: number | undefined, xml: string): Promise<void> {
    if (recordId === undefined) return this.kv.add(TenantKey.CATALOG, xml);
    await this.kv.replace(TenantKey.CATALOG, recordId, xml);
  }
}

/** The current version among everything stored (templates included), as simple plans edit it. */
function latest(stored: StoredCatalog): StoredCatalog['all'][number] | undefined {
  let best: StoredCatalog['all'][number] | undefined;
  for (const version of stored.all) {
    if (!best || version.catalog.effectiveDate.getTime() >= best.catalog.effectiveDate.getTime()) best = version;
  }
  return best;
}

/** `stored` with one more version (just written, so last in stored order). */
function withVersion(stored: StoredCatalog, signature: string, added: StoredCatalog['all'][number]): StoredCatalog {
  const all = [...stored.all, added];
  return { signature, all, visible: new TenantCatalog(all.filter((v) => !v.catalog.isTemplate)), useDefault: false };
}

function signatureOf(rows: readonly { recordId: number | string }[]): string {
  return rows.map((row) => String(row.recordId)).join(',');
}

function describe(errors: readonly CatalogValidationError[]): string {
  return errors.map((e) => e.message).join(' | ');
}
