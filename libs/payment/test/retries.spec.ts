import {
  DEFAULT_PAYMENT_RETRY_CONFIG,
  RETRY_TRANSITIONS,
  attemptStateAfter,
  incompleteAttemptCheck,
  isIncompleteAttemptDue,
  janitorRepair,
  nextJanitorCheck,
  nextRetryDate,
  retryDelay,
} from '@kb/payment/engine';

const now = new Date('2012-05-01T00:00:00.000Z');
const plus = (ms: number) => new Date(now.getTime() + ms).toISOString();
const DAY = 86_400_000;

describe('payment failure retries (org.killbill.payment.retry.days = 8,8,8)', () => {
  it('retries 8 days after each of the first three declines, never after the fourth (spec E5)', () => {
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE'], isApiPayment: false, ipcdRetries: false, now })?.toISOString()).toBe('2012-05-09T00:00:00.000Z');
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE', 'PAYMENT_FAILURE', 'PAYMENT_FAILURE'], isApiPayment: false, ipcdRetries: false, now })?.toISOString()).toBe(plus(8 * DAY));
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE', 'PAYMENT_FAILURE', 'PAYMENT_FAILURE', 'PAYMENT_FAILURE'], isApiPayment: false, ipcdRetries: false, now })).toBeNull();
  });

  it('follows a per-tenant list', () => {
    const config = { ...DEFAULT_PAYMENT_RETRY_CONFIG, paymentFailureRetryDays: [1, 2] };
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE', 'PAYMENT_FAILURE'], isApiPayment: false, ipcdRetries: false, now, config })?.toISOString()).toBe(plus(2 * DAY));
  });

  it('never retries API payments (unless IPCD_RETRIES), UNKNOWN or successful ones', () => {
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE'], isApiPayment: true, ipcdRetries: false, now })).toBeNull();
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE'], isApiPayment: true, ipcdRetries: true, now })?.toISOString()).toBe(plus(8 * DAY));
    expect(nextRetryDate({ purchaseStatuses: ['UNKNOWN'], isApiPayment: false, ipcdRetries: false, now })).toBeNull();
    expect(nextRetryDate({ purchaseStatuses: [], isApiPayment: false, ipcdRetries: false, now })).toBeNull();
  });
});

describe('plugin failure retries (start 300 s, multiplier 2, max 8)', () => {
  it.each<[number, number | null]>([
    [1, 300],
    [2, 300],
    [3, 600],
    [4, 1200],
    [8, 19200],
    [9, null],
  ])('after failure %i: %p seconds', (failures, seconds) => {
    expect(retryDelay('PLUGIN_FAILURE', failures)).toEqual(seconds === null ? null : { unit: 'seconds', amount: seconds });
  });

  it('counts only the failures of the last kind', () => {
    expect(nextRetryDate({ purchaseStatuses: ['PAYMENT_FAILURE', 'PLUGIN_FAILURE', 'PLUGIN_FAILURE', 'PLUGIN_FAILURE'], isApiPayment: false, ipcdRetries: false, now })?.toISOString()).toBe(plus(600_000));
  });
});

describe('janitor schedules', () => {
  it('polls UNKNOWN at 5m,1h,1d,1d,1d,1d,1d and PENDING at 1h,1d', () => {
    const unknown = [1, 2, 3, 7, 8].map((attempt) => nextJanitorCheck('UNKNOWN', attempt, now)?.toISOString() ?? null);
    expect(unknown).toEqual([plus(300_000), plus(3_600_000), plus(DAY), plus(DAY), null]);
    expect([1, 2, 3].map((attempt) => nextJanitorCheck('PENDING', attempt, now)?.toISOString() ?? null)).toEqual([plus(3_600_000), plus(DAY), null]);
    expect(nextJanitorCheck('SUCCESS', 1, now)).toBeNull();
  });

  it('reconciles INIT attempts older than 12 hours', () => {
    expect(isIncompleteAttemptDue(new Date(now.getTime() - 12 * 3_600_000), now)).toBe(true);
    expect(isIncompleteAttemptDue(new Date(now.getTime() - 11 * 3_600_000), now)).toBe(false);
    // The check scheduled with an attempt is due exactly when the attempt becomes incomplete.
    expect(incompleteAttemptCheck(now).toISOString()).toBe('2012-05-01T12:00:00.000Z');
    expect(isIncompleteAttemptDue(now, incompleteAttemptCheck(now))).toBe(true);
  });

  it('settles a transaction from the plugin answer, keeps it when the answer is no better', () => {
    expect(janitorRepair('PURCHASE', 'UNKNOWN', { kind: 'ANSWER', status: 'PROCESSED' })).toEqual({ changed: true, status: 'SUCCESS', stateName: 'PURCHASE_SUCCESS' });
    expect(janitorRepair('AUTHORIZE', 'PENDING', { kind: 'ANSWER', status: 'ERROR' })).toEqual({ changed: true, status: 'PAYMENT_FAILURE', stateName: 'AUTH_FAILED' });
    expect(janitorRepair('PURCHASE', 'UNKNOWN', { kind: 'ANSWER', status: 'CANCELED' })).toEqual({ changed: true, status: 'PLUGIN_FAILURE', stateName: 'PURCHASE_ERRORED' });
    expect(janitorRepair('PURCHASE', 'UNKNOWN', { kind: 'EXCEPTION' })).toEqual({ changed: false, status: 'UNKNOWN' });
    expect(janitorRepair('PURCHASE', 'PENDING', { kind: 'ANSWER', status: 'UNDEFINED' })).toEqual({ changed: false, status: 'PENDING' });
    expect(janitorRepair('PURCHASE', 'PENDING', { kind: 'ANSWER', status: 'PENDING' })).toEqual({ changed: false, status: 'PENDING' });
  });
});

describe('the attempt (retry) machine', () => {
  it('moves INIT/RETRIED on OP_RETRY results and restarts ABORTED', () => {
    expect(attemptStateAfter('INIT', 'SUCCESS')).toBe('SUCCESS');
    expect(attemptStateAfter('INIT', 'FAILURE')).toBe('RETRIED');
    expect(attemptStateAfter('RETRIED', 'EXCEPTION')).toBe('ABORTED');
    expect(attemptStateAfter('SUCCESS', 'FAILURE')).toBeNull();
    expect(attemptStateAfter('INIT', 'PENDING')).toBeNull();
    expect(RETRY_TRANSITIONS.next('ABORTED', 'RESTART')).toEqual({ ok: true, state: 'INIT' });
  });
});
