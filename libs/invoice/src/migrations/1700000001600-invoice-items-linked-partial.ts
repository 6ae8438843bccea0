import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The linked-item index keeps only the items that point at another one (adjustments, repairs, credits
 * of an item): a lookup by linked item never asks for NULL, and a run's 30,000 RECURRING items (all
 * NULL) no longer each add an entry to it.
 */
export class InvoiceItemsLinkedPartial1700000001600 implements MigrationInterface {
  name = 'InvoiceItemsLinkedPartial1700000001600';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX invoice_items_linked_item');
    await runner.query('CREATE INDEX invoice_items_linked_item ON invoice_items (tenant_record_id, linked_item_id) WHERE linked_item_id IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX invoice_items_linked_item');
    await runner.query('CREATE INDEX invoice_items_linked_item ON invoice_items (tenant_record_id, linked_item_id)');
  }
}
