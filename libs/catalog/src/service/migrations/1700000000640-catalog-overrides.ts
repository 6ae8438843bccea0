import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Kill Bill's catalog override tables for fixed and recurring price overrides (not audited, as in Kill Bill). */
export class CatalogOverrides1700000000640 implements MigrationInterface {
  name = 'CatalogOverrides1700000000640';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE catalog_override_plan_definition (record_id bigserial PRIMARY KEY, parent_plan_name varchar(255) NOT NULL,
         effective_date timestamptz NOT NULL, is_active boolean NOT NULL DEFAULT true, created_date timestamptz NOT NULL,
         created_by varchar(50) NOT NULL, tenant_record_id bigint NOT NULL)`,
      'CREATE INDEX catalog_override_plan_definition_parent ON catalog_override_plan_definition (tenant_record_id, parent_plan_name)',
      `CREATE TABLE catalog_override_phase_definition (record_id bigserial PRIMARY KEY, parent_phase_name varchar(255) NOT NULL,
         currency varchar(3) NOT NULL, fixed_price numeric(15,9), recurring_price numeric(15,9), effective_date timestamptz NOT NULL,
         created_date timestamptz NOT NULL, created_by varchar(50) NOT NULL, tenant_record_id bigint NOT NULL)`,
      'CREATE INDEX catalog_override_phase_definition_idx ON catalog_override_phase_definition (tenant_record_id, parent_phase_name, currency)',
      `CREATE TABLE catalog_override_plan_phase (record_id bigserial PRIMARY KEY, phase_number integer NOT NULL, phase_def_record_id bigint NOT NULL,
         target_plan_def_record_id bigint NOT NULL, created_date timestamptz NOT NULL, created_by varchar(50) NOT NULL, tenant_record_id bigint NOT NULL)`,
      'CREATE INDEX catalog_override_plan_phase_idx ON catalog_override_plan_phase (tenant_record_id, phase_number, phase_def_record_id)',
      'CREATE INDEX catalog_override_plan_phase_target ON catalog_override_plan_phase (tenant_record_id, target_plan_def_record_id)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['catalog_override_plan_phase', 'catalog_override_phase_definition', 'catalog_override_plan_definition']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
