import type { MigrationInterface, QueryRunner } from 'typeorm';

const QUEUE_COLUMNS = `
  class_name varchar(128) NOT NULL,
  event_json text NOT NULL,
  user_token uuid,
  created_date timestamptz NOT NULL,
  creating_owner varchar(64) NOT NULL,
  processing_owner varchar(64),
  processing_available_date timestamptz,
  processing_state varchar(14) NOT NULL DEFAULT 'AVAILABLE',
  error_count integer NOT NULL DEFAULT 0,
  search_key1 bigint,
  search_key2 bigint NOT NULL`;

const NOTIFICATION_COLUMNS = `${QUEUE_COLUMNS},
  queue_name varchar(64) NOT NULL,
  effective_date timestamptz NOT NULL,
  future_user_token uuid`;

/** Audit log, persistent bus and notification queue (each with its history table). */
export class Platform1700000000000 implements MigrationInterface {
  name = 'Platform1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE audit_log (
      record_id bigserial PRIMARY KEY,
      id uuid NOT NULL,
      target_record_id bigint NOT NULL,
      table_name varchar(50) NOT NULL,
      change_type varchar(6) NOT NULL,
      created_date timestamptz NOT NULL,
      created_by varchar(50) NOT NULL,
      reason_code varchar(255),
      comments varchar(255),
      user_token uuid,
      account_record_id bigint,
      tenant_record_id bigint NOT NULL)`);
    await runner.query(`CREATE INDEX audit_log_fetch_target_record_id ON audit_log (table_name, target_record_id)`);
    await runner.query(`CREATE INDEX audit_log_account_record_id ON audit_log (account_record_id, tenant_record_id)`);

    await runner.query(`CREATE TABLE bus_events (record_id bigserial PRIMARY KEY, ${QUEUE_COLUMNS})`);
    await runner.query(`CREATE TABLE bus_events_history (record_id bigint PRIMARY KEY, ${QUEUE_COLUMNS})`);
    await runner.query(`CREATE INDEX bus_events_dispatch ON bus_events (processing_state, record_id)`);
    await runner.query(`CREATE INDEX bus_events_tenant ON bus_events (search_key2, search_key1)`);
    await runner.query(`CREATE INDEX bus_events_history_tenant ON bus_events_history (search_key2, search_key1)`);

    await runner.query(`CREATE TABLE notifications (record_id bigserial PRIMARY KEY, ${NOTIFICATION_COLUMNS})`);
    await runner.query(`CREATE TABLE notifications_history (record_id bigint PRIMARY KEY, ${NOTIFICATION_COLUMNS})`);
    await runner.query(`CREATE INDEX notifications_dispatch ON notifications (processing_state, effective_date, record_id)`);
    await runner.query(`CREATE INDEX notifications_tenant ON notifications (search_key2, search_key1, effective_date)`);
    await runner.query(`CREATE INDEX notifications_history_tenant ON notifications_history (search_key2, search_key1)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['notifications_history', 'notifications', 'bus_events_history', 'bus_events', 'audit_log']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
