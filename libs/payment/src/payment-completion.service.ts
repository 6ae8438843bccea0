import { Injectable } from '@nestjs/common';
import type Big from 'big.js';
import { KillBillException, tenantRepository, Transactions } from '@kb/platform';
import type { Currency } from '@kb/kernel';
import { InvoicePaymentRow } from '@kb/invoice';
import { PaymentRow, PaymentTransactionRow } from './payment.entity';
import { type PaymentControl, PaymentProcessor, type PaymentTransactionResult } from './payment-processor';
import { InvoicePaymentService } from './invoice-payment.service';
import type { PluginProperty } from './plugin/payment-plugin-api';
import type { TransactionType } from './engine/model';
import { INVOICE_PAYMENT_CONTROL_PLUGIN_NAME } from './engine/invoice-payment-control';

/** Which transaction a completion targets and what it sends (Kill Bill's completeTransaction body; every field optional). */
export interface CompletionRequest {
  readonly paymentId: string | null;
  readonly paymentExternalKey: string | null;
  readonly transactionId: string | null;
  readonly transactionExternalKey: string | null;
  readonly transactionType: TransactionType | null;
  /** Null: the pending transaction's amount. */
  readonly amount: Big | null;
  readonly currency: Currency | null;
  readonly properties: readonly PluginProperty[];
  readonly controlPluginNames: readonly string[];
}

/** A completion's end: the plugin's answer, nothing to do (already SUCCESS, or the control plugin aborted), or no invoice payment to complete. */
export type CompletionOutcome =
  | { readonly kind: 'COMPLETED'; readonly result: PaymentTransactionResult | null }
  | { readonly kind: 'NO_PENDING_INVOICE_PAYMENT' };

const COMPLETABLE: readonly TransactionType[] = ['AUTHORIZE', 'CAPTURE', 'PURCHASE', 'CREDIT', 'REFUND'];

/**
 * Kill Bill's completion paths (JaxRsResourceBase#completeTransactionInternal, InvoicePaymentResource
 * #completeInvoicePaymentTransaction, PaymentProcessor#notifyPendingPaymentOfStateChanged): a PENDING
 * transaction is run again through the processor, which finds it by id/key and completes it in place
 * (from its `<OP>_PENDING` state, under the account lock) — the plugin is asked again, or, for a state
 * change notification, the caller's outcome is recorded without asking it.
 */
@Injectable()
export class PaymentCompletionService {
  constructor(
    private readonly processor: PaymentProcessor,
    private readonly invoicePayments: InvoicePaymentService,
    private readonly transactions: Transactions,
  ) {}

  /** PUT /payments/{paymentId} and PUT /payments: the plugin is called again for the pending transaction. */
  async complete(request: CompletionRequest): Promise<CompletionOutcome> {
    const payment = await this.processor.requirePayment(request.paymentId, request.paymentExternalKey);
    const pending = await this.pendingOrSuccess(payment, request);
    // A transaction already completed answers as if this call completed it (Kill Bill #626).
    if (pending.transactionStatus === 'SUCCESS') return { kind: 'COMPLETED', result: null };
    const type = pending.transactionType as TransactionType;
    if (!COMPLETABLE.includes(type)) throw new KillBillException('PAYMENT_INVALID_OPERATION', [type, payment.stateName ?? '']);
    const result = await this.processor.createTransaction(payment.accountId, {
      transactionType: type,
      paymentId: payment.id,
      paymentExternalKey: payment.externalKey,
      transactionId: pending.id,
      transactionExternalKey: pending.transactionExternalKey,
      amount: request.amount ?? pending.amount,
      currency: request.currency,
      paymentMethodId: payment.paymentMethodId,
      properties: request.properties,
      controlPluginNames: request.controlPluginNames,
      control: this.invoiceControl(request.controlPluginNames),
    });
    return { kind: 'COMPLETED', result };
  }

  /**
   * PUT /invoicePayments/{paymentId}: the PURCHASE is completed through the invoice payment control
   * (the invoice's ATTEMPT row follows it); none when the payment has no unsuccessful ATTEMPT row.
   */
  async completeInvoicePayment(paymentId: string, request: Omit<CompletionRequest, 'paymentId' | 'paymentExternalKey' | 'controlPluginNames'>): Promise<CompletionOutcome> {
    const payment = await this.processor.requirePayment(paymentId, null);
    const rows = await tenantRepository(this.transactions.manager(), InvoicePaymentRow).find({ where: { paymentId, type: 'ATTEMPT' }, order: { recordId: 'ASC' } });
    const attempt = rows.find((row) => row.status !== 'SUCCESS');
    if (!attempt) return { kind: 'NO_PENDING_INVOICE_PAYMENT' };
    const pending = await this.pendingOrSuccess(payment, request);
    if (pending.transactionStatus === 'SUCCESS') return { kind: 'COMPLETED', result: null };
    const result = await this.invoicePayments.payInvoice(payment.accountId, {
      invoiceId: attempt.invoiceId,
      amount: request.amount,
      paymentMethodId: payment.paymentMethodId,
      isApiPayment: true,
      paymentId: payment.id,
      paymentExternalKey: payment.externalKey,
      transactionExternalKey: pending.transactionExternalKey,
      properties: request.properties,
    });
    return { kind: 'COMPLETED', result };
  }

  /** POST /paymentTransactions/{transactionId}: a PENDING transaction settled by the caller (SUCCESS, else a failure), the plugin not called. */
  async notifyStateChanged(transactionId: string, { paymentId, isSuccess }: { paymentId: string; isSuccess: boolean }, controlPluginNames: readonly string[]): Promise<PaymentTransactionResult> {
    const payment = await this.processor.requirePayment(paymentId, null);
    const transaction = await tenantRepository(this.transactions.manager(), PaymentTransactionRow).findOne({ where: { id: transactionId } });
    if (!transaction) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [transactionId]);
    if (transaction.transactionStatus !== 'PENDING') throw new KillBillException('PAYMENT_NO_SUCH_SUCCESS_PAYMENT', [transaction.paymentId]);
    return this.processor.createTransaction(payment.accountId, {
      transactionType: transaction.transactionType as TransactionType,
      paymentId: transaction.paymentId,
      transactionId: transaction.id,
      transactionExternalKey: transaction.transactionExternalKey,
      amount: transaction.amount,
      currency: transaction.currency as Currency | null,
      overridePluginResult: isSuccess ? 'SUCCESS' : 'FAILURE',
      controlPluginNames,
      control: this.invoiceControl(controlPluginNames),
    });
  }

  /**
   * Kill Bill's lookupPendingOrSuccessTransaction: the payment's PENDING or SUCCESS transaction matching
   * every criterion given (none given: its PENDING one); none is 7031, several 7019.
   */
  private async pendingOrSuccess(payment: PaymentRow, request: Pick<CompletionRequest, 'transactionId' | 'transactionExternalKey' | 'transactionType'>): Promise<PaymentTransactionRow> {
    const rows = await tenantRepository(this.transactions.manager(), PaymentTransactionRow).find({ where: { paymentId: payment.id }, order: { recordId: 'ASC' } });
    const matching = rows.filter(
      (row) =>
        (row.transactionStatus === 'PENDING' || row.transactionStatus === 'SUCCESS') &&
        (request.transactionId === null || row.id === request.transactionId) &&
        (request.transactionExternalKey === null || row.transactionExternalKey === request.transactionExternalKey) &&
        (request.transactionType === null || row.transactionType === request.transactionType),
    );
    // Given nothing, the PENDING transaction is meant (a payment has SUCCESS ones besides).
    const unspecified = request.transactionId === null && request.transactionExternalKey === null && request.transactionType === null;
    const candidates = unspecified && matching.some((row) => row.transactionStatus === 'PENDING') ? matching.filter((row) => row.transactionStatus === 'PENDING') : matching;
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) throw new KillBillException('PAYMENT_INTERNAL_ERROR', [`Illegal payment state: Found multiple PENDING payment transactions for paymentId='${payment.id}'`]);
    const [name, value] =
      request.transactionId !== null
        ? ['transactionId', request.transactionId]
        : request.transactionExternalKey !== null
          ? ['transactionExternalKey', request.transactionExternalKey]
          : request.transactionType !== null
            ? ['transactionType', request.transactionType]
            : ['paymentId', payment.id];
    throw new KillBillException('PAYMENT_INVALID_PARAMETER', [name, value]);
  }

  /** Through the invoice payment control (asked for by name, as Kill Bill's payment options do), the invoice's row follows the completed transaction. */
  private invoiceControl(controlPluginNames: readonly string[]): PaymentControl | undefined {
    if (!controlPluginNames.includes(INVOICE_PAYMENT_CONTROL_PLUGIN_NAME)) return undefined;
    return { afterCall: (manager, result) => this.invoicePayments.settleFromTransaction(manager, result.payment, result.transaction) };
  }
}
