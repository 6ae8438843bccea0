import { adminFixStates } from '@kb/payment/engine';
import { transaction } from './helpers';

describe('adminFixStates (Kill Bill PaymentAdmin fixPaymentTransactionState)', () => {
  const auth = transaction('AUTHORIZE', 'SUCCESS', '100');
  const capture = transaction('CAPTURE', 'UNKNOWN', '40');
  const payment = [auth, capture];
  const fix = (transactionId: string, transactionStatus: Parameters<typeof adminFixStates>[2]['transactionStatus'], states: { current?: string; last?: string } = {}) =>
    adminFixStates(payment, transactionId, { transactionStatus, currentPaymentStateName: states.current ?? null, lastSuccessPaymentState: states.last ?? null });

  it.each([
    ['SUCCESS', 'CAPTURE_SUCCESS', 'CAPTURE_SUCCESS'],
    ['PENDING', 'CAPTURE_PENDING', 'AUTH_SUCCESS'],
    ['PAYMENT_FAILURE', 'CAPTURE_FAILED', 'AUTH_SUCCESS'],
    ['PLUGIN_FAILURE', 'CAPTURE_ERRORED', 'AUTH_SUCCESS'],
    ['UNKNOWN', 'CAPTURE_ERRORED', 'AUTH_SUCCESS'],
  ] as const)('the latest transaction set %s: state %s, last success %s (an earlier SUCCESS when not a success)', (status, stateName, lastSuccessStateName) => {
    expect(fix(capture.id, status)).toEqual({ stateName, lastSuccessStateName });
  });

  it('without an earlier success, a failed latest transaction leaves no last successful state', () => {
    const purchase = transaction('PURCHASE', 'SUCCESS', '10');
    expect(adminFixStates([purchase], purchase.id, { transactionStatus: 'PAYMENT_FAILURE', currentPaymentStateName: null, lastSuccessPaymentState: null })).toEqual({
      stateName: 'PURCHASE_FAILED',
      lastSuccessStateName: null,
    });
  });

  it('an older transaction leaves the last successful state alone; the states given win', () => {
    expect(fix(auth.id, 'PAYMENT_FAILURE')).toEqual({ stateName: 'AUTH_FAILED', lastSuccessStateName: undefined });
    expect(fix(capture.id, 'SUCCESS', { current: 'CAPTURE_PENDING', last: 'AUTH_SUCCESS' })).toEqual({ stateName: 'CAPTURE_PENDING', lastSuccessStateName: 'AUTH_SUCCESS' });
  });

  it('refuses a transaction of another payment and unknown state names (7031)', () => {
    expect(() => fix('tx-other', 'SUCCESS')).toThrow(expect.objectContaining({ code: 7031 }));
    expect(() => fix(capture.id, 'SUCCESS', { current: 'CAPTURE_DONE' })).toThrow(expect.objectContaining({ code: 7031 }));
    expect(() => fix(capture.id, 'SUCCESS', { last: 'NOPE' })).toThrow(expect.objectContaining({ code: 7031 }));
  });
});
