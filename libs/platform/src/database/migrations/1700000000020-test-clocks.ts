import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The test clock, shared by every node of the database: one row per moved scope (0 for the
 * server-wide clock, a tenant record id for a tenant's own clock), as an offset from real time.
 */
export class TestClocks1700000000020 implements MigrationInterface {
  name = 'TestClocks1700000000020';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE test_clocks (
      scope bigint PRIMARY KEY,
      offset_millis bigint NOT NULL,
      version bigint NOT NULL,
      updated_date timestamptz NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE test_clocks`);
  }
}
