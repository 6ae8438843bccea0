import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ENTITY_COLUMNS } from '@kb/platform';

/**
 * Kill Bill's `_invoice_payment_control_plugin_auto_pay_off`: the system payments the invoice payment
 * control aborted because the account was AUTO_PAY_OFF (or MANUAL_PAY), replayed when AUTO_PAY_OFF is
 * removed. Bookkeeping of the control plugin, not audited (as in Kill Bill).
 */
export class InvoicePaymentAutoPayOff1700000001300 implements MigrationInterface {
  name = 'InvoicePaymentAutoPayOff1700000001300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE invoice_payment_auto_pay_off (record_id bigserial PRIMARY KEY, ${[
        ...ENTITY_COLUMNS,
        'account_record_id bigint',
        'tenant_record_id bigint NOT NULL',
        'account_id uuid NOT NULL',
        'invoice_id uuid NOT NULL',
        'amount numeric(15,9)',
        'currency varchar(3) NOT NULL',
        'is_active boolean NOT NULL DEFAULT true',
      ].join(', ')})`,
    );
    await runner.query('CREATE UNIQUE INDEX invoice_payment_auto_pay_off_id ON invoice_payment_auto_pay_off (id)');
    await runner.query('CREATE INDEX invoice_payment_auto_pay_off_account ON invoice_payment_auto_pay_off (tenant_record_id, account_id, is_active)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE invoice_payment_auto_pay_off');
  }
}
