import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { currentTenant, Locks, Transactions } from '@kb/platform';
import type { StandaloneCatalog } from '../catalog';
import type { Currency, Plan } from '../model';
import {
  type OverriddenPlanDefinition,
  type PhaseOverride,
  type PhasePriceOverride,
  overriddenPlanName,
  resolvePhaseOverrides,
  samePhaseOverrides,
  type TieredBlockOverride,
  withOverriddenPlans,
} from '../price-override';
import type { VersionedCatalog } from '../versioned-catalog';
import { CatalogService } from './catalog.service';
import { CatalogOverrideBlockPriceRow, CatalogOverridePhaseDefinitionRow, CatalogOverridePlanDefinitionRow, CatalogOverridePlanPhaseRow } from './price-override.entities';

interface OverrideRow {
  record_id: string;
  phase_def_record_id: string;
  parent_plan_name: string;
  phase_number: number;
  parent_phase_name: string;
  currency: string;
  fixed_price: string | null;
  recurring_price: string | null;
}

/** A tenant's overridden plans as last read, and the catalog built with them on a given base. */
interface TenantOverrides {
  readonly definitions: Map<string, OverriddenPlanDefinition>;
  lastRecordId: number;
  base?: VersionedCatalog;
  catalog?: VersionedCatalog;
}

interface BlockPriceRow {
  phase_def_record_id: string;
  usage_number: number;
  usage_name: string;
  tier_number: number;
  block_number: number;
  unit_name: string;
  size: string;
  max: string;
  price: string;
}

const BLOCK_PRICES_SQL = `
  SELECT phase_def_record_id, usage_number, usage_name, tier_number, block_number, unit_name, size, max, price
  FROM catalog_override_block_price WHERE tenant_record_id = $1 AND phase_def_record_id = ANY($2::bigint[])
  ORDER BY usage_number, tier_number, block_number`;

const DEFINITIONS_SQL = `
  SELECT p.record_id, pp.phase_def_record_id, p.parent_plan_name, pp.phase_number, d.parent_phase_name, d.currency, d.fixed_price, d.recurring_price
  FROM catalog_override_plan_definition p
  JOIN catalog_override_plan_phase pp ON pp.tenant_record_id = p.tenant_record_id AND pp.target_plan_def_record_id = p.record_id
  JOIN catalog_override_phase_definition d ON d.tenant_record_id = p.tenant_record_id AND d.record_id = pp.phase_def_record_id
  WHERE p.tenant_record_id = $1 AND p.is_active`;

/**
 * Price overrides of a tenant (Kill Bill's DefaultPriceOverrideSvc, CatalogOverrideDao and
 * OverriddenPlanCache): creates (or reuses an identical) overridden plan in the catalog_override_*
 * tables, and gives the tenant's catalog with every overridden plan in it, which subscription views
 * and events need to read plans named `<parent>-<n>`. Definitions never change once written, so each
 * node keeps those it read and only asks for newer ones.
 */
@Injectable()
export class PriceOverrideService {
  private readonly tenants = new Map<number, TenantOverrides>();

  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly catalogs: CatalogService,
  ) {}

  /** The tenant's catalog with its overridden plans (the catalog itself when it has none). */
  async catalog(): Promise<VersionedCatalog> {
    const tenantRecordId = currentTenant().recordId;
    const base = (await this.catalogs.catalog()).versioned;
    const overrides = await this.refreshed(tenantRecordId);
    if (overrides.definitions.size === 0) return base;
    if (overrides.base !== base || !overrides.catalog) {
      overrides.base = base;
      overrides.catalog = withOverriddenPlans(base, [...overrides.definitions.values()]);
    }
    return overrides.catalog;
  }

  /**
   * The overridden plan of `parent` (as found in `version`) with the requested prices in `currency`:
   * an existing identical one, else a new definition. Runs in the caller's transaction; refuses a
   * price the phase lacks (2081). Answers its name and the catalog that holds it.
   */
  async overriddenPlan(
    version: StandaloneCatalog,
    parent: Plan,
    requested: readonly PhasePriceOverride[],
    currency: Currency,
  ): Promise<{ planName: string; catalog: VersionedCatalog }> {
    const phases = resolvePhaseOverrides(parent, requested, currency);
    const tenantRecordId = currentTenant().recordId;
    // one writer per tenant at a time, so that two identical requests share one plan
    await this.locks.lockInTransaction(`catalog-override:${tenantRecordId}`);
    const manager = this.transactions.manager();
    const rows: OverrideRow[] = await manager.query(`${DEFINITIONS_SQL} AND p.parent_plan_name = $2 ORDER BY p.record_id, pp.phase_number`, [
      tenantRecordId,
      parent.name,
    ]);
    const existing = (await this.toDefinitions(tenantRecordId, rows)).find((definition) => samePhaseOverrides(definition.phases, phases));
    const planName = existing?.name ?? (await this.create(tenantRecordId, version.effectiveDate, parent, phases));
    return { planName, catalog: await this.catalog() };
  }

  private async create(tenantRecordId: number, effectiveDate: Date, parent: Plan, phases: readonly PhaseOverride[]): Promise<string> {
    const manager = this.transactions.manager();
    const plan = await manager
      .getRepository(CatalogOverridePlanDefinitionRow)
      .save(manager.getRepository(CatalogOverridePlanDefinitionRow).create({ parentPlanName: parent.name, effectiveDate, isActive: true, tenantRecordId }));
    for (const phase of phases) {
      const definition = await this.phaseDefinition(tenantRecordId, effectiveDate, phase);
      await manager
        .getRepository(CatalogOverridePlanPhaseRow)
        .save(
          manager
            .getRepository(CatalogOverridePlanPhaseRow)
            .create({ phaseNumber: phase.phaseNumber, phaseDefRecordId: definition.recordId, targetPlanDefRecordId: plan.recordId, tenantRecordId }),
        );
    }
    return overriddenPlanName(parent.name, plan.recordId);
  }

  /**
   * An identical phase definition without block prices is shared, as Kill Bill's getByAttributes
   * finds it; one with block prices is always new (sharing those would only save a few rows).
   */
  private async phaseDefinition(tenantRecordId: number, effectiveDate: Date, phase: PhaseOverride): Promise<CatalogOverridePhaseDefinitionRow> {
    const repository = this.transactions.manager().getRepository(CatalogOverridePhaseDefinitionRow);
    if (phase.blockPrices.length === 0) {
      const found: { record_id: string }[] = await this.transactions.manager().query(
        `SELECT d.record_id FROM catalog_override_phase_definition d
         WHERE d.tenant_record_id = $1 AND d.parent_phase_name = $2 AND d.currency = $3
           AND d.fixed_price IS NOT DISTINCT FROM $4::numeric AND d.recurring_price IS NOT DISTINCT FROM $5::numeric
           AND NOT EXISTS (SELECT 1 FROM catalog_override_block_price b WHERE b.tenant_record_id = d.tenant_record_id AND b.phase_def_record_id = d.record_id)
         ORDER BY d.record_id LIMIT 1`,
        [tenantRecordId, phase.parentPhaseName, phase.currency, phase.fixedPrice?.toString() ?? null, phase.recurringPrice?.toString() ?? null],
      );
      if (found.length > 0) return repository.findOneByOrFail({ recordId: Number(found[0].record_id) });
    }
    const definition = await repository.save(
      repository.create({
        parentPhaseName: phase.parentPhaseName,
        currency: phase.currency,
        fixedPrice: phase.fixedPrice,
        recurringPrice: phase.recurringPrice,
        effectiveDate,
        tenantRecordId,
      }),
    );
    const blocks = this.transactions.manager().getRepository(CatalogOverrideBlockPriceRow);
    for (const block of phase.blockPrices) {
      await blocks.save(blocks.create({ ...block, phaseDefRecordId: definition.recordId, tenantRecordId }));
    }
    return definition;
  }

  /** The tenant's definitions, with those written since the last read (by this node or another). */
  private async refreshed(tenantRecordId: number): Promise<TenantOverrides> {
    let overrides = this.tenants.get(tenantRecordId);
    if (!overrides) {
      overrides = { definitions: new Map(), lastRecordId: 0 };
      this.tenants.set(tenantRecordId, overrides);
    }
    const rows: OverrideRow[] = await this.transactions
      .manager()
      .query(`${DEFINITIONS_SQL} AND p.record_id > $2 ORDER BY p.record_id, pp.phase_number`, [tenantRecordId, overrides.lastRecordId]);
    if (rows.length === 0) return overrides;
    for (const definition of await this.toDefinitions(tenantRecordId, rows)) overrides.definitions.set(definition.name, definition);
    overrides.lastRecordId = Math.max(overrides.lastRecordId, ...rows.map((row) => Number(row.record_id)));
    overrides.catalog = undefined;
    return overrides;
  }

  /** The definitions of the rows, with the block prices of their phases. */
  private async toDefinitions(tenantRecordId: number, rows: readonly OverrideRow[]): Promise<OverriddenPlanDefinition[]> {
    const phaseIds = [...new Set(rows.map((row) => row.phase_def_record_id))];
    const blocks: BlockPriceRow[] = phaseIds.length === 0 ? [] : await this.transactions.manager().query(BLOCK_PRICES_SQL, [tenantRecordId, phaseIds]);
    const byPhase = new Map<string, TieredBlockOverride[]>();
    for (const block of blocks) {
      const list = byPhase.get(block.phase_def_record_id) ?? [];
      list.push({
        usageNumber: block.usage_number,
        usageName: block.usage_name,
        tierNumber: block.tier_number,
        blockNumber: block.block_number,
        unitName: block.unit_name,
        size: new Big(block.size),
        max: new Big(block.max),
        price: new Big(block.price),
      });
      byPhase.set(block.phase_def_record_id, list);
    }
    return toDefinitions(rows, byPhase);
  }
}

function toDefinitions(rows: readonly OverrideRow[], blocksByPhase: ReadonlyMap<string, readonly TieredBlockOverride[]>): OverriddenPlanDefinition[] {
  const byRecord = new Map<number, { parentPlanName: string; phases: PhaseOverride[] }>();
  for (const row of rows) {
    const recordId = Number(row.record_id);
    const entry = byRecord.get(recordId) ?? { parentPlanName: row.parent_plan_name, phases: [] };
    entry.phases.push({
      phaseNumber: row.phase_number,
      parentPhaseName: row.parent_phase_name,
      currency: row.currency as Currency,
      fixedPrice: row.fixed_price === null ? null : new Big(row.fixed_price),
      recurringPrice: row.recurring_price === null ? null : new Big(row.recurring_price),
      blockPrices: blocksByPhase.get(row.phase_def_record_id) ?? [],
    });
    byRecord.set(recordId, entry);
  }
  return [...byRecord.entries()].map(([recordId, entry]) => ({ name: overriddenPlanName(entry.parentPlanName, recordId), ...entry }));
}
