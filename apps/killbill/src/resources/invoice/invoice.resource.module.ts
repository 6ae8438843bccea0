import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountInvoicesController } from './account-invoices.controller';
import { InvoiceController } from './invoice.controller';
import { InvoiceGenerationController } from './invoice-generation.controller';
import { InvoiceItemMetadataController, InvoiceMetadataController } from './invoice-metadata.controller';
import { InvoiceWritesController } from './invoice-writes.controller';
import { InvoiceDryRunController } from './invoice-dry-run.controller';

/**
 * Kill Bill's InvoiceResource and InvoiceItemResource. Controllers with static one-segment paths
 * under /invoices (group, dryRun, templates) come before those with `:invoiceId`, which would
 * otherwise take them.
 */
@Module({
  imports: [InvoiceModule, ObjectMetadataModule],
  controllers: [InvoiceMetadataController, InvoiceItemMetadataController, AccountInvoicesController, InvoiceGenerationController, InvoiceDryRunController, InvoiceWritesController, InvoiceController],
})
export class InvoiceResourceModule {}
