/**
 * Kill Bill's payment state machines (payment/src/main/resources/org/killbill/billing/payment/PaymentStates.xml)
 * as data: one machine per transaction type, each with its states, its transitions (state, operation
 * result, next state) and its single operation, plus the links that say from which state a payment may
 * enter another machine's INIT state. A test checks these tables against the XML, entry for entry.
 */
import { StateMachine, type Transition } from '@kb/kernel';
import type { OperationResult, TransactionType } from './model';

export const PAYMENT_STATE_NAMES = [
  'BIG_BANG_INIT',
  'AUTH_INIT',
  'AUTH_PENDING',
  'AUTH_SUCCESS',
  'AUTH_FAILED',
  'AUTH_ERRORED',
  'CAPTURE_INIT',
  'CAPTURE_PENDING',
  'CAPTURE_SUCCESS',
  'CAPTURE_FAILED',
  'CAPTURE_ERRORED',
  'PURCHASE_INIT',
  'PURCHASE_PENDING',
  'PURCHASE_SUCCESS',
  'PURCHASE_FAILED',
  'PURCHASE_ERRORED',
  'REFUND_INIT',
  'REFUND_PENDING',
  'REFUND_SUCCESS',
  'REFUND_FAILED',
  'REFUND_ERRORED',
  'CREDIT_INIT',
  'CREDIT_PENDING',
  'CREDIT_SUCCESS',
  'CREDIT_FAILED',
  'CREDIT_ERRORED',
  'VOID_INIT',
  'VOID_PENDING',
  'VOID_SUCCESS',
  'VOID_FAILED',
  'VOID_ERRORED',
  'CHARGEBACK_INIT',
  'CHARGEBACK_SUCCESS',
  'CHARGEBACK_FAILED',
  'CHARGEBACK_ERRORED',
] as const;
export type PaymentStateName = (typeof PAYMENT_STATE_NAMES)[number];

export type PaymentStateMachineName = 'BIG_BANG' | TransactionType;
export type PaymentOperationName = 'OP_DUMMY' | `OP_${TransactionType}`;

export interface PaymentStateMachineDefinition {
  readonly name: PaymentStateMachineName;
  readonly states: readonly PaymentStateName[];
  /** [initial state, operation result, final state], in the XML's order (each machine has one operation). */
  readonly transitions: readonly (readonly [PaymentStateName, OperationResult, PaymentStateName])[];
  readonly operation: PaymentOperationName;
}

export interface PaymentStateMachineLink {
  readonly fromMachine: PaymentStateMachineName;
  readonly fromState: PaymentStateName;
  readonly toMachine: PaymentStateMachineName;
  readonly toState: PaymentStateName;
}

export const PAYMENT_STATE_MACHINES: readonly PaymentStateMachineDefinition[] = [
  { name: 'BIG_BANG', states: ['BIG_BANG_INIT'], transitions: [['BIG_BANG_INIT', 'SUCCESS', 'BIG_BANG_INIT']], operation: 'OP_DUMMY' },
  {
    name: 'AUTHORIZE',
    states: ['AUTH_INIT', 'AUTH_PENDING', 'AUTH_SUCCESS', 'AUTH_FAILED', 'AUTH_ERRORED'],
    transitions: [
      ['AUTH_INIT', 'SUCCESS', 'AUTH_SUCCESS'],
      ['AUTH_INIT', 'FAILURE', 'AUTH_FAILED'],
      ['AUTH_INIT', 'PENDING', 'AUTH_PENDING'],
      ['AUTH_PENDING', 'SUCCESS', 'AUTH_SUCCESS'],
      ['AUTH_PENDING', 'FAILURE', 'AUTH_FAILED'],
      ['AUTH_PENDING', 'EXCEPTION', 'AUTH_ERRORED'],
      ['AUTH_INIT', 'EXCEPTION', 'AUTH_ERRORED'],
    ],
    operation: 'OP_AUTHORIZE',
  },
  {
    name: 'CAPTURE',
    states: ['CAPTURE_INIT', 'CAPTURE_PENDING', 'CAPTURE_SUCCESS', 'CAPTURE_FAILED', 'CAPTURE_ERRORED'],
    transitions: [
      ['CAPTURE_INIT', 'SUCCESS', 'CAPTURE_SUCCESS'],
      ['CAPTURE_INIT', 'FAILURE', 'CAPTURE_FAILED'],
      ['CAPTURE_INIT', 'PENDING', 'CAPTURE_PENDING'],
      ['CAPTURE_PENDING', 'SUCCESS', 'CAPTURE_SUCCESS'],
      ['CAPTURE_PENDING', 'FAILURE', 'CAPTURE_FAILED'],
      ['CAPTURE_PENDING', 'EXCEPTION', 'CAPTURE_ERRORED'],
      ['CAPTURE_INIT', 'EXCEPTION', 'CAPTURE_ERRORED'],
    ],
    operation: 'OP_CAPTURE',
  },
  {
    name: 'PURCHASE',
    states: ['PURCHASE_INIT', 'PURCHASE_PENDING', 'PURCHASE_SUCCESS', 'PURCHASE_FAILED', 'PURCHASE_ERRORED'],
    transitions: [
      ['PURCHASE_INIT', 'SUCCESS', 'PURCHASE_SUCCESS'],
      ['PURCHASE_INIT', 'FAILURE', 'PURCHASE_FAILED'],
      ['PURCHASE_INIT', 'PENDING', 'PURCHASE_PENDING'],
      ['PURCHASE_PENDING', 'SUCCESS', 'PURCHASE_SUCCESS'],
      ['PURCHASE_PENDING', 'FAILURE', 'PURCHASE_FAILED'],
      ['PURCHASE_PENDING', 'EXCEPTION', 'PURCHASE_ERRORED'],
      ['PURCHASE_INIT', 'EXCEPTION', 'PURCHASE_ERRORED'],
    ],
    operation: 'OP_PURCHASE',
  },
  {
    name: 'REFUND',
    states: ['REFUND_INIT', 'REFUND_PENDING', 'REFUND_SUCCESS', 'REFUND_FAILED', 'REFUND_ERRORED'],
    transitions: [
      ['REFUND_INIT', 'SUCCESS', 'REFUND_SUCCESS'],
      ['REFUND_INIT', 'FAILURE', 'REFUND_FAILED'],
      ['REFUND_INIT', 'PENDING', 'REFUND_PENDING'],
      ['REFUND_PENDING', 'SUCCESS', 'REFUND_SUCCESS'],
      ['REFUND_PENDING', 'FAILURE', 'REFUND_FAILED'],
      ['REFUND_PENDING', 'EXCEPTION', 'REFUND_ERRORED'],
      ['REFUND_INIT', 'EXCEPTION', 'REFUND_ERRORED'],
    ],
    operation: 'OP_REFUND',
  },
  {
    name: 'CREDIT',
    states: ['CREDIT_INIT', 'CREDIT_PENDING', 'CREDIT_SUCCESS', 'CREDIT_FAILED', 'CREDIT_ERRORED'],
    transitions: [
      ['CREDIT_INIT', 'SUCCESS', 'CREDIT_SUCCESS'],
      ['CREDIT_INIT', 'FAILURE', 'CREDIT_FAILED'],
      ['CREDIT_INIT', 'PENDING', 'CREDIT_PENDING'],
      ['CREDIT_PENDING', 'SUCCESS', 'CREDIT_SUCCESS'],
      ['CREDIT_PENDING', 'FAILURE', 'CREDIT_FAILED'],
      ['CREDIT_PENDING', 'EXCEPTION', 'CREDIT_ERRORED'],
      ['CREDIT_INIT', 'EXCEPTION', 'CREDIT_ERRORED'],
    ],
    operation: 'OP_CREDIT',
  },
  {
    name: 'VOID',
    states: ['VOID_INIT', 'VOID_PENDING', 'VOID_SUCCESS', 'VOID_FAILED', 'VOID_ERRORED'],
    transitions: [
      ['VOID_INIT', 'SUCCESS', 'VOID_SUCCESS'],
      ['VOID_INIT', 'FAILURE', 'VOID_FAILED'],
      ['VOID_INIT', 'PENDING', 'VOID_PENDING'],
      ['VOID_PENDING', 'SUCCESS', 'VOID_SUCCESS'],
      ['VOID_PENDING', 'FAILURE', 'VOID_FAILED'],
      ['VOID_PENDING', 'EXCEPTION', 'VOID_ERRORED'],
      ['VOID_INIT', 'EXCEPTION', 'VOID_ERRORED'],
    ],
    operation: 'OP_VOID',
  },
  {
    // Chargebacks never call a plugin: no PENDING state.
    name: 'CHARGEBACK',
    states: ['CHARGEBACK_INIT', 'CHARGEBACK_SUCCESS', 'CHARGEBACK_FAILED', 'CHARGEBACK_ERRORED'],
    transitions: [
      ['CHARGEBACK_INIT', 'SUCCESS', 'CHARGEBACK_SUCCESS'],
      ['CHARGEBACK_INIT', 'FAILURE', 'CHARGEBACK_FAILED'],
      ['CHARGEBACK_INIT', 'EXCEPTION', 'CHARGEBACK_ERRORED'],
    ],
    operation: 'OP_CHARGEBACK',
  },
];

export const PAYMENT_STATE_MACHINE_LINKS: readonly PaymentStateMachineLink[] = [
  { fromMachine: 'BIG_BANG', fromState: 'BIG_BANG_INIT', toMachine: 'AUTHORIZE', toState: 'AUTH_INIT' },
  { fromMachine: 'BIG_BANG', fromState: 'BIG_BANG_INIT', toMachine: 'PURCHASE', toState: 'PURCHASE_INIT' },
  { fromMachine: 'BIG_BANG', fromState: 'BIG_BANG_INIT', toMachine: 'CREDIT', toState: 'CREDIT_INIT' },
  { fromMachine: 'AUTHORIZE', fromState: 'AUTH_SUCCESS', toMachine: 'CAPTURE', toState: 'CAPTURE_INIT' },
  { fromMachine: 'AUTHORIZE', fromState: 'AUTH_SUCCESS', toMachine: 'VOID', toState: 'VOID_INIT' },
  { fromMachine: 'CAPTURE', fromState: 'CAPTURE_SUCCESS', toMachine: 'REFUND', toState: 'REFUND_INIT' },
  { fromMachine: 'CAPTURE', fromState: 'CAPTURE_SUCCESS', toMachine: 'CAPTURE', toState: 'CAPTURE_INIT' },
  { fromMachine: 'CAPTURE', fromState: 'CAPTURE_SUCCESS', toMachine: 'CHARGEBACK', toState: 'CHARGEBACK_INIT' },
  { fromMachine: 'REFUND', fromState: 'REFUND_SUCCESS', toMachine: 'REFUND', toState: 'REFUND_INIT' },
  { fromMachine: 'REFUND', fromState: 'REFUND_SUCCESS', toMachine: 'CHARGEBACK', toState: 'CHARGEBACK_INIT' },
  { fromMachine: 'PURCHASE', fromState: 'PURCHASE_SUCCESS', toMachine: 'REFUND', toState: 'REFUND_INIT' },
  { fromMachine: 'PURCHASE', fromState: 'PURCHASE_SUCCESS', toMachine: 'CHARGEBACK', toState: 'CHARGEBACK_INIT' },
  { fromMachine: 'CHARGEBACK', fromState: 'CHARGEBACK_SUCCESS', toMachine: 'CHARGEBACK', toState: 'CHARGEBACK_INIT' },
  { fromMachine: 'CHARGEBACK', fromState: 'CHARGEBACK_FAILED', toMachine: 'REFUND', toState: 'REFUND_INIT' },
];

/** Within the machines: a state and an operation's result lead to the next state. */
export const PAYMENT_TRANSITIONS = new StateMachine<PaymentStateName, OperationResult>(
  'payment transitions',
  PAYMENT_STATE_NAMES,
  PAYMENT_STATE_MACHINES.flatMap((machine) => machine.transitions.map(([from, on, to]): Transition<PaymentStateName, OperationResult> => ({ from, on, to }))),
);

/** Between the machines: from a state, the machine entered (named by its transaction type) and its INIT state. */
export const PAYMENT_LINKS = new StateMachine<PaymentStateName, PaymentStateMachineName>(
  'payment links',
  PAYMENT_STATE_NAMES,
  PAYMENT_STATE_MACHINE_LINKS.map(({ fromState, toMachine, toState }) => ({ from: fromState, on: toMachine, to: toState })),
);

/** The machine a state belongs to. */
export function machineOfState(state: PaymentStateName): PaymentStateMachineDefinition {
  const machine = PAYMENT_STATE_MACHINES.find((candidate) => candidate.states.includes(state));
  if (!machine) throw new Error(`payment state ${state} belongs to no machine`);
  return machine;
}
