import { Injectable } from '@nestjs/common';
import { InvalidRequestException, KillBillException, Locks, Queues, tenantRepository, Transactions } from '@kb/platform';
import { PaymentAttemptRow, PaymentTransactionRow } from './payment.entity';
import { PaymentRetryQueue, type PaymentRetryNotification } from './payment-events';

/** A retry waiting in the queue: when it runs and the attempt it follows. */
export interface ScheduledRetry {
  readonly effectiveDate: Date;
  readonly attemptId: string;
}

/** Which scheduled retry to cancel: that of a transaction's key, given by the transaction or by the key. */
export type ScheduledRetryRef = { readonly transactionId: string } | { readonly transactionExternalKey: string };

/**
 * The retries of failed invoice payments as the API sees them (Kill Bill's PaymentRefresher and
 * PaymentProcessor#cancelScheduledPaymentTransaction): the account's future notifications of the
 * retry queue, shown as SCHEDULED attempts and cancelled by removing them.
 */
@Injectable()
export class PaymentRetryService {
  constructor(
    private readonly locks: Locks,
    private readonly queues: Queues,
    private readonly transactions: Transactions,
  ) {}

  /** The retries not yet due of one account or several, earliest first. */
  async scheduledRetries(accountRecordIds: number | readonly number[], tenantRecordId: number): Promise<ScheduledRetry[]> {
    const future = await this.queues.futureNotifications(PaymentRetryQueue, accountRecordIds, tenantRecordId);
    return future.flatMap(({ effectiveDate, payload }) => (payload.attemptId ? [{ effectiveDate, attemptId: payload.attemptId }] : []));
  }

  /**
   * Removes the scheduled retry of the last attempt made with the transaction's key; nothing to do
   * when that key has no attempt or no retry is scheduled (Kill Bill answers 204 alike).
   */
  async cancelScheduledRetry(ref: ScheduledRetryRef): Promise<void> {
    const manager = this.transactions.manager();
    let key: string;
    if ('transactionId' in ref) {
      const transaction = await tenantRepository(manager, PaymentTransactionRow).findOne({ where: { id: ref.transactionId } });
      if (!transaction) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [ref.transactionId]);
      key = transaction.transactionExternalKey;
    } else {
      if (!ref.transactionExternalKey) throw new InvalidRequestException('transactionExternalKey needs to be set');
      key = ref.transactionExternalKey;
    }
    const attempts = await tenantRepository(manager, PaymentAttemptRow).find({ where: { transactionExternalKey: key }, order: { recordId: 'ASC' } });
    const last = attempts[attempts.length - 1];
    if (!last || last.accountRecordId === null) return;
    const accountRecordId = last.accountRecordId;
    await this.locks.withAccountLock(last.accountId, () =>
      this.queues.removeFutureNotifications<PaymentRetryNotification>(accountRecordId, last.tenantRecordId, PaymentRetryQueue, { attemptId: last.id }),
    );
  }
}
