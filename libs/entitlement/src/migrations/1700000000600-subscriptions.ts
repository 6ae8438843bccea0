import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

/** Bundles, subscriptions and subscription events, each with its history table. */
export class Subscriptions1700000000600 implements MigrationInterface {
  name = 'Subscriptions1700000000600';

  async up(runner: QueryRunner): Promise<void> {
    const owned = ['account_record_id bigint', 'tenant_record_id bigint NOT NULL'];
    const statements = [
      ...auditedTableDdl('bundles', [
        ...ENTITY_COLUMNS,
        ...owned,
        'external_key varchar(255) NOT NULL',
        'account_id uuid NOT NULL',
        'original_created_date timestamptz NOT NULL',
        'last_sys_update_date timestamptz',
      ]),
      'CREATE UNIQUE INDEX bundles_id ON bundles (id)',
      // Kill Bill renames a cancelled bundle's key (kbcncl-…) before reusing it: one row per key.
      'CREATE UNIQUE INDEX bundles_external_key ON bundles (tenant_record_id, external_key)',
      'CREATE INDEX bundles_account ON bundles (tenant_record_id, account_record_id)',
      'CREATE INDEX bundles_tenant_record_id ON bundles (tenant_record_id, record_id)',
      ...auditedTableDdl('subscriptions', [
        ...ENTITY_COLUMNS,
        ...owned,
        'bundle_id uuid NOT NULL',
        'external_key varchar(255) NOT NULL',
        'category varchar(32) NOT NULL',
        'start_date timestamptz NOT NULL',
        'bundle_start_date timestamptz NOT NULL',
        'charged_through_date timestamptz',
        'migrated boolean NOT NULL DEFAULT false',
      ]),
      'CREATE UNIQUE INDEX subscriptions_id ON subscriptions (id)',
      'CREATE UNIQUE INDEX subscriptions_external_key ON subscriptions (tenant_record_id, external_key)',
      'CREATE INDEX subscriptions_bundle_id ON subscriptions (tenant_record_id, bundle_id)',
      'CREATE INDEX subscriptions_account ON subscriptions (tenant_record_id, account_record_id)',
      ...auditedTableDdl('subscription_events', [
        ...ENTITY_COLUMNS,
        ...owned,
        'subscription_id uuid NOT NULL',
        'event_type varchar(15) NOT NULL',
        'effective_date timestamptz NOT NULL',
        'plan_name varchar(255)',
        'phase_name varchar(255)',
        'price_list_name varchar(64)',
        'billing_cycle_day_local integer',
        'quantity integer',
        'catalog_effective_date timestamptz',
        'is_active boolean NOT NULL DEFAULT true',
      ]),
      'CREATE UNIQUE INDEX subscription_events_id ON subscription_events (id)',
      'CREATE INDEX subscription_events_subscription ON subscription_events (tenant_record_id, subscription_id)',
      'CREATE INDEX subscription_events_account ON subscription_events (tenant_record_id, account_record_id)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['subscription_events_history', 'subscription_events', 'subscriptions_history', 'subscriptions', 'bundles_history', 'bundles']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
