/** @kb/invoice: invoices, their items and payments rows, the generator, credits and when invoicing runs. */
import { InvoiceItemRow, InvoiceParentChildRow, InvoicePaymentRow, InvoiceRow, InvoiceTrackingIdRow } from './invoice.entity';
import { Invoices1700000000700 } from './migrations/1700000000700-invoices';
import { InvoiceItemsLinkedPartial1700000001600 } from './migrations/1700000001600-invoice-items-linked-partial';

export * from './invoice.entity';
export * from './invoice-store';
export * from './invoice-query.service';
export * from './invoice-config';
export * from './invoice-events';
export * from './invoice.module';
export * from './invoice-writer';
export * from './invoice-item-input';
export * from './invoice-charges.service';
export * from './invoice-adjustments.service';
export * from './invoice-dispatcher';
export * from './charged-through-dates';
export * from './invoice-generation.service';
export * from './invoice-dry-run.service';
export * from './parked-accounts.service';
export * from './parent-invoice.service';
export * from './engine';
export * from './template';

export const INVOICE_ENTITIES = [InvoiceRow, InvoiceItemRow, InvoicePaymentRow, InvoiceParentChildRow, InvoiceTrackingIdRow];
export const INVOICE_MIGRATIONS = [Invoices1700000000700, InvoiceItemsLinkedPartial1700000001600];
