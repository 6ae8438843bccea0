/** @kb/invoice: invoices, their items and payments rows, the generator, credits and when invoicing runs. */
import { InvoiceItemRow, InvoiceParentChildRow, InvoicePaymentRow, InvoiceRow, InvoiceTrackingIdRow } from './invoice.entity';
import { Invoices1700000000700 } from './migrations/1700000000700-invoices';

export * from './invoice.entity';
export * from './invoice-store';
export * from './invoice-config';
export * from './invoice.module';
export * from './engine';
export * from './template';

export const INVOICE_ENTITIES = [InvoiceRow, InvoiceItemRow, InvoicePaymentRow, InvoiceParentChildRow, InvoiceTrackingIdRow];
export const INVOICE_MIGRATIONS = [Invoices1700000000700];
