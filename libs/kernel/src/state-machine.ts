/**
 * A transition-table state machine: the legal moves are data (from, on, to), anything else is a
 * typed refusal. The payment state machine (Kill Bill's PaymentStates.xml: an operation and its
 * result lead from one state to the next) and the subscription / invoice statuses are tables of it.
 */
export interface Transition<S extends string, E extends string> {
  readonly from: S;
  readonly on: E;
  readonly to: S;
}

export type NextState<S extends string, E extends string> =
  | { readonly ok: true; readonly state: S }
  | { readonly ok: false; readonly reason: 'UNKNOWN_STATE'; readonly state: string; readonly event: E }
  | { readonly ok: false; readonly reason: 'ILLEGAL_TRANSITION'; readonly state: S; readonly event: E };

export class StateMachine<S extends string, E extends string> {
  private readonly table = new Map<S, Map<E, S>>();

  constructor(
    readonly name: string,
    readonly states: readonly S[],
    transitions: readonly Transition<S, E>[],
  ) {
    for (const state of states) {
      if (this.table.has(state)) throw new Error(`${name}: state ${state} is declared twice`);
      this.table.set(state, new Map());
    }
    for (const { from, on, to } of transitions) {
      const moves = this.table.get(from);
      if (!moves) throw new Error(`${name}: transition from undeclared state ${from}`);
      if (!this.table.has(to)) throw new Error(`${name}: transition to undeclared state ${to}`);
      const existing = moves.get(on);
      if (existing !== undefined && existing !== to) throw new Error(`${name}: ${from} on ${on} leads to both ${existing} and ${to}`);
      moves.set(on, to);
    }
  }

  /** The state `event` leads to from `state`, or why it may not happen. */
  next(state: S, event: E): NextState<S, E> {
    const moves = this.table.get(state);
    if (!moves) return { ok: false, reason: 'UNKNOWN_STATE', state, event };
    const to = moves.get(event);
    return to === undefined ? { ok: false, reason: 'ILLEGAL_TRANSITION', state, event } : { ok: true, state: to };
  }

  can(state: S, event: E): boolean {
    return this.next(state, event).ok;
  }

  /** The events legal in `state`, in table order. */
  eventsFrom(state: S): E[] {
    return [...(this.table.get(state)?.keys() ?? [])];
  }

  /** A state no event leaves (e.g. a payment's SUCCESS after capture, an invoice VOID). */
  isTerminal(state: S): boolean {
    return this.eventsFrom(state).length === 0;
  }

  isState(value: string): value is S {
    return this.table.has(value as S);
  }
}
