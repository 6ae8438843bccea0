import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kill Bill's node_infos (each node of the database, refreshed while it runs) and service_broadcasts
 * (commands every node picks up, polled by record id).
 */
export class Nodes1700000001400 implements MigrationInterface {
  name = 'Nodes1700000001400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE node_infos (
      record_id bigserial PRIMARY KEY,
      node_name varchar(50) NOT NULL,
      boot_date timestamptz NOT NULL,
      updated_date timestamptz NOT NULL,
      node_info text NOT NULL,
      is_active boolean NOT NULL DEFAULT true)`);
    await runner.query(`CREATE UNIQUE INDEX node_name_idx ON node_infos (node_name)`);
    await runner.query(`CREATE TABLE service_broadcasts (
      record_id bigserial PRIMARY KEY,
      service_name varchar(50) NOT NULL,
      type varchar(64) NOT NULL,
      event text NOT NULL,
      created_date timestamptz NOT NULL,
      created_by varchar(50) NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE service_broadcasts`);
    await runner.query(`DROP TABLE node_infos`);
  }
}
