import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page of the payment tables for the update that follows every insert: a payment, its
 * attempt and its transaction are written before the plugin call and updated with its outcome a few
 * milliseconds later. With free space on the page, PostgreSQL updates the row in place (a HOT
 * update: no new entry in any index) instead of writing a new version on another page and an entry
 * in each of the table's indexes.
 */
export class PaymentFillfactor1700000001590 implements MigrationInterface {
  name = 'PaymentFillfactor1700000001590';

  async up(runner: QueryRunner): Promise<void> {
    for (const table of ['payments', 'payment_attempts', 'payment_transactions']) await runner.query(`ALTER TABLE ${table} SET (fillfactor = 80)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['payments', 'payment_attempts', 'payment_transactions']) await runner.query(`ALTER TABLE ${table} RESET (fillfactor)`);
  }
}
