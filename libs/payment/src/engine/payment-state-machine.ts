/**
 * The payment state machine as Kill Bill runs it (PaymentAutomatonRunner, PaymentProcessor#performOperation,
 * PaymentStateMachineHelper; spec 2.4, 2.5): which operations a payment allows from its last
 * successful state, the sanity rules on keys, accounts and transactions to complete, and the state a
 * transaction's outcome leads to.
 */
import { type Currency, KillBillError } from '@kb/kernel';
import type { OperationResult, PaymentRecord, PaymentTransactionRecord, TransactionStatus, TransactionType } from './model';
import { TRANSACTION_TYPES } from './model';
import { PAYMENT_LINKS, PAYMENT_STATE_MACHINES, PAYMENT_TRANSITIONS, type PaymentStateName, machineOfState } from './payment-states';
import { operationResultOfStatus } from './plugin-result';

export const BIG_BANG_INIT: PaymentStateName = 'BIG_BANG_INIT';

function asStateName(name: string | null): PaymentStateName | null {
  if (name === null) return BIG_BANG_INIT;
  return PAYMENT_TRANSITIONS.isState(name) ? name : null;
}

/**
 * The state an operation of `type` starts from when the payment is in `state` (Kill Bill's
 * DefaultState#runOperation): the INIT state of the machine a link leads to, else `state` itself,
 * provided that state has a transition for the operation; null when the operation is illegal.
 */
function operationStartState(state: PaymentStateName, type: TransactionType): PaymentStateName | null {
  const link = PAYMENT_LINKS.next(state, type);
  const start = link.ok ? link.state : state;
  if (machineOfState(start).name !== type) return null;
  return PAYMENT_TRANSITIONS.isTerminal(start) ? null : start;
}

/** The operations a payment whose last successful state is `lastSuccessStateName` (null: none yet) allows, in Kill Bill's type order. */
export function legalOperationsFrom(lastSuccessStateName: string | null): TransactionType[] {
  const state = asStateName(lastSuccessStateName);
  if (state === null) return [];
  return TRANSACTION_TYPES.filter((type) => operationStartState(state, type) !== null);
}

/** Kill Bill's isSuccessState: `*_SUCCESS`, and every CHARGEBACK state (a reversal, CHARGEBACK_FAILED, is a success of the payment). */
export function isSuccessState(stateName: string): boolean {
  return stateName.endsWith('SUCCESS') || stateName.startsWith('CHARGEBACK');
}

/**
 * The payment state a transaction of `type` ends in with `status` (SUCCESS → `<OP>_SUCCESS`,
 * PENDING → `<OP>_PENDING`, PAYMENT_FAILURE → `<OP>_FAILED`, others → `<OP>_ERRORED`), read from the
 * transition table from the machine's INIT state (or from its PENDING state when completing one).
 */
export function stateAfter(type: TransactionType, status: TransactionStatus | OperationResult, from: 'INIT' | 'PENDING' = 'INIT'): PaymentStateName {
  const result: OperationResult = status === 'FAILURE' || status === 'EXCEPTION' ? status : operationResultOfStatus(status as TransactionStatus);
  const machine = PAYMENT_STATE_MACHINES.find((candidate) => candidate.name === type);
  const origin = machine?.states.find((state) => state.endsWith(`_${from}`));
  if (origin === undefined) throw new KillBillError('PAYMENT_INVALID_OPERATION', [type, from]);
  const next = PAYMENT_TRANSITIONS.next(origin, result);
  if (!next.ok) throw new KillBillError('PAYMENT_INVALID_OPERATION', [type, origin]);
  return next.state;
}

/** The payment's last successful state after entering `newStateName`: that state when it is a success state, else the previous one. */
export function lastSuccessStateAfter(previous: string | null, newStateName: string): string | null {
  return isSuccessState(newStateName) ? newStateName : previous;
}

export interface OperationRequest {
  readonly accountId: string;
  readonly transactionType: TransactionType;
  readonly transactionId?: string | null;
  readonly transactionExternalKey?: string | null;
  /** The requested currency (null: the payment's). */
  readonly currency?: Currency | null;
}

export interface OperationPlan {
  /** The state the operation leaves: the payment's last successful state, BIG_BANG_INIT for a new payment. */
  readonly fromState: PaymentStateName;
  /** The machine's state the operation runs from (its INIT state). */
  readonly startState: PaymentStateName;
  /** The PENDING transaction this operation completes (no new transaction is written), or null. */
  readonly transactionToComplete: PaymentTransactionRecord | null;
}

/**
 * Kill Bill's checks before an operation on `payment` (null: a new payment), in its order:
 * payment of another account (7034); for the transaction key, a successful non-CHARGEBACK
 * transaction with it (7030) or one of another account (7035) — `transactionsWithKey` are every
 * transaction of the tenant with that key; a PENDING AUTHORIZE/PURCHASE/CREDIT under another key
 * (7032); the matched transaction's type (7031); completing an UNKNOWN one (7032); the operation
 * from the last successful state (7032); a currency other than the payment's (7031, chargebacks exempt).
 */
export function checkOperation(payment: PaymentRecord | null, request: OperationRequest, transactionsWithKey: readonly PaymentTransactionRecord[] = []): OperationPlan {
  const type = request.transactionType;
  let transactionToComplete: PaymentTransactionRecord | null = null;
  if (payment !== null) {
    if (payment.accountId !== request.accountId) throw new KillBillError('PAYMENT_DIFFERENT_ACCOUNT_ID', [payment.id]);
    const key = request.transactionExternalKey ?? null;
    if (key !== null) {
      for (const transaction of transactionsWithKey) {
        if (transaction.externalKey !== key) continue;
        if (transaction.status === 'SUCCESS' && transaction.type !== 'CHARGEBACK') throw new KillBillError('PAYMENT_ACTIVE_TRANSACTION_KEY_EXISTS', [key]);
        if (transaction.accountId !== request.accountId) throw new KillBillError('PAYMENT_TRANSACTION_DIFFERENT_ACCOUNT_ID', [transaction.accountId]);
      }
    }
    if (key !== null || (request.transactionId ?? null) !== null) transactionToComplete = findTransactionToComplete(payment, request);
  }
  const fromState = asStateName(payment?.lastSuccessStateName ?? null);
  const startState = fromState === null ? null : operationStartState(fromState, type);
  if (fromState === null || startState === null) throw new KillBillError('PAYMENT_INVALID_OPERATION', [type, payment?.lastSuccessStateName ?? BIG_BANG_INIT]);
  if (payment !== null && transactionToComplete?.status !== 'PENDING') checkCurrency(payment, request);
  return { fromState, startState, transactionToComplete };
}

function matches(transaction: PaymentTransactionRecord, request: OperationRequest): boolean {
  return (
    (request.transactionId != null && transaction.id === request.transactionId) ||
    (request.transactionExternalKey != null && transaction.externalKey === request.transactionExternalKey)
  );
}

function findTransactionToComplete(payment: PaymentRecord, request: OperationRequest): PaymentTransactionRecord | null {
  const candidates: PaymentTransactionRecord[] = [];
  for (const transaction of payment.transactions) {
    if (!matches(transaction, request)) {
      // Only one initial transaction may be PENDING at a time (the state machine cannot tell).
      if ((transaction.type === 'AUTHORIZE' || transaction.type === 'PURCHASE' || transaction.type === 'CREDIT') && transaction.status === 'PENDING') {
        throw new KillBillError('PAYMENT_INVALID_OPERATION', [transaction.type, payment.stateName]);
      }
      continue;
    }
    if (transaction.type !== request.transactionType) {
      throw new KillBillError('PAYMENT_INVALID_PARAMETER', ['transactionType', `${request.transactionType} doesn't match existing transaction type ${transaction.type}`]);
    }
    if (transaction.status === 'PENDING' || transaction.status === 'UNKNOWN') candidates.push(transaction);
  }
  const candidate = candidates[candidates.length - 1] ?? null;
  // An UNKNOWN transaction must be settled (janitor, admin) before anything completes it.
  if (candidate?.status === 'UNKNOWN') throw new KillBillError('PAYMENT_INVALID_OPERATION', [request.transactionType, candidate.status]);
  return candidate;
}

function checkCurrency(payment: PaymentRecord, request: OperationRequest): void {
  const first = payment.transactions[0];
  if (request.currency == null || first === undefined || request.transactionType === 'CHARGEBACK') return;
  if (first.currency !== request.currency) {
    throw new KillBillError('PAYMENT_INVALID_PARAMETER', ['currency', ` should be ${first.currency} to match other existing transactions`]);
  }
}

/**
 * The payment an AUTHORIZE/PURCHASE/CREDIT without `paymentId` targets (spec 2.5): the payment of
 * that external key; else the payment of a SUCCESS/PENDING/UNKNOWN transaction with that key; else
 * the single payment of its failed ones (a retry appends to it); else null (a new payment).
 */
export function resolvePaymentId(
  paymentExternalKey: string | null,
  transactionExternalKey: string | null,
  lookups: { paymentIdByExternalKey: string | null; transactionsWithKey: readonly PaymentTransactionRecord[] },
): string | null {
  if (paymentExternalKey !== null && lookups.paymentIdByExternalKey !== null) return lookups.paymentIdByExternalKey;
  if (transactionExternalKey === null) return null;
  const live = lookups.transactionsWithKey.find((transaction) => transaction.status === 'SUCCESS' || transaction.status === 'PENDING' || transaction.status === 'UNKNOWN');
  if (live) return live.paymentId;
  let candidate: string | null = null;
  for (const transaction of lookups.transactionsWithKey) {
    if (transaction.status !== 'PAYMENT_FAILURE' && transaction.status !== 'PLUGIN_FAILURE') continue;
    if (candidate === null) candidate = transaction.paymentId;
    else if (candidate !== transaction.paymentId) {
      throw new KillBillError('PAYMENT_INTERNAL_ERROR', ['Multiple failed payments sharing the same transaction external key - this should never happen']);
    }
  }
  return candidate;
}
