import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

export class CustomFields1700000000410 implements MigrationInterface {
  name = 'CustomFields1700000000410';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...auditedTableDdl('custom_fields', [
        ...ENTITY_COLUMNS,
        'account_record_id bigint',
        'tenant_record_id bigint NOT NULL',
        'object_id uuid NOT NULL',
        'object_type varchar(30) NOT NULL',
        'field_name varchar(64) NOT NULL',
        'field_value varchar(255) NOT NULL',
        'is_active boolean NOT NULL',
      ]),
      'CREATE UNIQUE INDEX custom_fields_id ON custom_fields (id)',
      'CREATE INDEX custom_fields_by_object ON custom_fields (tenant_record_id, object_id)',
      'CREATE INDEX custom_fields_by_account ON custom_fields (tenant_record_id, account_record_id)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['custom_fields_history', 'custom_fields']) await runner.query(`DROP TABLE ${table}`);
  }
}
