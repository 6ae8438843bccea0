import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type Big from 'big.js';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES, PaymentTransactionRow } from '@kb/payment';
import { AuditLog, BooleanProperty, CurrencyProperty, DateTimeProperty, MoneyProperty, TextProperty, UuidProperty } from '@kb/platform';
import { PluginProperty } from '../../payment-method/payment-method.dto';
import { InvoiceItem } from '../../invoice/dto/invoice.dto';

/** One of Kill Bill's transaction types, documented and checked. */
const TransactionTypeProperty = (): PropertyDecorator => applyDecorators(ApiPropertyOptional({ type: String, enum: [...TRANSACTION_TYPES] }), IsOptional(), IsIn([...TRANSACTION_TYPES]));

/** Kill Bill's PaymentTransaction JSON: a transaction of a payment, and the body of payment operations. */
export class PaymentTransaction {
  @UuidProperty() transactionId?: string | null;
  @TextProperty({ column: [PaymentTransactionRow, 'transactionExternalKey'] }) transactionExternalKey?: string | null;
  @UuidProperty({ description: 'Associated payment id, required when notifying state transitions' }) paymentId?: string | null;
  @TextProperty() paymentExternalKey?: string | null;
  @TransactionTypeProperty() transactionType?: string | null;
  @MoneyProperty({ description: 'Transaction amount, required except for void operations' }) amount?: Big | null;
  @CurrencyProperty({ description: 'Amount currency (account currency unless specified)' }) currency?: string | null;
  @DateTimeProperty() effectiveDate?: string | null;
  @MoneyProperty() processedAmount?: Big | null;
  @CurrencyProperty() processedCurrency?: string | null;

  @ApiPropertyOptional({ type: String, enum: [...TRANSACTION_STATUSES], description: 'Transaction status, required for state change notifications' })
  @IsOptional()
  @IsIn([...TRANSACTION_STATUSES])
  status?: string | null;

  @TextProperty() gatewayErrorCode?: string | null;
  @TextProperty() gatewayErrorMsg?: string | null;
  @TextProperty() firstPaymentReferenceId?: string | null;
  @TextProperty() secondPaymentReferenceId?: string | null;

  @ApiPropertyOptional({ type: () => [PluginProperty] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PluginProperty)
  properties?: PluginProperty[] | null;

  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's InvoicePaymentTransaction JSON: the body of invoice payment refunds and chargebacks. */
export class InvoicePaymentTransaction extends PaymentTransaction {
  @BooleanProperty() isAdjusted?: boolean | null;

  @ApiPropertyOptional({ type: () => [InvoiceItem] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InvoiceItem)
  adjustments?: InvoiceItem[] | null;
}

/** Kill Bill's PaymentAttempt JSON (payment-control layer), listed with `withAttempts=true`. */
export class PaymentAttempt {
  @UuidProperty() accountId?: string;
  @UuidProperty() paymentMethodId?: string | null;
  @TextProperty() paymentExternalKey?: string;
  @UuidProperty() transactionId?: string | null;
  @TextProperty() transactionExternalKey?: string;
  @TransactionTypeProperty() transactionType?: string;
  @DateTimeProperty() effectiveDate?: string;
  @TextProperty() stateName?: string;
  @MoneyProperty({ description: 'Transaction amount, required except for void operations' }) amount?: Big | null;
  @CurrencyProperty({ description: 'Amount currency (account currency unless specified)' }) currency?: string | null;
  @TextProperty() pluginName?: string;
  @ApiPropertyOptional({ type: () => [PluginProperty] }) pluginProperties?: PluginProperty[] | null;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's Payment JSON (output only). */
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
  @CurrencyProperty() currency?: string | null;
  @UuidProperty() paymentMethodId?: string;
  @ApiPropertyOptional({ type: () => [PaymentTransaction] }) transactions?: PaymentTransaction[];
  @ApiPropertyOptional({ type: () => [PaymentAttempt] }) paymentAttempts?: PaymentAttempt[] | null;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's InvoicePayment JSON: a payment and the invoice it paid. */
export class InvoicePayment extends Payment {
  @UuidProperty() targetInvoiceId?: string | null;
}
