import { Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountPaymentsReadController } from './account-payments-read.controller';
import { InvoicePaymentAuditController, InvoicePaymentMetadataController, InvoicePaymentReadController } from './invoice-payment-read.controller';
import { InvoicePaymentsReadController } from './invoice-payments-read.controller';
import { PaymentAttemptMetadataController, PaymentMetadataController, PaymentReadController } from './payment.controller';
import { PaymentTransactionMetadataController, PaymentTransactionReadController } from './payment-transaction.controller';

/** The read side of payments: Kill Bill's Payment, PaymentTransaction and InvoicePayment GET routes and their sub-resources. */
@Module({
  imports: [PaymentModule, ObjectMetadataModule],
  controllers: [
    PaymentAttemptMetadataController,
    PaymentMetadataController,
    PaymentReadController,
    PaymentTransactionMetadataController,
    PaymentTransactionReadController,
    InvoicePaymentMetadataController,
    InvoicePaymentAuditController,
    InvoicePaymentReadController,
    AccountPaymentsReadController,
    InvoicePaymentsReadController,
  ],
})
export class PaymentReadResourceModule {}
