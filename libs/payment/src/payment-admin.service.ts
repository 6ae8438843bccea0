import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { KillBillException, Locks, tenantRepository } from '@kb/platform';
import { PaymentAttemptRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { PaymentProcessor, toTransactionRecord } from './payment-processor';
import { InvoicePaymentService } from './invoice-payment.service';
import { type AdminFixRequest, adminFixStates } from './engine/admin-fix';
import { INVOICE_PAYMENT_CONTROL_PLUGIN_NAME } from './engine/invoice-payment-control';

/**
 * Kill Bill's AdminPaymentApi#fixPaymentTransactionState (PUT /admin/payments/{id}/transactions/{id}):
 * an operator sets a transaction's status and the payment's states, under the account lock; the
 * event follows the new status and the transaction's attempt is completed as the attempt janitor
 * would (through the invoice payment control when the attempt went through it).
 */
@Injectable()
export class AdminPaymentService {
  constructor(
    private readonly locks: Locks,
    private readonly processor: PaymentProcessor,
    private readonly invoicePayments: InvoicePaymentService,
  ) {}

  async fixTransactionState(paymentId: string, transactionId: string, request: AdminFixRequest): Promise<void> {
    const { accountId } = await this.processor.requirePayment(paymentId, null);
    await this.locks.withAccountLock(accountId, async (manager) => {
      const payment = await tenantRepository(manager, PaymentRow).findOne({ where: { id: paymentId } });
      if (!payment) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [paymentId]);
      const rows = await tenantRepository(manager, PaymentTransactionRow).find({ where: { paymentId }, order: { recordId: 'ASC' } });
      const states = adminFixStates(
        rows.map((row) => toTransactionRecord(row, accountId)),
        transactionId,
        request,
      );
      const transaction = rows.find((row) => row.id === transactionId)!;
      const succeeded = request.transactionStatus === 'SUCCESS' || request.transactionStatus === 'PENDING';
      transaction.transactionStatus = request.transactionStatus;
      // Without the plugin's details a success is taken for the full amount (Kill Bill #1061).
      transaction.processedAmount = transaction.transactionType === 'VOID' ? null : succeeded ? transaction.amount : new Big(0);
      transaction.processedCurrency = transaction.processedCurrency ?? transaction.currency;
      await tenantRepository(manager, PaymentTransactionRow).save(transaction);
      payment.stateName = states.stateName;
      if (states.lastSuccessStateName !== undefined) payment.lastSuccessStateName = states.lastSuccessStateName;
      await tenantRepository(manager, PaymentRow).save(payment);
      await this.processor.announce(payment, transaction, request.transactionStatus);

      const attempt = transaction.attemptId === null ? null : await tenantRepository(manager, PaymentAttemptRow).findOne({ where: { id: transaction.attemptId } });
      if (attempt && request.transactionStatus !== 'UNKNOWN') {
        attempt.stateName = succeeded ? 'SUCCESS' : 'ABORTED';
        await tenantRepository(manager, PaymentAttemptRow).save(attempt);
        if (attempt.pluginName.split(',').includes(INVOICE_PAYMENT_CONTROL_PLUGIN_NAME)) await this.invoicePayments.settleFromTransaction(manager, payment, transaction);
      }
    });
  }
}
