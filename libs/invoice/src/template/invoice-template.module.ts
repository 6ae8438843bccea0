import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { CatalogModule } from '@kb/catalog';
import { TenantModule } from '@kb/tenant';
import { InvoiceModule } from '../invoice.module';
import { InvoiceTemplateService } from './invoice-template.service';

/** Invoice templates, translations and the HTML rendering of invoices. */
@Module({
  imports: [TenantModule, AccountModule, CatalogModule, InvoiceModule],
  providers: [InvoiceTemplateService],
  exports: [InvoiceTemplateService],
})
export class InvoiceTemplateModule {}
