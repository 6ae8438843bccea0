/**
 * A payment's amounts as its JSON shows them (Kill Bill's DefaultPayment, spec 2.1): per type the
 * successful transactions' processed amounts in the payment currency, a successful VOID cancelling
 * the most recent successful non-void transaction before it, chargebacks (not reversed) reducing the
 * captured and purchased amounts; each rounded to its currency.
 */
import Big from 'big.js';
import { type Currency, roundToCurrency } from '@kb/kernel';
import type { PaymentTransactionRecord, TransactionType } from './model';

export interface PaymentAggregates {
  readonly currency: Currency | null;
  readonly authAmount: Big;
  readonly capturedAmount: Big;
  readonly purchasedAmount: Big;
  readonly refundedAmount: Big;
  readonly creditedAmount: Big;
  readonly isAuthVoided: boolean;
}

type AmountsOf = Pick<PaymentTransactionRecord, 'type' | 'status' | 'externalKey' | 'amount' | 'currency' | 'processedAmount' | 'processedCurrency'>;

const ZERO = new Big(0);
const INITIAL_TYPES: ReadonlySet<TransactionType> = new Set(['AUTHORIZE', 'PURCHASE', 'CREDIT']);

/** The single currency of the transactions (processed or requested), or null when none or several. */
function singleCurrency(transactions: readonly AmountsOf[], processed: boolean): Currency | null {
  const currencies = new Set(transactions.map((transaction) => (processed ? transaction.processedCurrency : transaction.currency)));
  return currencies.size === 1 ? ([...currencies][0] ?? null) : null;
}

function total(transactions: readonly AmountsOf[], processed: boolean): Big {
  return transactions.reduce((sum, transaction) => sum.plus((processed ? transaction.processedAmount : transaction.amount) ?? ZERO), ZERO);
}

/** The payment currency: that of the first successful or pending AUTHORIZE/PURCHASE/CREDIT, else of the last one attempted. */
export function paymentCurrencyOf(transactions: readonly AmountsOf[]): Currency | null {
  const initial = transactions.filter((transaction) => INITIAL_TYPES.has(transaction.type));
  const chosen = initial.find((transaction) => transaction.status === 'SUCCESS' || transaction.status === 'PENDING') ?? initial[initial.length - 1];
  return chosen?.currency ?? null;
}

/**
 * The transactions of the chargebacks still standing: every transaction whose key is that of a
 * CHARGEBACK whose last SUCCESS was not followed by a failed CHARGEBACK (a reversal) with that key.
 */
function standingChargebacks(transactions: readonly AmountsOf[]): AmountsOf[] {
  const keys = new Set<string>();
  for (const transaction of transactions) {
    if (transaction.type !== 'CHARGEBACK') continue;
    if (transaction.status === 'SUCCESS') keys.add(transaction.externalKey);
    else if (transaction.status === 'PAYMENT_FAILURE') keys.delete(transaction.externalKey);
  }
  return transactions.filter((transaction) => transaction.type === 'CHARGEBACK' && keys.has(transaction.externalKey));
}

export function paymentAggregates(transactions: readonly AmountsOf[]): PaymentAggregates {
  const voided: AmountsOf[] = [];
  const standing: AmountsOf[] = [];
  let voidsPending = 0;
  for (const transaction of [...transactions].reverse()) {
    if (transaction.status !== 'SUCCESS') continue;
    if (transaction.type === 'VOID') voidsPending++;
    else if (voidsPending > 0) {
      voidsPending--;
      voided.push(transaction);
    } else standing.push(transaction);
  }
  const chargebacks = standingChargebacks(transactions);
  const chargebackProcessedCurrency = singleCurrency(chargebacks, true);
  const chargebackProcessedAmount = chargebackProcessedCurrency === null ? ZERO : total(chargebacks, true);
  const chargebackCurrency = singleCurrency(chargebacks, false);
  const chargebackAmount = chargebackCurrency === null ? ZERO : total(chargebacks, false);
  const currency = paymentCurrencyOf(transactions);

  const lessChargebacks = (amount: Big, inCurrency: Currency): Big => {
    let charged: Big;
    if (inCurrency === chargebackProcessedCurrency) charged = chargebackProcessedAmount;
    else if (inCurrency === chargebackCurrency) charged = chargebackAmount;
    // Chargebacks in another currency: nothing can be said to remain.
    else if (chargebacks.length > 0) charged = amount;
    else charged = ZERO;
    const rest = amount.minus(charged);
    return rest.lt(0) ? ZERO : rest;
  };

  const amountOf = (type: TransactionType): Big => {
    const candidates = standing.filter((transaction) => transaction.type === type);
    const reducedByChargebacks = type === 'CAPTURE' || type === 'PURCHASE';
    let inCurrency = singleCurrency(candidates, true);
    let processed = true;
    if (inCurrency === null || inCurrency !== currency) {
      inCurrency = singleCurrency(candidates, false);
      processed = false;
      // Several currencies, or not the payment's: no total.
      if (inCurrency === null || inCurrency !== currency) return ZERO;
    }
    const sum = total(candidates, processed);
    return roundToCurrency(reducedByChargebacks ? lessChargebacks(sum, inCurrency) : sum, inCurrency);
  };

  return {
    currency,
    authAmount: amountOf('AUTHORIZE'),
    capturedAmount: amountOf('CAPTURE'),
    purchasedAmount: amountOf('PURCHASE'),
    refundedAmount: amountOf('REFUND'),
    creditedAmount: amountOf('CREDIT'),
    isAuthVoided: voided.some((transaction) => transaction.type === 'AUTHORIZE'),
  };
}
