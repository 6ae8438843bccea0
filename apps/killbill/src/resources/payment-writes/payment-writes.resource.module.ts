import { Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { AccountPaymentWritesController, PaymentWritesController } from './payment-writes.controller';
import { PaymentAnswerFilter } from './payment-answer';
import { ScheduledPaymentsController } from './scheduled-payments.controller';
import { AccountInvoicePaymentWritesController, InvoicePaymentRefundWritesController, InvoicePaymentWritesController } from './invoice-payment-writes.controller';
import { AccountPaymentByKeyWritesController, PaymentByKeyWritesController } from './payment-by-key-writes.controller';
import { InvoicePaymentCompletionController, PaymentCompletionController, PaymentTransactionWritesController } from './payment-completion.controller';
import { ComboPaymentController } from './combo-payment.controller';
import { AdminPaymentController } from './admin-payment.controller';

/**
 * The payment write routes (transactions on payments); the read side lives in the payment resource modules.
 * Controllers with static segments (`/payments/refunds`, `/payments/combo`, `/accounts/payments`) come
 * before those with `:paymentId` / `:accountId`, which would otherwise take them for ids.
 */
@Module({
  imports: [PaymentModule],
  controllers: [
    ScheduledPaymentsController,
    PaymentByKeyWritesController,
    ComboPaymentController,
    AccountPaymentByKeyWritesController,
    AccountPaymentWritesController,
    PaymentWritesController,
    PaymentCompletionController,
    PaymentTransactionWritesController,
    InvoicePaymentWritesController,
    AccountInvoicePaymentWritesController,
    InvoicePaymentRefundWritesController,
    InvoicePaymentCompletionController,
    AdminPaymentController,
  ],
  providers: [PaymentAnswerFilter],
})
export class PaymentWritesResourceModule {}
