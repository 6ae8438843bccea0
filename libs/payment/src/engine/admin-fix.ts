/**
 * Kill Bill's PaymentAdmin fixPaymentTransactionState (spec 2.8, admin fix): the states a payment is
 * left in when an operator sets one of its transactions to a status.
 */
import { KillBillError } from '@kb/kernel';
import type { PaymentTransactionRecord, TransactionStatus } from './model';
import { PAYMENT_TRANSITIONS } from './payment-states';
import { isSuccessState, stateAfter } from './payment-state-machine';

export interface AdminFixRequest {
  readonly transactionStatus: TransactionStatus;
  /** Null: computed (see adminFixStates). */
  readonly lastSuccessPaymentState: string | null;
  /** Null: the state the status leads to for the transaction's type. */
  readonly currentPaymentStateName: string | null;
}

export interface AdminFixStates {
  readonly stateName: string;
  /** `undefined`: left as it is (an older transaction was fixed). */
  readonly lastSuccessStateName: string | null | undefined;
}

function checkState(name: string | null, field: string): void {
  if (name !== null && !PAYMENT_TRANSITIONS.isState(name)) throw new KillBillError('PAYMENT_INVALID_PARAMETER', [field, `${name} is not a payment state`]);
}

/**
 * The current state: the one given, else `<OP>_PENDING|SUCCESS|FAILED|ERRORED` of the status. The last
 * successful state: the one given; else, when the fixed transaction is the payment's latest, the current
 * state if it is a success one, else the success state of the latest earlier SUCCESS transaction (none:
 * null); an older transaction leaves it alone.
 */
export function adminFixStates(transactions: readonly PaymentTransactionRecord[], transactionId: string, request: AdminFixRequest): AdminFixStates {
  checkState(request.currentPaymentStateName, 'currentPaymentStateName');
  checkState(request.lastSuccessPaymentState, 'lastSuccessPaymentState');
  const index = transactions.findIndex((transaction) => transaction.id === transactionId);
  if (index < 0) throw new KillBillError('PAYMENT_INVALID_PARAMETER', ['paymentTransactionId', `${transactionId} is not a transaction of the payment`]);
  const fixed = transactions[index];
  const stateName = request.currentPaymentStateName ?? stateAfter(fixed.type, request.transactionStatus);
  if (request.lastSuccessPaymentState !== null) return { stateName, lastSuccessStateName: request.lastSuccessPaymentState };
  if (index !== transactions.length - 1) return { stateName, lastSuccessStateName: undefined };
  if (isSuccessState(stateName)) return { stateName, lastSuccessStateName: stateName };
  const earlier = transactions.slice(0, index).reverse().find((transaction) => transaction.status === 'SUCCESS');
  return { stateName, lastSuccessStateName: earlier ? stateAfter(earlier.type, 'SUCCESS') : null };
}
