import { KillBillError } from '@kb/kernel';
import {
  type PaymentRecord,
  type TransactionStatus,
  type TransactionType,
  checkOperation,
  lastSuccessStateAfter,
  legalOperationsFrom,
  resolvePaymentId,
  stateAfter,
} from '@kb/payment/engine';
import { transaction } from './helpers';

function codeOf(run: () => unknown): number | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof KillBillError) return error.code;
    throw error;
  }
  return undefined;
}

describe('legal operations from the last successful state (spec 2.4)', () => {
  it.each<[string | null, TransactionType[]]>([
    [null, ['AUTHORIZE', 'PURCHASE', 'CREDIT']],
    ['AUTH_SUCCESS', ['CAPTURE', 'VOID']],
    ['CAPTURE_SUCCESS', ['CAPTURE', 'REFUND', 'CHARGEBACK']],
    ['PURCHASE_SUCCESS', ['REFUND', 'CHARGEBACK']],
    ['REFUND_SUCCESS', ['REFUND', 'CHARGEBACK']],
    ['CHARGEBACK_SUCCESS', ['CHARGEBACK']],
    ['CHARGEBACK_FAILED', ['REFUND']],
    ['CREDIT_SUCCESS', []],
    ['VOID_SUCCESS', []],
    ['AUTH_FAILED', []],
    ['NOT_A_STATE', []],
  ])('from %s: %j', (state, operations) => {
    expect(legalOperationsFrom(state)).toEqual(operations);
  });
});

describe('stateAfter', () => {
  it.each<[TransactionType, TransactionStatus, string]>([
    ['AUTHORIZE', 'SUCCESS', 'AUTH_SUCCESS'],
    ['AUTHORIZE', 'PENDING', 'AUTH_PENDING'],
    ['PURCHASE', 'PAYMENT_FAILURE', 'PURCHASE_FAILED'],
    ['PURCHASE', 'PLUGIN_FAILURE', 'PURCHASE_ERRORED'],
    ['CAPTURE', 'UNKNOWN', 'CAPTURE_ERRORED'],
    ['REFUND', 'SUCCESS', 'REFUND_SUCCESS'],
    ['VOID', 'PENDING', 'VOID_PENDING'],
    ['CREDIT', 'PAYMENT_FAILURE', 'CREDIT_FAILED'],
    ['CHARGEBACK', 'SUCCESS', 'CHARGEBACK_SUCCESS'],
    ['CHARGEBACK', 'PAYMENT_FAILURE', 'CHARGEBACK_FAILED'],
  ])('%s %s → %s', (type, status, state) => {
    expect(stateAfter(type, status)).toBe(state);
  });

  it('has no PENDING chargeback', () => {
    expect(codeOf(() => stateAfter('CHARGEBACK', 'PENDING'))).toBe(7032);
  });

  it('keeps the last success state on failures; a chargeback reversal (CHARGEBACK_FAILED) counts as success', () => {
    expect(lastSuccessStateAfter('AUTH_SUCCESS', 'CAPTURE_FAILED')).toBe('AUTH_SUCCESS');
    expect(lastSuccessStateAfter(null, 'PURCHASE_ERRORED')).toBeNull();
    expect(lastSuccessStateAfter('AUTH_SUCCESS', 'CAPTURE_SUCCESS')).toBe('CAPTURE_SUCCESS');
    expect(lastSuccessStateAfter('CHARGEBACK_SUCCESS', 'CHARGEBACK_FAILED')).toBe('CHARGEBACK_FAILED');
  });
});

function payment(lastSuccessStateName: string | null, transactions = [transaction('AUTHORIZE', 'SUCCESS', '10')]): PaymentRecord {
  return { id: 'payment-1', accountId: 'account-1', stateName: lastSuccessStateName, lastSuccessStateName, transactions };
}

describe('checkOperation', () => {
  it('plans a capture of an authorization from CAPTURE_INIT', () => {
    expect(checkOperation(payment('AUTH_SUCCESS'), { accountId: 'account-1', transactionType: 'CAPTURE' })).toEqual({
      fromState: 'AUTH_SUCCESS',
      startState: 'CAPTURE_INIT',
      transactionToComplete: null,
    });
  });

  it('starts a new payment from BIG_BANG_INIT', () => {
    expect(checkOperation(null, { accountId: 'account-1', transactionType: 'PURCHASE' }).startState).toBe('PURCHASE_INIT');
    expect(codeOf(() => checkOperation(null, { accountId: 'account-1', transactionType: 'REFUND' }))).toBe(7032);
  });

  it('retries a failed capture from the last success state', () => {
    const failed = payment('AUTH_SUCCESS', [transaction('AUTHORIZE', 'SUCCESS', '10'), transaction('CAPTURE', 'PAYMENT_FAILURE', '10')]);
    expect(checkOperation(failed, { accountId: 'account-1', transactionType: 'CAPTURE' }).startState).toBe('CAPTURE_INIT');
  });

  it.each<[string, () => unknown, number]>([
    ['refund of an authorization', () => checkOperation(payment('AUTH_SUCCESS'), { accountId: 'account-1', transactionType: 'REFUND' }), 7032],
    ['void after a capture', () => checkOperation(payment('CAPTURE_SUCCESS'), { accountId: 'account-1', transactionType: 'VOID' }), 7032],
    ['payment of another account', () => checkOperation(payment('AUTH_SUCCESS'), { accountId: 'account-2', transactionType: 'CAPTURE' }), 7034],
    [
      'key of a successful transaction',
      () => {
        const captured = transaction('CAPTURE', 'SUCCESS', '5', { externalKey: 'k' });
        return checkOperation(payment('CAPTURE_SUCCESS'), { accountId: 'account-1', transactionType: 'CAPTURE', transactionExternalKey: 'k' }, [captured]);
      },
      7030,
    ],
    [
      'key of another account',
      () => {
        const other = transaction('CAPTURE', 'PAYMENT_FAILURE', '5', { externalKey: 'k', accountId: 'account-2' });
        return checkOperation(payment('AUTH_SUCCESS'), { accountId: 'account-1', transactionType: 'CAPTURE', transactionExternalKey: 'k' }, [other]);
      },
      7035,
    ],
    [
      'type mismatch on the key',
      () => {
        const pending = transaction('CAPTURE', 'PENDING', '5', { externalKey: 'k' });
        const p = payment('AUTH_SUCCESS', [transaction('AUTHORIZE', 'SUCCESS', '10'), pending]);
        return checkOperation(p, { accountId: 'account-1', transactionType: 'REFUND', transactionExternalKey: 'k' }, [pending]);
      },
      7031,
    ],
    [
      'completing an UNKNOWN transaction',
      () => {
        const unknown = transaction('CAPTURE', 'UNKNOWN', '5', { externalKey: 'k' });
        const p = payment('AUTH_SUCCESS', [transaction('AUTHORIZE', 'SUCCESS', '10'), unknown]);
        return checkOperation(p, { accountId: 'account-1', transactionType: 'CAPTURE', transactionExternalKey: 'k' }, [unknown]);
      },
      7032,
    ],
    [
      'a second initial transaction while one is PENDING',
      () => {
        const pending = transaction('AUTHORIZE', 'PENDING', '10', { externalKey: 'first' });
        return checkOperation(payment(null, [pending]), { accountId: 'account-1', transactionType: 'AUTHORIZE', transactionExternalKey: 'second' }, []);
      },
      7032,
    ],
    [
      'another currency',
      () => checkOperation(payment('AUTH_SUCCESS'), { accountId: 'account-1', transactionType: 'CAPTURE', currency: 'EUR' }),
      7031,
    ],
  ])('refuses %s', (_name, run, code) => {
    expect(codeOf(run)).toBe(code);
  });

  it('completes the PENDING transaction of the same key', () => {
    const pending = transaction('AUTHORIZE', 'PENDING', '10', { externalKey: 'k' });
    const plan = checkOperation(payment(null, [pending]), { accountId: 'account-1', transactionType: 'AUTHORIZE', transactionExternalKey: 'k' }, [pending]);
    expect(plan).toEqual({ fromState: 'BIG_BANG_INIT', startState: 'AUTH_INIT', transactionToComplete: pending });
  });

  it('lets a chargeback reuse the key of a chargeback (the reversal)', () => {
    const chargeback = transaction('CHARGEBACK', 'SUCCESS', '10', { externalKey: 'cb' });
    const p = payment('CHARGEBACK_SUCCESS', [transaction('PURCHASE', 'SUCCESS', '10'), chargeback]);
    expect(checkOperation(p, { accountId: 'account-1', transactionType: 'CHARGEBACK', transactionExternalKey: 'cb', currency: 'EUR' }, [chargeback]).startState).toBe('CHARGEBACK_INIT');
  });
});

describe('resolvePaymentId (spec 2.5)', () => {
  const failed = transaction('PURCHASE', 'PAYMENT_FAILURE', '10', { externalKey: 'k', paymentId: 'p-failed' });
  const live = transaction('PURCHASE', 'PENDING', '10', { externalKey: 'k', paymentId: 'p-live' });

  it('prefers the payment key, then a live transaction, then the failed ones, else a new payment', () => {
    expect(resolvePaymentId('pk', 'k', { paymentIdByExternalKey: 'p-key', transactionsWithKey: [failed, live] })).toBe('p-key');
    expect(resolvePaymentId('pk', 'k', { paymentIdByExternalKey: null, transactionsWithKey: [failed, live] })).toBe('p-live');
    expect(resolvePaymentId(null, 'k', { paymentIdByExternalKey: null, transactionsWithKey: [failed] })).toBe('p-failed');
    expect(resolvePaymentId(null, 'k', { paymentIdByExternalKey: null, transactionsWithKey: [] })).toBeNull();
    expect(resolvePaymentId(null, null, { paymentIdByExternalKey: null, transactionsWithKey: [failed] })).toBeNull();
  });

  it('refuses failed transactions of one key on two payments', () => {
    const elsewhere = { ...failed, id: 'tx-x', paymentId: 'p-other' };
    expect(codeOf(() => resolvePaymentId(null, 'k', { paymentIdByExternalKey: null, transactionsWithKey: [failed, elsewhere] }))).toBe(7019);
  });
});
