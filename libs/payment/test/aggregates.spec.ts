import Big from 'big.js';
import { paymentAggregates } from '@kb/payment/engine';
import { transaction as tx } from './helpers';

const amounts = (transactions: Parameters<typeof paymentAggregates>[0]) => {
  const result = paymentAggregates(transactions);
  return {
    auth: result.authAmount.toFixed(),
    captured: result.capturedAmount.toFixed(),
    purchased: result.purchasedAmount.toFixed(),
    refunded: result.refundedAmount.toFixed(),
    credited: result.creditedAmount.toFixed(),
    voided: result.isAuthVoided,
    currency: result.currency,
  };
};

// Cases from Kill Bill's TestDefaultPayment.
describe('paymentAggregates (DefaultPayment)', () => {
  it('a void cancels the most recent successful non-void transaction', () => {
    expect(amounts([tx('AUTHORIZE', 'SUCCESS', '10'), tx('VOID', 'SUCCESS', null)])).toMatchObject({ auth: '0', voided: true });
    expect(amounts([tx('AUTHORIZE', 'SUCCESS', '10'), tx('CAPTURE', 'SUCCESS', '10'), tx('VOID', 'SUCCESS', null)])).toMatchObject({ auth: '10', captured: '0', voided: false });
    expect(amounts([tx('AUTHORIZE', 'SUCCESS', '10'), tx('CAPTURE', 'SUCCESS', '10'), tx('VOID', 'SUCCESS', null), tx('VOID', 'SUCCESS', null)])).toMatchObject({
      auth: '0',
      captured: '0',
      voided: true,
    });
    expect(amounts([tx('AUTHORIZE', 'SUCCESS', '10'), tx('VOID', 'PAYMENT_FAILURE', null)])).toMatchObject({ auth: '10', voided: false });
  });

  it('sums successful partial captures and refunds, ignoring failures', () => {
    expect(
      amounts([tx('AUTHORIZE', 'SUCCESS', '10'), tx('CAPTURE', 'SUCCESS', '3'), tx('CAPTURE', 'PAYMENT_FAILURE', '3'), tx('CAPTURE', 'SUCCESS', '4'), tx('REFUND', 'SUCCESS', '2.5')]),
    ).toMatchObject({ auth: '10', captured: '7', refunded: '2.5' });
  });

  it('chargebacks reduce captures and purchases; a reversal (failed CHARGEBACK, same key) neutralises them', () => {
    expect(amounts([tx('AUTHORIZE', 'SUCCESS', '10'), tx('CAPTURE', 'SUCCESS', '10'), tx('CHARGEBACK', 'SUCCESS', '10', { externalKey: 'cb' })])).toMatchObject({ auth: '10', captured: '0' });
    expect(
      amounts([
        tx('AUTHORIZE', 'SUCCESS', '10'),
        tx('CAPTURE', 'SUCCESS', '10'),
        tx('REFUND', 'SUCCESS', '1'),
        tx('CHARGEBACK', 'SUCCESS', '10', { externalKey: 'cb' }),
        tx('CHARGEBACK', 'PAYMENT_FAILURE', '10', { externalKey: 'cb' }),
      ]),
    ).toMatchObject({ auth: '10', captured: '10', refunded: '1' });
    expect(amounts([tx('PURCHASE', 'SUCCESS', '10'), tx('CHARGEBACK', 'SUCCESS', '4', { externalKey: 'cb' })])).toMatchObject({ purchased: '6' });
    expect(amounts([tx('PURCHASE', 'SUCCESS', '10'), tx('CHARGEBACK', 'SUCCESS', '10', { externalKey: 'cb' }), tx('CHARGEBACK', 'PAYMENT_FAILURE', '10', { externalKey: 'cb' })])).toMatchObject({
      purchased: '10',
    });
  });

  it('a chargeback in another currency zeroes the purchase; totals are only in the payment currency', () => {
    expect(amounts([tx('PURCHASE', 'SUCCESS', '10', { currency: 'USD' }), tx('CHARGEBACK', 'SUCCESS', '1', { externalKey: 'cb', currency: 'EUR' })])).toMatchObject({ purchased: '0' });
    expect(
      amounts([
        tx('AUTHORIZE', 'SUCCESS', '10', { currency: 'EUR' }),
        tx('CAPTURE', 'SUCCESS', '10', { currency: 'USD' }),
        tx('CHARGEBACK', 'SUCCESS', '1', { externalKey: 'cb', currency: 'EUR' }),
        tx('CHARGEBACK', 'PAYMENT_FAILURE', '1', { externalKey: 'cb', currency: 'EUR' }),
      ]),
    ).toMatchObject({ currency: 'EUR', auth: '10', captured: '0' });
  });

  it('takes the currency of the first successful or pending initial transaction, else the last attempted', () => {
    expect(paymentAggregates([tx('PURCHASE', 'PAYMENT_FAILURE', '10', { currency: 'EUR' }), tx('PURCHASE', 'PENDING', '10', { currency: 'USD' })]).currency).toBe('USD');
    expect(paymentAggregates([tx('PURCHASE', 'PAYMENT_FAILURE', '10', { currency: 'EUR' }), tx('PURCHASE', 'PLUGIN_FAILURE', '10', { currency: 'GBP' })]).currency).toBe('GBP');
  });

  it('uses processed amounts, rounded to the currency', () => {
    const partial = tx('PURCHASE', 'SUCCESS', '10', { processedAmount: new Big('7.125') });
    expect(amounts([partial]).purchased).toBe('7.13');
    expect(amounts([tx('CREDIT', 'SUCCESS', '1000.4', { currency: 'JPY' })]).credited).toBe('1000');
  });
});
