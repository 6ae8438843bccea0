import type { MigrationInterface, QueryRunner } from 'typeorm';

const DELIVERY_COLUMNS = `
  bus_event_record_id bigint NOT NULL,
  subscriber varchar(200) NOT NULL,
  class_name varchar(128) NOT NULL,
  created_date timestamptz NOT NULL,
  processing_owner varchar(64),
  processing_available_date timestamptz,
  processing_state varchar(14) NOT NULL DEFAULT 'AVAILABLE',
  error_count integer NOT NULL DEFAULT 0,
  search_key1 bigint,
  search_key2 bigint NOT NULL`;

/**
 * Per-subscriber delivery of bus events: `bus_subscribers` lists every subscriber any node runs,
 * `bus_deliveries` (and its history) holds one row per event and subscriber with its own error count
 * and retry date, so one failing subscriber neither blocks nor replays the others. Notifications get
 * an index for claiming by queue name.
 */
export class BusDeliveries1700000000010 implements MigrationInterface {
  name = 'BusDeliveries1700000000010';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE bus_subscribers (
      event_type varchar(128) NOT NULL,
      subscriber varchar(200) NOT NULL,
      created_date timestamptz NOT NULL,
      PRIMARY KEY (event_type, subscriber))`);
    await runner.query(`CREATE TABLE bus_deliveries (record_id bigserial PRIMARY KEY, ${DELIVERY_COLUMNS})`);
    await runner.query(`CREATE TABLE bus_deliveries_history (record_id bigint PRIMARY KEY, ${DELIVERY_COLUMNS})`);
    await runner.query(`CREATE INDEX bus_deliveries_dispatch ON bus_deliveries (processing_state, subscriber, bus_event_record_id)`);
    await runner.query(`CREATE INDEX bus_deliveries_event ON bus_deliveries (bus_event_record_id)`);
    await runner.query(`CREATE INDEX bus_deliveries_tenant ON bus_deliveries (search_key2, search_key1)`);
    await runner.query(`CREATE INDEX bus_deliveries_history_event ON bus_deliveries_history (bus_event_record_id)`);
    await runner.query(`CREATE INDEX bus_deliveries_history_tenant ON bus_deliveries_history (search_key2, search_key1)`);
    await runner.query(`CREATE INDEX notifications_dispatch_by_queue ON notifications (processing_state, queue_name, effective_date, record_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX notifications_dispatch_by_queue`);
    for (const table of ['bus_deliveries_history', 'bus_deliveries', 'bus_subscribers']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
