import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type Big from 'big.js';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { INVOICE_ITEM_TYPES, INVOICE_STATUSES, InvoiceItemRow } from '@kb/invoice';
import { AuditLog, CURRENCIES, CurrencyProperty, DateTimeProperty, LocalDateProperty, MoneyProperty, TextProperty, UuidProperty } from '@kb/platform';

/**
 * Kill Bill's InvoiceItem JSON: the answer of every invoice read, and the body of external charges,
 * taxes, credits, item adjustments and migration invoices. The contract marks accountId and
 * invoiceItemId required (output); on input each operation checks what it needs, with Kill Bill's messages.
 */
export class InvoiceItem {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  invoiceItemId?: string | null;

  @UuidProperty() invoiceId?: string | null;
  @UuidProperty() linkedInvoiceItemId?: string | null;

  @ApiProperty({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  accountId?: string | null;

  @UuidProperty() childAccountId?: string | null;
  @UuidProperty() bundleId?: string | null;
  @UuidProperty() subscriptionId?: string | null;
  @TextProperty({ column: [InvoiceItemRow, 'productName'] }) productName?: string | null;
  @TextProperty({ column: [InvoiceItemRow, 'planName'] }) planName?: string | null;
  @TextProperty({ column: [InvoiceItemRow, 'phaseName'] }) phaseName?: string | null;
  @TextProperty({ column: [InvoiceItemRow, 'usageName'] }) usageName?: string | null;
  @TextProperty() prettyProductName?: string | null;
  @TextProperty() prettyPlanName?: string | null;
  @TextProperty() prettyPhaseName?: string | null;
  @TextProperty() prettyUsageName?: string | null;

  @ApiPropertyOptional({ type: String, enum: INVOICE_ITEM_TYPES })
  @IsOptional()
  @IsIn([...INVOICE_ITEM_TYPES])
  itemType?: string | null;

  @TextProperty({ column: [InvoiceItemRow, 'description'] }) description?: string | null;
  @LocalDateProperty() startDate?: string | null;
  @LocalDateProperty() endDate?: string | null;
  @MoneyProperty() amount?: Big | null;
  @MoneyProperty() rate?: Big | null;
  @CurrencyProperty() currency?: string | null;
  @MoneyProperty() quantity?: Big | null;
  @TextProperty() itemDetails?: string | null;
  @DateTimeProperty() catalogEffectiveDate?: string | null;

  @ApiPropertyOptional({ type: () => [InvoiceItem] }) childItems?: InvoiceItem[] | null;
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's Invoice JSON (output only). */
export class Invoice {
  @ApiPropertyOptional({ type: 'number' }) amount?: Big;
  @ApiPropertyOptional({ type: String, enum: CURRENCIES }) currency?: string;
  @ApiPropertyOptional({ type: String, enum: INVOICE_STATUSES }) status?: string;
  @ApiPropertyOptional({ type: 'number' }) creditAdj?: Big;
  @ApiPropertyOptional({ type: 'number' }) refundAdj?: Big;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) invoiceId?: string;
  @ApiPropertyOptional({ type: String, format: 'date' }) invoiceDate?: string;
  @ApiPropertyOptional({ type: String, format: 'date' }) targetDate?: string | null;
  @ApiPropertyOptional({ type: String }) invoiceNumber?: string | null;
  @ApiPropertyOptional({ type: 'number' }) balance?: Big;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) accountId?: string;
  @ApiPropertyOptional({ type: String }) bundleKeys?: string | null;
  @ApiPropertyOptional({ type: [InvoiceItem] }) credits?: InvoiceItem[] | null;
  @ApiPropertyOptional({ type: [InvoiceItem] }) items?: InvoiceItem[] | null;
  @ApiPropertyOptional({ type: [String] }) trackingIds?: string[] | null;
  @ApiPropertyOptional({ type: Boolean }) isParentInvoice?: boolean;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) parentInvoiceId?: string | null;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) parentAccountId?: string | null;
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}
