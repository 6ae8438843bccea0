import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

export class Tenants1700000000100 implements MigrationInterface {
  name = 'Tenants1700000000100';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...auditedTableDdl(
        'tenants',
        [...ENTITY_COLUMNS, 'api_key varchar(128) NOT NULL', 'external_key varchar(255)', 'api_secret varchar(128) NOT NULL', 'api_salt varchar(128) NOT NULL'],
        { excludeFromHistory: ['api_secret', 'api_salt'] },
      ),
      'CREATE UNIQUE INDEX tenants_api_key ON tenants (api_key)',
      'CREATE UNIQUE INDEX tenants_external_key ON tenants (external_key)',
      'CREATE UNIQUE INDEX tenants_id ON tenants (id)',
      ...auditedTableDdl('tenant_kvs', [
        ...ENTITY_COLUMNS,
        'tenant_record_id bigint NOT NULL',
        'tenant_key varchar(255) NOT NULL',
        'tenant_value text NOT NULL',
        'is_active boolean NOT NULL',
      ]),
      'CREATE INDEX tenant_kvs_key ON tenant_kvs (tenant_record_id, tenant_key)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['tenant_kvs_history', 'tenant_kvs', 'tenants_history', 'tenants']) await runner.query(`DROP TABLE ${table}`);
  }
}
