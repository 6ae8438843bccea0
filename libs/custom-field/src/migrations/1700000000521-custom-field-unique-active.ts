import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One active field per name and value on an object (Kill Bill's CUSTOM_FIELD_ALREADY_EXISTS rule). */
export class CustomFieldUniqueActive1700000000521 implements MigrationInterface {
  name = 'CustomFieldUniqueActive1700000000521';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      'CREATE UNIQUE INDEX custom_fields_active ON custom_fields (tenant_record_id, object_id, object_type, field_name, field_value) WHERE is_active',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX custom_fields_active');
  }
}
