import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

export class Usage1700000000680 implements MigrationInterface {
  name = 'Usage1700000000680';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...auditedTableDdl('rolled_up_usage', [
        ...ENTITY_COLUMNS,
        'account_record_id bigint',
        'tenant_record_id bigint NOT NULL',
        'subscription_id uuid NOT NULL',
        'unit_type varchar(255) NOT NULL',
        'record_date timestamptz NOT NULL',
        'amount numeric(18,9) NOT NULL',
        'tracking_id varchar(128) NOT NULL',
        'is_active boolean NOT NULL DEFAULT true',
      ]),
      'CREATE UNIQUE INDEX rolled_up_usage_id ON rolled_up_usage (id)',
      'CREATE INDEX rolled_up_usage_subscription ON rolled_up_usage (tenant_record_id, subscription_id, record_date)',
      'CREATE INDEX rolled_up_usage_account ON rolled_up_usage (tenant_record_id, account_record_id, record_date)',
      'CREATE UNIQUE INDEX rolled_up_usage_tracking_id ON rolled_up_usage (tenant_record_id, subscription_id, tracking_id, unit_type, record_date) WHERE is_active',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['rolled_up_usage_history', 'rolled_up_usage']) await runner.query(`DROP TABLE ${table}`);
  }
}
