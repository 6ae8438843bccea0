import Big from 'big.js';
import {
  type PaymentEndpointKind,
  type PaymentOutcome,
  type PluginCallResult,
  type TransactionStatus,
  httpAnswerOf,
  operationResultOf,
  pluginCallError,
  processedAmountsOf,
  transactionStatusOf,
} from '@kb/payment/engine';

describe('transactionStatusOf / operationResultOf (PaymentTransactionInfoPluginConverter)', () => {
  it.each<[string, PluginCallResult, TransactionStatus, string]>([
    ['PROCESSED', { kind: 'ANSWER', status: 'PROCESSED' }, 'SUCCESS', 'SUCCESS'],
    ['PENDING', { kind: 'ANSWER', status: 'PENDING' }, 'PENDING', 'PENDING'],
    ['ERROR', { kind: 'ANSWER', status: 'ERROR' }, 'PAYMENT_FAILURE', 'FAILURE'],
    ['CANCELED', { kind: 'ANSWER', status: 'CANCELED' }, 'PLUGIN_FAILURE', 'EXCEPTION'],
    ['UNDEFINED', { kind: 'ANSWER', status: 'UNDEFINED' }, 'UNKNOWN', 'EXCEPTION'],
    ['no status', { kind: 'ANSWER', status: null }, 'UNKNOWN', 'EXCEPTION'],
    ['a timeout', { kind: 'TIMEOUT' }, 'UNKNOWN', 'EXCEPTION'],
    ['an exception', { kind: 'EXCEPTION', message: 'boom' }, 'UNKNOWN', 'EXCEPTION'],
    ['a null result', { kind: 'NULL_RESULT' }, 'UNKNOWN', 'EXCEPTION'],
  ])('%s → %s / %s', (_name, result, status, operation) => {
    expect(transactionStatusOf(result)).toBe(status);
    expect(operationResultOf(result)).toBe(operation);
  });
});

describe('processedAmountsOf', () => {
  const requested = { amount: new Big('50'), currency: 'USD' as const };
  it('keeps the plugin amount on success, the requested one when it reports none, 0 on failure', () => {
    expect(processedAmountsOf('SUCCESS', { kind: 'ANSWER', status: 'PROCESSED', amount: new Big('30') }, requested).processedAmount.toFixed()).toBe('30');
    expect(processedAmountsOf('PENDING', { kind: 'ANSWER', status: 'PENDING' }, requested).processedAmount.toFixed()).toBe('50');
    const declined = processedAmountsOf('PAYMENT_FAILURE', { kind: 'ANSWER', status: 'ERROR', amount: new Big('50'), gatewayError: 'card declined', gatewayErrorCode: '05' }, requested);
    expect(declined).toEqual({ processedAmount: new Big(0), processedCurrency: 'USD', gatewayErrorCode: '05', gatewayErrorMsg: 'card declined' });
  });
});

describe('httpAnswerOf (spec 2.3)', () => {
  const transactionOutcome = (status: TransactionStatus): PaymentOutcome => ({ kind: 'TRANSACTION', status, gatewayErrorMsg: 'card declined' });
  it.each<[TransactionStatus, PaymentEndpointKind, number, string | null]>([
    ['SUCCESS', 'PAYMENT', 201, null],
    ['PENDING', 'PAYMENT', 201, null],
    ['PAYMENT_FAILURE', 'PAYMENT', 402, 'Payment decline by gateway. Error message: card declined'],
    ['PLUGIN_FAILURE', 'PAYMENT', 502, 'Failed to submit payment transaction'],
    ['UNKNOWN', 'PAYMENT', 503, 'Payment in unknown status, failed to receive gateway response.'],
    ['PAYMENT_SYSTEM_OFF', 'PAYMENT', 503, 'Payment system is off.'],
    ['PAYMENT_FAILURE', 'INVOICE_PAYMENT', 201, null],
    ['UNKNOWN', 'INVOICE_PAYMENT', 201, null],
    ['PAYMENT_FAILURE', 'VOID', 204, null],
    ['PENDING', 'COMPLETION', 204, null],
  ])('%s on %s → %i', (status, endpoint, code, message) => {
    const answer = httpAnswerOf(transactionOutcome(status), endpoint);
    expect(answer.status).toBe(code);
    expect(answer.body?.message ?? null).toBe(message);
    expect(answer.location).toBe(code === 201 || (endpoint === 'PAYMENT' && code >= 400));
    if (answer.body) expect(answer.body).toMatchObject({ className: 'org.killbill.billing.payment.api.PaymentApiException', code: null });
  });

  it('answers the plugin failures without an answer with their error codes', () => {
    const context = { accountId: 'a-1', pluginName: 'killbill-payment-test' };
    const timeout = pluginCallError({ kind: 'TIMEOUT' }, context)!;
    const thrown = pluginCallError({ kind: 'EXCEPTION', message: 'boom' }, context)!;
    const nothing = pluginCallError({ kind: 'NULL_RESULT' }, context)!;
    expect(httpAnswerOf({ kind: 'PLUGIN_TIMEOUT', error: timeout }, 'PAYMENT')).toMatchObject({ status: 504, body: { code: 7100 } });
    expect(httpAnswerOf({ kind: 'PLUGIN_EXCEPTION', error: thrown }, 'PAYMENT')).toMatchObject({ status: 400, body: { code: 7199, message: 'Plugin exception boom' } });
    expect(httpAnswerOf({ kind: 'PLUGIN_NULL_RESULT', error: nothing }, 'PAYMENT')).toMatchObject({ status: 500, body: { code: 7019 } });
    expect(pluginCallError({ kind: 'ANSWER', status: 'PROCESSED' }, context)).toBeNull();
  });

  it('answers a control plugin abort 422 on payment endpoints, 204 on invoice payment endpoints', () => {
    expect(httpAnswerOf({ kind: 'CONTROL_ABORTED' }, 'PAYMENT')).toMatchObject({ status: 422, body: { code: 7106 } });
    expect(httpAnswerOf({ kind: 'CONTROL_ABORTED' }, 'INVOICE_PAYMENT')).toEqual({ status: 204, location: false, body: null });
  });
});
