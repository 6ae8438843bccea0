import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage price overrides: the new price of a tiered block of an overridden phase definition, one row
 * per block (in place of Kill Bill's usage/tier/block definition and link tables, which only ever
 * carry these prices; same observable behaviour). Not audited, as in Kill Bill.
 */
export class CatalogOverrideBlockPrices1700000000650 implements MigrationInterface {
  name = 'CatalogOverrideBlockPrices1700000000650';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE catalog_override_block_price (record_id bigserial PRIMARY KEY, phase_def_record_id bigint NOT NULL,
         usage_number integer NOT NULL, usage_name varchar(255) NOT NULL, tier_number integer NOT NULL, block_number integer NOT NULL,
         unit_name varchar(255) NOT NULL, size numeric(18,9) NOT NULL, max numeric(18,9) NOT NULL, price numeric(15,9) NOT NULL,
         created_date timestamptz NOT NULL, created_by varchar(50) NOT NULL, tenant_record_id bigint NOT NULL)`,
    );
    await runner.query('CREATE INDEX catalog_override_block_price_phase ON catalog_override_block_price (tenant_record_id, phase_def_record_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE catalog_override_block_price');
  }
}
