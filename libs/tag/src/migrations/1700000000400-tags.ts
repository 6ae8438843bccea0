import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

export class Tags1700000000400 implements MigrationInterface {
  name = 'Tags1700000000400';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...auditedTableDdl('tag_definitions', [
        ...ENTITY_COLUMNS,
        'tenant_record_id bigint NOT NULL',
        'name varchar(20) NOT NULL',
        'description varchar(200) NOT NULL',
        'applicable_object_types varchar(500)',
        'is_active boolean NOT NULL',
      ]),
      'CREATE UNIQUE INDEX tag_definitions_id ON tag_definitions (id)',
      'CREATE INDEX tag_definitions_tenant_name ON tag_definitions (tenant_record_id, name)',
      ...auditedTableDdl('tags', [
        ...ENTITY_COLUMNS,
        'account_record_id bigint',
        'tenant_record_id bigint NOT NULL',
        'tag_definition_id uuid NOT NULL',
        'object_id uuid NOT NULL',
        'object_type varchar(30) NOT NULL',
        'is_active boolean NOT NULL',
      ]),
      'CREATE UNIQUE INDEX tags_id ON tags (id)',
      'CREATE INDEX tags_by_object ON tags (tenant_record_id, object_id)',
      'CREATE INDEX tags_by_account ON tags (tenant_record_id, account_record_id)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['tags_history', 'tags', 'tag_definitions_history', 'tag_definitions']) await runner.query(`DROP TABLE ${table}`);
  }
}
