/** @kb/payment: payment plugins, payment methods, payments, transactions and attempts. */
export * from './engine';
import { PaymentAttemptRow, PaymentMethodRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { Payments1700000000800 } from './migrations/1700000000800-payments';
import { InvoicePaymentAutoPayOff1700000001300 } from './migrations/1700000001300-invoice-payment-auto-pay-off';
import { TestPaymentPluginLedger1700000001310 } from './migrations/1700000001310-test-payment-plugin-ledger';
import { PaymentFillfactor1700000001590 } from './migrations/1700000001590-payment-fillfactor';
import { InvoicePaymentAutoPayOffRow } from './invoice-payment-auto-pay-off';

export * from './payment.entity';
export * from './payment-config';
export * from './plugin';
export * from './payment-method.service';
export * from './payment-gateway.service';
export * from './payment-query.service';
export * from './payment-events';
export * from './payment-processor';
export * from './invoice-payment.service';
export * from './invoice-payment-refunds.service';
export * from './payment-janitor';
export * from './payment-completion.service';
export * from './payment-admin.service';
export * from './combo-payment.service';
export * from './payment-retry.service';
export * from './payment.module';

export const PAYMENT_ENTITIES = [PaymentMethodRow, PaymentRow, PaymentTransactionRow, PaymentAttemptRow, InvoicePaymentAutoPayOffRow];
export const PAYMENT_MIGRATIONS = [
  Payments1700000000800,
  InvoicePaymentAutoPayOff1700000001300,
  TestPaymentPluginLedger1700000001310,
  PaymentFillfactor1700000001590,
];
