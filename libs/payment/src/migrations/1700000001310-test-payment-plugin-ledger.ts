import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The test payment plugin's ledger: what it answered for each transaction, as a real gateway keeps
 * it on its side. It outlives the server process, so the janitor of another node (or of the restarted
 * one) reads with getPaymentInfo what was charged before a crash. Written by the plugin only.
 */
export class TestPaymentPluginLedger1700000001310 implements MigrationInterface {
  name = 'TestPaymentPluginLedger1700000001310';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE test_payment_plugin_ledger (
         record_id bigserial PRIMARY KEY,
         tenant_record_id bigint NOT NULL,
         kb_payment_id uuid NOT NULL,
         kb_transaction_id uuid NOT NULL,
         response jsonb NOT NULL,
         created_date timestamptz NOT NULL DEFAULT now())`,
    );
    await runner.query('CREATE INDEX test_payment_plugin_ledger_payment ON test_payment_plugin_ledger (tenant_record_id, kb_payment_id, record_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE test_payment_plugin_ledger');
  }
}
