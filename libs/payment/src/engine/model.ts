/**
 * The plain data of payments the engines reason on (Kill Bill's TransactionType, TransactionStatus,
 * PaymentPluginStatus and the rows of payments / payment_transactions). Money is Big.
 */
import type Big from 'big.js';
import type { Currency } from '@kb/kernel';

export const TRANSACTION_TYPES = ['AUTHORIZE', 'CAPTURE', 'PURCHASE', 'VOID', 'REFUND', 'CREDIT', 'CHARGEBACK'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = ['SUCCESS', 'UNKNOWN', 'PENDING', 'PAYMENT_FAILURE', 'PLUGIN_FAILURE', 'PAYMENT_SYSTEM_OFF'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** What a payment plugin reports (Kill Bill's PaymentPluginStatus). */
export const PAYMENT_PLUGIN_STATUSES = ['PROCESSED', 'PENDING', 'ERROR', 'CANCELED', 'UNDEFINED'] as const;
export type PaymentPluginStatus = (typeof PAYMENT_PLUGIN_STATUSES)[number];

/** The outcome of an operation in Kill Bill's automaton (OperationResult). */
export const OPERATION_RESULTS = ['SUCCESS', 'FAILURE', 'PENDING', 'EXCEPTION'] as const;
export type OperationResult = (typeof OPERATION_RESULTS)[number];

/** A payment transaction row, in the order the payment's transactions were created. */
export interface PaymentTransactionRecord {
  readonly id: string;
  readonly paymentId: string;
  readonly accountId: string;
  readonly externalKey: string;
  readonly type: TransactionType;
  readonly status: TransactionStatus;
  /** Requested amount (null for a VOID). */
  readonly amount: Big | null;
  readonly currency: Currency | null;
  /** What the plugin processed (0 for failures, see processedAmountsOf). */
  readonly processedAmount: Big | null;
  readonly processedCurrency: Currency | null;
}

/** A payment row with its transactions (oldest first). */
export interface PaymentRecord {
  readonly id: string;
  readonly accountId: string;
  readonly stateName: string | null;
  /** The last state `isSuccessState` accepted; null while the payment never succeeded (BIG_BANG_INIT). */
  readonly lastSuccessStateName: string | null;
  readonly transactions: readonly PaymentTransactionRecord[];
}

/**
 * What a plugin call came back with (Kill Bill's PaymentTransactionInfoPlugin), or how it ended
 * without an answer: a timeout, a thrown exception, or a null result.
 */
export type PluginCallResult =
  | {
      readonly kind: 'ANSWER';
      /** Null when the plugin left it unset (read as UNDEFINED). */
      readonly status: PaymentPluginStatus | null;
      readonly amount?: Big | null;
      readonly currency?: Currency | null;
      readonly gatewayErrorCode?: string | null;
      readonly gatewayError?: string | null;
    }
  | { readonly kind: 'TIMEOUT' }
  | { readonly kind: 'EXCEPTION'; readonly message?: string }
  | { readonly kind: 'NULL_RESULT' };
