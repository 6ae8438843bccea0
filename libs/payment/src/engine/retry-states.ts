/**
 * Kill Bill's payment-attempt machine (payment/src/main/resources/org/killbill/billing/payment/RetryStates.xml)
 * as data: an attempt starts INIT; OP_RETRY succeeding leads to SUCCESS, failing to RETRIED (a retry
 * may be scheduled), an exception (a control plugin abort) to ABORTED; an ABORTED attempt may start
 * again from INIT (the AUTO_PAY_OFF replay). `SCHEDULED` is not a state: it is the future retry shown
 * in `paymentAttempts`.
 */
import { StateMachine } from '@kb/kernel';
import type { OperationResult } from './model';

export const RETRY_STATE_NAMES = ['INIT', 'SUCCESS', 'RETRIED', 'ABORTED'] as const;
export type RetryStateName = (typeof RETRY_STATE_NAMES)[number];

export const RETRY_STATE_MACHINE = {
  name: 'PAYMENT_RETRY',
  states: RETRY_STATE_NAMES,
  operation: 'OP_RETRY',
  transitions: [
    ['INIT', 'SUCCESS', 'SUCCESS'],
    ['INIT', 'FAILURE', 'RETRIED'],
    ['INIT', 'EXCEPTION', 'ABORTED'],
    ['RETRIED', 'SUCCESS', 'SUCCESS'],
    ['RETRIED', 'FAILURE', 'RETRIED'],
    ['RETRIED', 'EXCEPTION', 'ABORTED'],
  ] as readonly (readonly [RetryStateName, OperationResult, RetryStateName])[],
  /** [from, to]: the only link, within the machine. */
  links: [['ABORTED', 'INIT']] as readonly (readonly [RetryStateName, RetryStateName])[],
} as const;

/** The attempt's next state: OP_RETRY's results, plus `RESTART` for the ABORTED → INIT link. */
export const RETRY_TRANSITIONS = new StateMachine<RetryStateName, OperationResult | 'RESTART'>('payment retry', RETRY_STATE_NAMES, [
  ...RETRY_STATE_MACHINE.transitions.map(([from, on, to]) => ({ from, on, to })),
  ...RETRY_STATE_MACHINE.links.map(([from, to]) => ({ from, on: 'RESTART' as const, to })),
]);

/** The attempt's state after an operation ended with `result` (null when the machine has no such move). */
export function attemptStateAfter(current: RetryStateName, result: OperationResult): RetryStateName | null {
  const next = RETRY_TRANSITIONS.next(current, result);
  return next.ok ? next.state : null;
}
