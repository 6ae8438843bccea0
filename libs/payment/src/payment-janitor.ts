import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock, Locks, OnNotificationOutsideTransaction, type QueueMessage, Queues, tenantRepository } from '@kb/platform';
import type { Currency } from '@kb/kernel';
import { PaymentAttemptRow, PaymentMethodRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { PaymentAttemptJanitorQueue, PaymentJanitorQueue, type PaymentJanitorNotification } from './payment-events';
import { PaymentPluginRegistry } from './plugin/payment-plugin-registry';
import { PaymentMethodService } from './payment-method.service';
import { PaymentProcessor } from './payment-processor';
import { InvoicePaymentService } from './invoice-payment.service';
import type { PluginCallResult, TransactionStatus, TransactionType } from './engine/model';
import { janitorRepair, nextJanitorCheck } from './engine/retries';
import { lastSuccessStateAfter } from './engine/payment-state-machine';
import { processedAmountsOf } from './engine/plugin-result';

/**
 * Kill Bill's janitor for PENDING and UNKNOWN transactions (IncompletePaymentTransactionTask, spec 2.8):
 * on its notification it asks the plugin (getPaymentInfo) what became of the transaction; a definite
 * answer settles the transaction, the payment's state and, for an invoice payment, its row and the
 * credit; otherwise it looks again on the janitor's schedule. The account lock is held across the
 * plugin call, as for the payment itself, so a settlement never races a new operation.
 */
@Injectable()
export class PaymentJanitor {
  constructor(
    private readonly locks: Locks,
    private readonly plugins: PaymentPluginRegistry,
    private readonly paymentMethods: PaymentMethodService,
    private readonly processor: PaymentProcessor,
    private readonly invoicePayments: InvoicePaymentService,
    private readonly queues: Queues,
    private readonly clock: Clock,
  ) {}

  /** An attempt old enough that its outcome should be written: the same check, which finds nothing to do unless the node making it died. */
  @OnNotificationOutsideTransaction(PaymentAttemptJanitorQueue)
  async onIncompleteAttemptCheck(message: QueueMessage<PaymentJanitorNotification>): Promise<undefined> {
    await this.check(message.payload);
    return undefined;
  }

  /**
   * Handled outside any transaction, so that no transaction waits on getPaymentInfo: the settlement and
   * the next look are written in the check's short transactions, and the completion has nothing left to do.
   */
  @OnNotificationOutsideTransaction(PaymentJanitorQueue)
  async onJanitorCheck(message: QueueMessage<PaymentJanitorNotification>): Promise<undefined> {
    await this.check(message.payload);
    return undefined;
  }

  /** Settles one transaction if the plugin now knows its outcome; true when it changed. */
  async check(notification: PaymentJanitorNotification): Promise<boolean> {
    return this.locks.withAccountLockAcross(notification.accountId, async (scope) => {
      const found = await scope.inTransaction((manager) => this.load(manager, notification));
      if (found === null) return false;
      const latest = await this.latestFromPlugin(found.payment, found.transaction, found.pluginName);
      return scope.inTransaction((manager) => this.settle(manager, notification, found.payment, found.transaction, latest));
    });
  }

  private async load(manager: EntityManager, notification: PaymentJanitorNotification) {
    const transaction = await tenantRepository(manager, PaymentTransactionRow).findOne({ where: { id: notification.transactionId } });
    if (!transaction || (transaction.transactionStatus !== 'PENDING' && transaction.transactionStatus !== 'UNKNOWN')) return null;
    const payment = await tenantRepository(manager, PaymentRow).findOne({ where: { id: transaction.paymentId } });
    if (!payment) return null;
    const method = await tenantRepository(manager, PaymentMethodRow).findOne({ where: { id: payment.paymentMethodId } });
    return { transaction, payment, pluginName: method?.pluginName ?? null };
  }

  /** The plugin's latest answer for the transaction; no answer (or a failing plugin) leaves it as it is. */
  private async latestFromPlugin(payment: PaymentRow, transaction: PaymentTransactionRow, pluginName: string | null): Promise<PluginCallResult> {
    if (pluginName === null || !this.plugins.has(pluginName)) return { kind: 'ANSWER', status: null };
    try {
      const infos = await this.plugins.require(pluginName).getPaymentInfo(payment.accountId, payment.id, [], this.paymentMethods.pluginContext());
      const info = [...infos].reverse().find((candidate) => candidate.kbTransactionPaymentId === transaction.id);
      if (!info) return { kind: 'ANSWER', status: null };
      return {
        kind: 'ANSWER',
        status: info.status,
        amount: info.processedAmount,
        currency: info.processedCurrency as Currency | null,
        gatewayErrorCode: info.gatewayErrorCode,
        gatewayError: info.gatewayError,
      };
    } catch {
      return { kind: 'ANSWER', status: null };
    }
  }

  private async settle(manager: EntityManager, notification: PaymentJanitorNotification, payment: PaymentRow, transaction: PaymentTransactionRow, latest: PluginCallResult): Promise<boolean> {
    const current = transaction.transactionStatus as TransactionStatus;
    const repair = janitorRepair(transaction.transactionType as TransactionType, current, latest);
    if (!repair.changed) {
      const next = nextJanitorCheck(current, notification.attemptNumber + 1, this.clock.now());
      if (next !== null) await this.queues.schedule(PaymentJanitorQueue, next, { ...notification, attemptNumber: notification.attemptNumber + 1 }, { accountRecordId: payment.accountRecordId });
      return false;
    }
    const processed = processedAmountsOf(repair.status, latest, { amount: transaction.amount, currency: transaction.currency as Currency | null });
    transaction.transactionStatus = repair.status;
    transaction.processedAmount = transaction.transactionType === 'VOID' ? null : processed.processedAmount;
    transaction.processedCurrency = processed.processedCurrency;
    transaction.gatewayErrorCode = processed.gatewayErrorCode;
    transaction.gatewayErrorMsg = processed.gatewayErrorMsg;
    await tenantRepository(manager, PaymentTransactionRow).save(transaction);
    payment.stateName = repair.stateName;
    payment.lastSuccessStateName = lastSuccessStateAfter(payment.lastSuccessStateName, repair.stateName);
    await tenantRepository(manager, PaymentRow).save(payment);
    if (transaction.attemptId !== null && repair.status === 'SUCCESS') {
      const attempt = await tenantRepository(manager, PaymentAttemptRow).findOne({ where: { id: transaction.attemptId } });
      if (attempt && attempt.stateName !== 'SUCCESS') {
        attempt.stateName = 'SUCCESS';
        await tenantRepository(manager, PaymentAttemptRow).save(attempt);
      }
    }
    await this.processor.announce(payment, transaction, repair.status);
    await this.invoicePayments.settleFromTransaction(manager, payment, transaction);
    if (repair.status === 'PENDING') {
      const next = nextJanitorCheck('PENDING', 1, this.clock.now());
      if (next !== null) await this.queues.schedule(PaymentJanitorQueue, next, { ...notification, attemptNumber: 1 }, { accountRecordId: payment.accountRecordId });
    }
    return true;
  }
}
