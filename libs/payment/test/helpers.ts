import Big from 'big.js';
import type { Currency } from '@kb/kernel';
import type { PaymentTransactionRecord, TransactionStatus, TransactionType } from '@kb/payment/engine';

let sequence = 0;

/** A transaction whose processed amount is what Kill Bill stores: the amount on SUCCESS/PENDING, 0 otherwise. */
export function transaction(
  type: TransactionType,
  status: TransactionStatus,
  amount: string | null,
  overrides: Partial<PaymentTransactionRecord> & { currency?: Currency } = {},
): PaymentTransactionRecord {
  sequence++;
  const currency = overrides.currency ?? 'USD';
  const requested = amount === null ? null : new Big(amount);
  const processed = status === 'SUCCESS' || status === 'PENDING' ? requested : new Big(0);
  return {
    id: `tx-${sequence}`,
    paymentId: 'payment-1',
    accountId: 'account-1',
    externalKey: `key-${sequence}`,
    type,
    status,
    amount: requested,
    currency,
    processedAmount: processed,
    processedCurrency: currency,
    ...overrides,
  };
}
