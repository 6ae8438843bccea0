import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One active tag definition per name and tenant (a deleted one frees its name). */
export class TagDefinitionUniqueName1700000000501 implements MigrationInterface {
  name = 'TagDefinitionUniqueName1700000000501';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE UNIQUE INDEX tag_definitions_active_name ON tag_definitions (tenant_record_id, name) WHERE is_active');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX tag_definitions_active_name');
  }
}
