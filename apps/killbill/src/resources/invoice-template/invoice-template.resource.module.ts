import { Module } from '@nestjs/common';
import { InvoiceTemplateModule } from '@kb/invoice';
import { InvoiceTemplateController } from './invoice-template.controller';

/**
 * The invoice templates, translations and HTML of Kill Bill's InvoiceResource. Mounted before the
 * invoice resource: `/invoices/template` must not be taken for an invoice id.
 */
@Module({
  imports: [InvoiceTemplateModule],
  controllers: [InvoiceTemplateController],
})
export class InvoiceTemplateResourceModule {}
