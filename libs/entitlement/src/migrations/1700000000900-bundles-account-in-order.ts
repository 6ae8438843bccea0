import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An account's bundles in record id order (what each invoicing run reads first) straight from one index:
 * (tenant, account) alone left the planner, on a tenant without statistics yet, walking the tenant's
 * (tenant, record id) index for the order and filtering every bundle of the tenant.
 */
export class BundlesAccountInOrder1700000000900 implements MigrationInterface {
  name = 'BundlesAccountInOrder1700000000900';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX bundles_account');
    await runner.query('CREATE INDEX bundles_account ON bundles (tenant_record_id, account_record_id, record_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX bundles_account');
    await runner.query('CREATE INDEX bundles_account ON bundles (tenant_record_id, account_record_id)');
  }
}
