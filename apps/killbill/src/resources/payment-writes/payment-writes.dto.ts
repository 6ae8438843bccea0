import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type Big from 'big.js';
import { AuditLog, CurrencyProperty, DateTimeProperty, MoneyProperty, TextProperty, UuidProperty } from '@kb/platform';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES, type TransactionType } from '@kb/payment';
import type { Currency } from '@kb/kernel';
import { PluginProperty } from '../payment-method/payment-method.dto';

/** Kill Bill's PaymentTransaction JSON: the body of the payment write routes (the read side answers it too). */
export class PaymentTransaction {
  @UuidProperty() transactionId?: string;
  @TextProperty() transactionExternalKey?: string | null;
  @UuidProperty({ description: 'Associated payment id, required when notifying state transitions' }) paymentId?: string;
  @TextProperty() paymentExternalKey?: string | null;
  @ApiPropertyOptional({ type: String, enum: [...TRANSACTION_TYPES].sort() })
  @IsOptional()
  @IsIn([...TRANSACTION_TYPES])
  transactionType?: TransactionType;
  @MoneyProperty({ description: 'Transaction amount, required except for void operations' }) amount?: Big | null;
  @CurrencyProperty({ description: 'Amount currency (account currency unless specified)' }) currency?: Currency | null;
  @DateTimeProperty() effectiveDate?: string | null;
  @MoneyProperty() processedAmount?: Big | null;
  @CurrencyProperty() processedCurrency?: Currency | null;
  @ApiPropertyOptional({ type: String, enum: [...TRANSACTION_STATUSES] })
  @IsOptional()
  @IsIn([...TRANSACTION_STATUSES])
  status?: string;
  @TextProperty() gatewayErrorCode?: string | null;
  @TextProperty() gatewayErrorMsg?: string | null;
  @TextProperty() firstPaymentReferenceId?: string | null;
  @TextProperty() secondPaymentReferenceId?: string | null;
  @ApiPropertyOptional({ type: () => [PluginProperty] }) properties?: PluginProperty[];
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's Payment JSON, as far as the write routes' 201 schema needs it (the read side owns the full mapper). */
export class Payment {
  @UuidProperty() accountId?: string;
  @UuidProperty() paymentId?: string;
  @TextProperty() paymentNumber?: string;
  @TextProperty() paymentExternalKey?: string;
  @MoneyProperty() authAmount?: Big;
  @MoneyProperty() capturedAmount?: Big;
  @MoneyProperty() purchasedAmount?: Big;
  @MoneyProperty() refundedAmount?: Big;
  @MoneyProperty() creditedAmount?: Big;
  @CurrencyProperty() currency?: Currency;
  @UuidProperty() paymentMethodId?: string;
  @ApiPropertyOptional({ type: () => [PaymentTransaction] }) transactions?: PaymentTransaction[];
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's InvoicePayment JSON: a Payment with the invoice it paid; the body of createInstantPayment. */
export class InvoicePayment {
  @UuidProperty() targetInvoiceId?: string;
  @UuidProperty({ required: true }) accountId!: string;
  @UuidProperty() paymentId?: string;
  @TextProperty() paymentNumber?: string;
  @TextProperty() paymentExternalKey?: string | null;
  @MoneyProperty() authAmount?: Big;
  @MoneyProperty() capturedAmount?: Big;
  @MoneyProperty() purchasedAmount?: Big | null;
  @MoneyProperty() refundedAmount?: Big;
  @MoneyProperty() creditedAmount?: Big;
  @CurrencyProperty() currency?: Currency | null;
  @UuidProperty() paymentMethodId?: string | null;
  @ApiPropertyOptional({ type: () => [PaymentTransaction] }) transactions?: PaymentTransaction[];
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}
