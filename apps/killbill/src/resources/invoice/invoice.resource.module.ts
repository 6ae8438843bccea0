import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountInvoicesController } from './account-invoices.controller';
import { InvoiceController } from './invoice.controller';
import { InvoiceItemMetadataController, InvoiceMetadataController } from './invoice-metadata.controller';

/**
 * Kill Bill's InvoiceResource, InvoiceItemResource and CreditResource. A controller with static
 * one-segment GET paths under /invoices (templates) must be listed before InvoiceController, whose
 * `:invoiceId` would otherwise take them.
 */
@Module({
  imports: [InvoiceModule, ObjectMetadataModule],
  controllers: [InvoiceMetadataController, InvoiceItemMetadataController, AccountInvoicesController, InvoiceController],
})
export class InvoiceResourceModule {}
