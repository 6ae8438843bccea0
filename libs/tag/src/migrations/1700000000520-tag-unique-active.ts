import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One active tag per definition on an object (a removed tag frees its place). */
export class TagUniqueActive1700000000520 implements MigrationInterface {
  name = 'TagUniqueActive1700000000520';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE UNIQUE INDEX tags_active ON tags (tenant_record_id, object_id, object_type, tag_definition_id) WHERE is_active');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX tags_active');
  }
}
