import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { CatalogModule } from '@kb/catalog';
import { EntitlementModule } from '@kb/entitlement';
import { TagModule } from '@kb/tag';
import { UsageModule } from '@kb/usage';
import { ObjectRegistry, Transactions } from '@kb/platform';
import { InvoiceItemRow, InvoicePaymentRow, InvoiceRow } from './invoice.entity';
import { InvoiceStore } from './invoice-store';
import { InvoiceConfig } from './invoice-config';
import { InvoiceWriter } from './invoice-writer';
import { InvoiceChargesService } from './invoice-charges.service';
import { InvoiceAdjustmentsService } from './invoice-adjustments.service';
import { InvoiceDispatcher } from './invoice-dispatcher';
import { InvoiceListener } from './invoice-listener';
import { InvoiceGenerationService } from './invoice-generation.service';
import { InvoiceDryRunService } from './invoice-dry-run.service';
import { ParkedAccountsService } from './parked-accounts.service';
import { ChargedThroughDates } from './charged-through-dates';
import { InvoiceQueryService } from './invoice-query.service';
import { ParentInvoiceService } from './parent-invoice.service';

/** Kill Bill's invoice module: the generator, invoices and their items, credits, and when invoicing runs. */
@Module({
  imports: [AccountModule, CatalogModule, EntitlementModule, TagModule, UsageModule],
  providers: [
    InvoiceStore,
    InvoiceConfig,
    InvoiceWriter,
    InvoiceChargesService,
    InvoiceAdjustmentsService,
    InvoiceDispatcher,
    InvoiceListener,
    InvoiceGenerationService,
    InvoiceDryRunService,
    ParkedAccountsService,
    ChargedThroughDates,
    InvoiceQueryService,
    ParentInvoiceService,
  ],
  exports: [InvoiceStore, InvoiceConfig, InvoiceWriter, InvoiceChargesService, InvoiceAdjustmentsService, InvoiceDispatcher, InvoiceGenerationService, ParkedAccountsService, InvoiceQueryService, InvoiceDryRunService],
})
export class InvoiceModule implements OnModuleInit {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly transactions: Transactions,
  ) {}

  /** Lets tags, custom fields and audit find invoices and invoice items without importing this module. */
  onModuleInit(): void {
    this.registry.register('INVOICE', (id, tenantRecordId) => this.ref(InvoiceRow, 'INVOICE', id, tenantRecordId));
    this.registry.register('INVOICE_ITEM', (id, tenantRecordId) => this.ref(InvoiceItemRow, 'INVOICE_ITEM', id, tenantRecordId));
    this.registry.register('INVOICE_PAYMENT', (id, tenantRecordId) => this.ref(InvoicePaymentRow, 'INVOICE_PAYMENT', id, tenantRecordId));
  }

  private async ref(entity: typeof InvoiceRow | typeof InvoiceItemRow | typeof InvoicePaymentRow, objectType: 'INVOICE' | 'INVOICE_ITEM' | 'INVOICE_PAYMENT', id: string, tenantRecordId: number) {
    const row = await this.transactions.manager().getRepository(entity).findOne({ where: { id, tenantRecordId } });
    return row ? { objectType, id: row.id, recordId: row.recordId, accountRecordId: row.accountRecordId, tenantRecordId: row.tenantRecordId } : undefined;
  }
}
