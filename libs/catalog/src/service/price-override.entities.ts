import type Big from 'big.js';
import { Column, Entity, Index } from 'typeorm';
import { InstantColumn, MoneyColumn, RecordIdColumn, RecordRefColumn } from '@kb/platform';

/**
 * Kill Bill's catalog override tables (catalog module, V20161220 + ddl.sql): a plan definition per
 * overridden plan (its record id names the plan `<parent>-<record id>`), a phase definition per
 * distinct phase price, and the link of each overridden phase to its plan. Rows are written once and
 * never changed, like Kill Bill's.
 */
@Entity({ name: 'catalog_override_plan_definition' })
@Index('catalog_override_plan_definition_parent', ['tenantRecordId', 'parentPlanName'])
export class CatalogOverridePlanDefinitionRow {
  @RecordIdColumn() recordId!: number;
  @Column({ type: 'varchar', length: 255 }) parentPlanName!: string;
  @InstantColumn() effectiveDate!: Date;
  @Column({ type: 'boolean', default: true }) isActive!: boolean;
  @InstantColumn() createdDate!: Date;
  @Column({ type: 'varchar', length: 50 }) createdBy!: string;
  @RecordRefColumn() tenantRecordId!: number;
}

@Entity({ name: 'catalog_override_phase_definition' })
@Index('catalog_override_phase_definition_idx', ['tenantRecordId', 'parentPhaseName', 'currency'])
export class CatalogOverridePhaseDefinitionRow {
  @RecordIdColumn() recordId!: number;
  @Column({ type: 'varchar', length: 255 }) parentPhaseName!: string;
  @Column({ type: 'varchar', length: 3 }) currency!: string;
  @MoneyColumn({ nullable: true }) fixedPrice!: Big | null;
  @MoneyColumn({ nullable: true }) recurringPrice!: Big | null;
  @InstantColumn() effectiveDate!: Date;
  @InstantColumn() createdDate!: Date;
  @Column({ type: 'varchar', length: 50 }) createdBy!: string;
  @RecordRefColumn() tenantRecordId!: number;
}

@Entity({ name: 'catalog_override_plan_phase' })
@Index('catalog_override_plan_phase_idx', ['tenantRecordId', 'phaseNumber', 'phaseDefRecordId'])
@Index('catalog_override_plan_phase_target', ['tenantRecordId', 'targetPlanDefRecordId'])
export class CatalogOverridePlanPhaseRow {
  @RecordIdColumn() recordId!: number;
  @Column({ type: 'integer' }) phaseNumber!: number;
  @RecordRefColumn() phaseDefRecordId!: number;
  @RecordRefColumn() targetPlanDefRecordId!: number;
  @InstantColumn() createdDate!: Date;
  @Column({ type: 'varchar', length: 50 }) createdBy!: string;
  @RecordRefColumn() tenantRecordId!: number;
}

/** The new price of one tiered block of an overridden phase definition (usage price overrides), by position. */
@Entity({ name: 'catalog_override_block_price' })
@Index('catalog_override_block_price_phase', ['tenantRecordId', 'phaseDefRecordId'])
export class CatalogOverrideBlockPriceRow {
  @RecordIdColumn() recordId!: number;
  @RecordRefColumn() phaseDefRecordId!: number;
  @Column({ type: 'integer' }) usageNumber!: number;
  @Column({ type: 'varchar', length: 255 }) usageName!: string;
  @Column({ type: 'integer' }) tierNumber!: number;
  @Column({ type: 'integer' }) blockNumber!: number;
  @Column({ type: 'varchar', length: 255 }) unitName!: string;
  @MoneyColumn({ precision: 18 }) size!: Big;
  @MoneyColumn({ precision: 18 }) max!: Big;
  @MoneyColumn() price!: Big;
  @InstantColumn() createdDate!: Date;
  @Column({ type: 'varchar', length: 50 }) createdBy!: string;
  @RecordRefColumn() tenantRecordId!: number;
}
