import { StateMachine } from '@kb/kernel';

type PaymentState = 'INIT' | 'AUTH_SUCCESS' | 'AUTH_FAILED' | 'CAPTURE_SUCCESS' | 'VOIDED';
type PaymentEvent = 'AUTHORIZE:SUCCESS' | 'AUTHORIZE:FAILURE' | 'CAPTURE:SUCCESS' | 'VOID:SUCCESS';

const payments = new StateMachine<PaymentState, PaymentEvent>(
  'payment',
  ['INIT', 'AUTH_SUCCESS', 'AUTH_FAILED', 'CAPTURE_SUCCESS', 'VOIDED'],
  [
    { from: 'INIT', on: 'AUTHORIZE:SUCCESS', to: 'AUTH_SUCCESS' },
    { from: 'INIT', on: 'AUTHORIZE:FAILURE', to: 'AUTH_FAILED' },
    { from: 'AUTH_SUCCESS', on: 'CAPTURE:SUCCESS', to: 'CAPTURE_SUCCESS' },
    { from: 'AUTH_SUCCESS', on: 'VOID:SUCCESS', to: 'VOIDED' },
    { from: 'CAPTURE_SUCCESS', on: 'CAPTURE:SUCCESS', to: 'CAPTURE_SUCCESS' },
  ],
);

describe('StateMachine', () => {
  it.each<[PaymentState, PaymentEvent, PaymentState]>([
    ['INIT', 'AUTHORIZE:SUCCESS', 'AUTH_SUCCESS'],
    ['INIT', 'AUTHORIZE:FAILURE', 'AUTH_FAILED'],
    ['AUTH_SUCCESS', 'CAPTURE:SUCCESS', 'CAPTURE_SUCCESS'],
    ['AUTH_SUCCESS', 'VOID:SUCCESS', 'VOIDED'],
    ['CAPTURE_SUCCESS', 'CAPTURE:SUCCESS', 'CAPTURE_SUCCESS'],
  ])('%s on %s goes to %s', (from, event, to) => {
    expect(payments.next(from, event)).toEqual({ ok: true, state: to });
    expect(payments.can(from, event)).toBe(true);
  });

  it.each<[PaymentState, PaymentEvent]>([
    ['INIT', 'CAPTURE:SUCCESS'],
    ['AUTH_FAILED', 'CAPTURE:SUCCESS'],
    ['VOIDED', 'VOID:SUCCESS'],
    ['CAPTURE_SUCCESS', 'VOID:SUCCESS'],
  ])('refuses %s on %s', (from, event) => {
    expect(payments.next(from, event)).toEqual({ ok: false, reason: 'ILLEGAL_TRANSITION', state: from, event });
    expect(payments.can(from, event)).toBe(false);
  });

  it('refuses a state it does not know (e.g. a corrupt stored value)', () => {
    expect(payments.next('SETTLED' as PaymentState, 'CAPTURE:SUCCESS')).toEqual({
      ok: false,
      reason: 'UNKNOWN_STATE',
      state: 'SETTLED',
      event: 'CAPTURE:SUCCESS',
    });
    expect(payments.isState('SETTLED')).toBe(false);
    expect(payments.isState('VOIDED')).toBe(true);
  });

  it('lists the events of a state and its terminal states', () => {
    expect(payments.eventsFrom('INIT')).toEqual(['AUTHORIZE:SUCCESS', 'AUTHORIZE:FAILURE']);
    expect(payments.isTerminal('VOIDED')).toBe(true);
    expect(payments.isTerminal('AUTH_FAILED')).toBe(true);
    expect(payments.isTerminal('CAPTURE_SUCCESS')).toBe(false);
  });

  it('refuses a table that is not one', () => {
    expect(() => new StateMachine<'A' | 'B', 'go'>('t', ['A'], [{ from: 'A', on: 'go', to: 'B' }])).toThrow('undeclared state B');
    expect(() => new StateMachine<'A' | 'B', 'go'>('t', ['B'], [{ from: 'A', on: 'go', to: 'B' }])).toThrow('undeclared state A');
    expect(() => new StateMachine<'A', 'go'>('t', ['A', 'A'], [])).toThrow('declared twice');
    expect(
      () =>
        new StateMachine<'A' | 'B', 'go'>(
          't',
          ['A', 'B'],
          [
            { from: 'A', on: 'go', to: 'A' },
            { from: 'A', on: 'go', to: 'B' },
          ],
        ),
    ).toThrow('leads to both');
  });
});
