import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

/** Invoices, their items, payment rows, parent/child links and usage tracking ids, each with its history table. */
export class Invoices1700000000700 implements MigrationInterface {
  name = 'Invoices1700000000700';

  async up(runner: QueryRunner): Promise<void> {
    const owned = ['account_record_id bigint', 'tenant_record_id bigint NOT NULL'];
    const statements = [
      ...auditedTableDdl('invoices', [
        ...ENTITY_COLUMNS,
        ...owned,
        'account_id uuid NOT NULL',
        'invoice_date date NOT NULL',
        'target_date date',
        'currency varchar(3) NOT NULL',
        'status varchar(15) NOT NULL',
        'migrated boolean NOT NULL DEFAULT false',
        'parent_invoice boolean NOT NULL DEFAULT false',
        'grp_id uuid',
      ]),
      'CREATE UNIQUE INDEX invoices_id ON invoices (id)',
      'CREATE INDEX invoices_account ON invoices (tenant_record_id, account_id)',
      'CREATE INDEX invoices_tenant_record_id ON invoices (tenant_record_id, record_id)',
      ...auditedTableDdl('invoice_items', [
        ...ENTITY_COLUMNS,
        ...owned,
        'type varchar(24) NOT NULL',
        'invoice_id uuid NOT NULL',
        'account_id uuid NOT NULL',
        'child_account_id uuid',
        'bundle_id uuid',
        'subscription_id uuid',
        'description varchar(255)',
        'product_name varchar(255)',
        'plan_name varchar(255)',
        'phase_name varchar(255)',
        'usage_name varchar(255)',
        'catalog_effective_date timestamptz',
        'start_date date NOT NULL',
        'end_date date',
        'amount numeric(15,9) NOT NULL',
        'rate numeric(15,9)',
        'currency varchar(3) NOT NULL',
        'linked_item_id uuid',
        'quantity numeric(15,9)',
        'item_details text',
      ]),
      'CREATE UNIQUE INDEX invoice_items_id ON invoice_items (id)',
      'CREATE INDEX invoice_items_invoice ON invoice_items (tenant_record_id, invoice_id)',
      'CREATE INDEX invoice_items_account ON invoice_items (tenant_record_id, account_id)',
      'CREATE INDEX invoice_items_subscription ON invoice_items (tenant_record_id, subscription_id)',
      'CREATE INDEX invoice_items_linked_item ON invoice_items (tenant_record_id, linked_item_id)',
      ...auditedTableDdl('invoice_payments', [
        ...ENTITY_COLUMNS,
        ...owned,
        'type varchar(24) NOT NULL',
        'invoice_id uuid NOT NULL',
        'payment_id uuid',
        'payment_date timestamptz NOT NULL',
        'amount numeric(15,9) NOT NULL',
        'currency varchar(3) NOT NULL',
        'processed_currency varchar(3) NOT NULL',
        'payment_cookie_id varchar(255)',
        'linked_invoice_payment_id uuid',
        'status varchar(15) NOT NULL',
      ]),
      'CREATE UNIQUE INDEX invoice_payments_id ON invoice_payments (id)',
      'CREATE INDEX invoice_payments_invoice ON invoice_payments (tenant_record_id, invoice_id)',
      'CREATE INDEX invoice_payments_payment ON invoice_payments (tenant_record_id, payment_id)',
      'CREATE INDEX invoice_payments_cookie ON invoice_payments (tenant_record_id, payment_cookie_id)',
      ...auditedTableDdl('invoice_parent_children', [
        ...ENTITY_COLUMNS,
        ...owned,
        'parent_invoice_id uuid NOT NULL',
        'child_invoice_id uuid NOT NULL',
        'child_account_id uuid NOT NULL',
      ]),
      'CREATE UNIQUE INDEX invoice_parent_children_id ON invoice_parent_children (id)',
      'CREATE INDEX invoice_parent_children_parent ON invoice_parent_children (tenant_record_id, parent_invoice_id)',
      'CREATE INDEX invoice_parent_children_child ON invoice_parent_children (tenant_record_id, child_invoice_id)',
      ...auditedTableDdl('invoice_tracking_ids', [
        ...ENTITY_COLUMNS,
        ...owned,
        'tracking_id varchar(128) NOT NULL',
        'invoice_id uuid NOT NULL',
        'subscription_id uuid NOT NULL',
        'unit_type varchar(255) NOT NULL',
        'record_date date NOT NULL',
        'is_active boolean NOT NULL DEFAULT true',
      ]),
      'CREATE UNIQUE INDEX invoice_tracking_ids_id ON invoice_tracking_ids (id)',
      'CREATE INDEX invoice_tracking_ids_invoice ON invoice_tracking_ids (tenant_record_id, invoice_id)',
      'CREATE INDEX invoice_tracking_ids_subscription ON invoice_tracking_ids (tenant_record_id, subscription_id, record_date)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['invoice_tracking_ids', 'invoice_parent_children', 'invoice_payments', 'invoice_items', 'invoices']) {
      await runner.query(`DROP TABLE ${table}_history`);
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
