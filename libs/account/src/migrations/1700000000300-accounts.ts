import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

/** Accounts, their additional emails and blocking states, each with its history table. */
export class Accounts1700000000300 implements MigrationInterface {
  name = 'Accounts1700000000300';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...auditedTableDdl('accounts', [
        ...ENTITY_COLUMNS,
        'tenant_record_id bigint NOT NULL',
        'external_key varchar(255) NOT NULL',
        'email varchar(128)',
        'name varchar(100)',
        'first_name_length integer',
        'currency varchar(3)',
        'billing_cycle_day_local integer NOT NULL DEFAULT 0',
        'parent_account_id uuid',
        'is_payment_delegated_to_parent boolean',
        'payment_method_id uuid',
        'reference_time timestamptz NOT NULL',
        'time_zone varchar(50) NOT NULL',
        'locale varchar(16)',
        'address1 varchar(100)',
        'address2 varchar(100)',
        'company_name varchar(50)',
        'city varchar(50)',
        'state_or_province varchar(50)',
        'country varchar(50)',
        'postal_code varchar(16)',
        'phone varchar(25)',
        'notes varchar(4096)',
        'migrated boolean',
      ]),
      'CREATE UNIQUE INDEX accounts_id ON accounts (id)',
      'CREATE UNIQUE INDEX accounts_external_key ON accounts (tenant_record_id, external_key)',
      // Paging (ORDER BY record_id within a tenant) and the children of a parent.
      'CREATE INDEX accounts_tenant_record_id ON accounts (tenant_record_id, record_id)',
      'CREATE INDEX accounts_parent_account_id ON accounts (tenant_record_id, parent_account_id) WHERE parent_account_id IS NOT NULL',
      // Exact ("feeling lucky") search on name, email and company; the %key% search scans the tenant.
      'CREATE INDEX accounts_name ON accounts (tenant_record_id, name)',
      'CREATE INDEX accounts_email ON accounts (tenant_record_id, email)',
      'CREATE INDEX accounts_company_name ON accounts (tenant_record_id, company_name)',
      ...auditedTableDdl('account_emails', [
        ...ENTITY_COLUMNS,
        'account_record_id bigint',
        'tenant_record_id bigint NOT NULL',
        'account_id uuid NOT NULL',
        'email varchar(128) NOT NULL',
        'is_active boolean NOT NULL DEFAULT true',
      ]),
      'CREATE UNIQUE INDEX account_emails_id ON account_emails (id)',
      'CREATE INDEX account_emails_account ON account_emails (tenant_record_id, account_record_id)',
      'CREATE INDEX account_emails_history_id ON account_emails_history (id)',
      ...auditedTableDdl('blocking_states', [
        ...ENTITY_COLUMNS,
        'account_record_id bigint',
        'tenant_record_id bigint NOT NULL',
        'blockable_id uuid NOT NULL',
        'type varchar(20) NOT NULL',
        'state varchar(50) NOT NULL',
        'service varchar(20) NOT NULL',
        'block_change boolean NOT NULL',
        'block_entitlement boolean NOT NULL',
        'block_billing boolean NOT NULL',
        'effective_date timestamptz NOT NULL',
        'is_active boolean NOT NULL DEFAULT true',
      ]),
      'CREATE UNIQUE INDEX blocking_states_id ON blocking_states (id)',
      'CREATE INDEX blocking_states_account ON blocking_states (tenant_record_id, account_record_id, effective_date)',
      'CREATE INDEX blocking_states_blockable ON blocking_states (tenant_record_id, blockable_id, effective_date)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['blocking_states_history', 'blocking_states', 'account_emails_history', 'account_emails', 'accounts_history', 'accounts']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
