import { Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { AccountPaymentWritesController, PaymentWritesController } from './payment-writes.controller';
import { PaymentAnswerFilter } from './payment-answer';
import { ScheduledPaymentsController } from './scheduled-payments.controller';
import { AccountInvoicePaymentWritesController, InvoicePaymentRefundWritesController, InvoicePaymentWritesController } from './invoice-payment-writes.controller';

/** The payment write routes (transactions on payments); the read side lives in the payment resource modules. */
@Module({
  imports: [PaymentModule],
  controllers: [ScheduledPaymentsController, AccountPaymentWritesController, PaymentWritesController, InvoicePaymentWritesController, AccountInvoicePaymentWritesController, InvoicePaymentRefundWritesController],
  providers: [PaymentAnswerFilter],
})
export class PaymentWritesResourceModule {}
