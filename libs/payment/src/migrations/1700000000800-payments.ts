import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

/** Kill Bill's payment tables (payment methods, payments, transactions, attempts), each with its history table. */
export class Payments1700000000800 implements MigrationInterface {
  name = 'Payments1700000000800';

  async up(runner: QueryRunner): Promise<void> {
    const owned = ['account_record_id bigint', 'tenant_record_id bigint NOT NULL'];
    const statements = [
      ...auditedTableDdl('payment_methods', [
        ...ENTITY_COLUMNS,
        ...owned,
        'external_key varchar(255) NOT NULL',
        'account_id uuid NOT NULL',
        'plugin_name varchar(50) NOT NULL',
        'is_active boolean NOT NULL DEFAULT true',
      ]),
      'CREATE UNIQUE INDEX payment_methods_id ON payment_methods (id)',
      'CREATE UNIQUE INDEX payment_methods_external_key ON payment_methods (tenant_record_id, external_key)',
      'CREATE INDEX payment_methods_account ON payment_methods (tenant_record_id, account_id)',
      'CREATE INDEX payment_methods_plugin_name ON payment_methods (tenant_record_id, plugin_name, record_id)',
      'CREATE INDEX payment_methods_tenant_record_id ON payment_methods (tenant_record_id, record_id)',
      ...auditedTableDdl('payments', [
        ...ENTITY_COLUMNS,
        ...owned,
        'account_id uuid NOT NULL',
        'payment_method_id uuid NOT NULL',
        'external_key varchar(255) NOT NULL',
        'state_name varchar(64)',
        'last_success_state_name varchar(64)',
      ]),
      'CREATE UNIQUE INDEX payments_id ON payments (id)',
      'CREATE UNIQUE INDEX payments_external_key ON payments (tenant_record_id, external_key)',
      'CREATE INDEX payments_account ON payments (tenant_record_id, account_id)',
      'CREATE INDEX payments_payment_method ON payments (tenant_record_id, payment_method_id)',
      'CREATE INDEX payments_state_name ON payments (tenant_record_id, state_name)',
      'CREATE INDEX payments_tenant_record_id ON payments (tenant_record_id, record_id)',
      ...auditedTableDdl('payment_transactions', [
        ...ENTITY_COLUMNS,
        ...owned,
        'attempt_id uuid',
        'transaction_external_key varchar(255) NOT NULL',
        'transaction_type varchar(32) NOT NULL',
        'effective_date timestamptz NOT NULL',
        'transaction_status varchar(50) NOT NULL',
        'amount numeric(15,9)',
        'currency varchar(3)',
        'processed_amount numeric(15,9)',
        'processed_currency varchar(3)',
        'payment_id uuid NOT NULL',
        'gateway_error_code varchar(32)',
        'gateway_error_msg varchar(256)',
      ]),
      'CREATE UNIQUE INDEX payment_transactions_id ON payment_transactions (id)',
      'CREATE INDEX payment_transactions_payment ON payment_transactions (tenant_record_id, payment_id)',
      'CREATE INDEX payment_transactions_external_key ON payment_transactions (tenant_record_id, transaction_external_key)',
      'CREATE INDEX payment_transactions_status ON payment_transactions (tenant_record_id, transaction_status)',
      'CREATE INDEX payment_transactions_attempt ON payment_transactions (tenant_record_id, attempt_id)',
      ...auditedTableDdl('payment_attempts', [
        ...ENTITY_COLUMNS,
        ...owned,
        'account_id uuid NOT NULL',
        'payment_method_id uuid',
        'payment_external_key varchar(255) NOT NULL',
        'transaction_id uuid',
        'transaction_external_key varchar(255) NOT NULL',
        'transaction_type varchar(32) NOT NULL',
        'state_name varchar(32) NOT NULL',
        'amount numeric(15,9)',
        'currency varchar(3)',
        'plugin_name varchar(1024) NOT NULL',
        'plugin_properties text',
      ]),
      'CREATE UNIQUE INDEX payment_attempts_id ON payment_attempts (id)',
      'CREATE INDEX payment_attempts_transaction ON payment_attempts (tenant_record_id, transaction_id)',
      'CREATE INDEX payment_attempts_payment_external_key ON payment_attempts (tenant_record_id, payment_external_key)',
      'CREATE INDEX payment_attempts_transaction_external_key ON payment_attempts (tenant_record_id, transaction_external_key)',
      'CREATE INDEX payment_attempts_state_name ON payment_attempts (tenant_record_id, state_name, created_date)',
      'CREATE INDEX payment_attempts_account ON payment_attempts (tenant_record_id, account_id)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['payment_attempts', 'payment_transactions', 'payments', 'payment_methods']) {
      await runner.query(`DROP TABLE ${table}_history`);
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
