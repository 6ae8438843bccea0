/**
 * The invoice payment control plugin's decisions (Kill Bill's InvoicePaymentControlPluginApi#priorCall
 * and the invoice side of refunds and chargebacks it calls; spec 2.6, 2.7): whether an invoice
 * payment proceeds and for how much, or why it is aborted; how much a refund or a chargeback of an
 * invoice payment may be and which items it adjusts.
 */
import Big from 'big.js';
import { type Currency, KillBillError, formatMoney } from '@kb/kernel';
import { adjustableAmountOf, type InvoiceItemRecord, type InvoicePaymentRecord, type InvoiceRecord, invoiceAmounts } from '@kb/invoice/engine';
import type { PaymentTransactionRecord } from './model';

export const INVOICE_PAYMENT_CONTROL_PLUGIN_NAME = '__INVOICE_PAYMENT_CONTROL_PLUGIN__';
/** Plugin properties the control plugin reads. */
export const IPCD_INVOICE_ID = 'IPCD_INVOICE_ID';
export const IPCD_RETRIES = 'IPCD_RETRIES';
export const IPCD_REFUND_IDS_AMOUNTS = 'IPCD_REFUND_IDS_AMOUNTS';
export const IPCD_REFUND_WITH_ADJUSTMENTS = 'IPCD_REFUND_WITH_ADJUSTMENTS';
export const IPCD_PAYMENT_ID = 'IPCD_PAYMENT_ID';

const ZERO = new Big(0);

/** Why the control plugin aborts an invoice PURCHASE (each leaves the attempt ABORTED; over the API, a 204). */
export type InvoicePaymentAbortReason =
  | 'INVOICE_NOT_COMMITTED'
  | 'DELEGATED_TO_PARENT'
  | 'NOTHING_TO_PAY'
  /** Remember the attempt (replayed when AUTO_PAY_OFF is removed) with `amount`. */
  | 'AUTO_PAY_OFF'
  /** Record the attempt INIT on the invoice (INVOICE_PAYMENT_FAILED event) with the requested amount. */
  | 'NO_PAYMENT_METHOD'
  /** A transaction of an earlier payment of the invoice is UNKNOWN: paying now could charge twice. */
  | 'UNKNOWN_TRANSACTION';

/** An invoice ATTEMPT row left INIT although its transaction succeeded (a crash between the two): set it SUCCESS first. */
export interface InvoicePaymentRepair {
  readonly invoicePaymentId: string;
  readonly paymentId: string;
  readonly transactionExternalKey: string;
  readonly amount: Big;
  readonly currency: Currency | null;
  readonly processedCurrency: Currency | null;
}

export type InvoicePaymentDecision =
  | { readonly proceed: true; readonly amount: Big; readonly repair: InvoicePaymentRepair | null }
  | { readonly proceed: false; readonly reason: InvoicePaymentAbortReason; readonly amount: Big | null; readonly repair: InvoicePaymentRepair | null };

export interface InvoicePaymentRequest {
  readonly invoice: InvoiceRecord;
  /** Each invoice payment row's transaction external key (`payment_cookie_id`), by row id. */
  readonly cookieIds: ReadonlyMap<string, string | null>;
  /** The transactions with each of those keys, by key. */
  readonly transactionsByKey: ReadonlyMap<string, readonly PaymentTransactionRecord[]>;
  /** The amount asked for (null: the balance). */
  readonly requestedAmount: Big | null;
  readonly isApiPayment: boolean;
  /** The account has a parent and `isPaymentDelegatedToParent`. */
  readonly childDelegatingPayment: boolean;
  /** The invoice was summarised on a parent invoice (still true once the child is unparented). */
  readonly invoiceHasParent: boolean;
  /** The account is tagged AUTO_PAY_OFF or MANUAL_PAY. */
  readonly autoPayOff: boolean;
  /** The payment method to use (the account's default when none was given); null: none. */
  readonly paymentMethodId: string | null;
  /** org.killbill.payment.allow.emptyInvoice */
  readonly allowEmptyInvoice: boolean;
}

/** checkForIncompleteInvoicePaymentAndRepair: the first non-SUCCESS ATTEMPT row whose key has a SUCCESS transaction. */
export function incompleteInvoicePaymentRepair(
  request: Pick<InvoicePaymentRequest, 'invoice' | 'cookieIds' | 'transactionsByKey'>,
): InvoicePaymentRepair | null {
  const incomplete = request.invoice.payments.find((row) => row.type === 'ATTEMPT' && row.status !== 'SUCCESS');
  if (!incomplete) return null;
  const key = request.cookieIds.get(incomplete.id) ?? null;
  if (key === null) return null;
  const succeeded = (request.transactionsByKey.get(key) ?? []).find((transaction) => transaction.status === 'SUCCESS');
  if (!succeeded) return null;
  return {
    invoicePaymentId: incomplete.id,
    paymentId: succeeded.paymentId,
    transactionExternalKey: key,
    amount: succeeded.amount ?? ZERO,
    currency: succeeded.currency,
    processedCurrency: succeeded.processedCurrency,
  };
}

function withRepair(invoice: InvoiceRecord, repair: InvoicePaymentRepair | null): InvoiceRecord {
  if (repair === null) return invoice;
  const payments = invoice.payments.map((row): InvoicePaymentRecord =>
    row.id === repair.invoicePaymentId ? { ...row, status: 'SUCCESS', amount: repair.amount, paymentId: repair.paymentId } : row,
  );
  return { ...invoice, payments };
}

/**
 * The control plugin's checks of an invoice PURCHASE, in Kill Bill's order: not COMMITTED; paid by
 * the parent; the amount (balance ≤ 0 → 0; an API amount above the balance → PAYMENT_PLUGIN_EXCEPTION;
 * else the requested amount, or the balance) — 0 aborts unless empty invoices are allowed; AUTO_PAY_OFF
 * / MANUAL_PAY for system payments; no payment method; an UNKNOWN transaction on the invoice.
 * Proceeding means: write the INIT attempt row for `amount`, then call the plugin.
 */
export function invoicePaymentPriorCall(request: InvoicePaymentRequest): InvoicePaymentDecision {
  if (request.invoice.status !== 'COMMITTED') return { proceed: false, reason: 'INVOICE_NOT_COMMITTED', amount: null, repair: null };
  const repair = incompleteInvoicePaymentRepair(request);
  const invoice = withRepair(request.invoice, repair);
  const abort = (reason: InvoicePaymentAbortReason, amount: Big | null = null): InvoicePaymentDecision => ({ proceed: false, reason, amount, repair });

  if (request.childDelegatingPayment || request.invoiceHasParent) return abort('DELEGATED_TO_PARENT');

  const amount = paymentAmount(invoice, request.requestedAmount, request.isApiPayment);
  if (amount.lte(0)) return request.allowEmptyInvoice ? { proceed: true, amount, repair } : abort('NOTHING_TO_PAY');
  if (!request.isApiPayment && request.autoPayOff) return abort('AUTO_PAY_OFF', amount);
  if (request.paymentMethodId === null) return abort('NO_PAYMENT_METHOD', request.requestedAmount);

  for (const row of invoice.payments) {
    const key = request.cookieIds.get(row.id) ?? null;
    if (key === null) continue;
    if ((request.transactionsByKey.get(key) ?? []).some((transaction) => transaction.status === 'UNKNOWN')) return abort('UNKNOWN_TRANSACTION');
  }
  return { proceed: true, amount, repair };
}

function paymentAmount(invoice: InvoiceRecord, requested: Big | null, isApiPayment: boolean): Big {
  const { balance } = invoiceAmounts(invoice);
  if (balance.lte(0)) return ZERO;
  if (isApiPayment && requested !== null && balance.lt(requested)) {
    throw new KillBillError('PAYMENT_PLUGIN_EXCEPTION', [
      `Invalid amount '${requested.toFixed()}' for invoice '${invoice.id}': invoice balance is = '${formatMoney(balance, invoice.currency)}'`,
    ]);
  }
  return requested === null || balance.lt(requested) ? balance : requested;
}

/** The invoice payment row status a transaction status maps to (toInvoicePaymentStatus). */
export function invoicePaymentStatusOf(status: PaymentTransactionRecord['status']): InvoicePaymentRecord['status'] {
  return status === 'SUCCESS' ? 'SUCCESS' : status === 'PENDING' ? 'PENDING' : 'INIT';
}

/** onSuccessCall of a PURCHASE: the attempt row's amount is what the plugin processed, or the requested amount when it answered in another currency. */
export function invoicePaymentAmountOnSuccess(
  transaction: Pick<PaymentTransactionRecord, 'amount' | 'currency' | 'processedAmount' | 'processedCurrency'>,
): Big {
  return (transaction.currency === transaction.processedCurrency ? transaction.processedAmount : transaction.amount) ?? ZERO;
}

export interface InvoiceRefundRequest {
  /** The invoice the payment paid (with its items and payment rows). */
  readonly invoice: InvoiceRecord;
  /** The payment refunded. */
  readonly paymentId: string;
  /** The refund amount asked for (null: the items' amounts). */
  readonly amount: Big | null;
  readonly isAdjusted: boolean;
  /** Items to adjust with their amounts (null: the whole item), in request order. */
  readonly adjustments: ReadonlyMap<string, Big | null>;
  /** The items of all the account's invoices (default: the invoice's): a later invoice's REPAIR_ADJ also took from an item. */
  readonly accountItems?: readonly InvoiceItemRecord[];
}

export interface InvoiceRefundPlan {
  /** What is refunded (the REFUND transaction's amount; the REFUND row is its negation). */
  readonly amount: Big;
  /** The successful ATTEMPT row refunded (what the REFUND row links to). */
  readonly attempt: InvoicePaymentRecord;
  /** ITEM_ADJ to write when `isAdjusted`: the positive amount per item. */
  readonly itemAdjustments: ReadonlyMap<string, Big>;
}

/**
 * The checks of a refund through the invoice payment (the control plugin's computeRefundAmount,
 * then the invoice's createRefund), before anything is written: the amount (or the listed items'
 * amounts) must be positive; each listed item amount within the item; isAdjusted needs items (4025);
 * each adjustment within what is left of its item (4020); the refund within the paid amount (4906)
 * and not below the items adjusted (4907).
 */
export function invoiceRefundPlan(request: InvoiceRefundRequest): InvoiceRefundPlan {
  const { invoice, adjustments } = request;
  if ((request.amount === null || request.amount.eq(0)) && adjustments.size === 0) {
    throw new KillBillError('PAYMENT_PLUGIN_EXCEPTION', [
      `Refund for payment ${request.paymentId} aborted: requested refund amount is = ${request.amount?.toFixed() ?? null}`,
    ]);
  }
  let amount: Big;
  if (request.amount !== null) {
    if (request.amount.lte(0)) throw new KillBillError('PAYMENT_PLUGIN_EXCEPTION', ['You need to specify a positive refund amount']);
    amount = request.amount;
  } else {
    amount = ZERO;
    for (const [itemId, itemAmount] of adjustments) {
      const item = invoice.items.find((candidate) => candidate.id === itemId);
      if (!item) throw new KillBillError('PAYMENT_PLUGIN_EXCEPTION', ['Invalid plugin properties']);
      if (itemAmount !== null && (itemAmount.lte(0) || itemAmount.gt(item.amount))) {
        throw new KillBillError('PAYMENT_PLUGIN_EXCEPTION', ['You need to specify a valid invoice item amount']);
      }
      amount = amount.plus(itemAmount ?? item.amount);
    }
    if (amount.eq(0))
      throw new KillBillError('PAYMENT_PLUGIN_EXCEPTION', [
        `Refund for payment ${request.paymentId} aborted : invoice item sum amount is 0, requested refund amount is = null`,
      ]);
  }
  if (request.isAdjusted && adjustments.size === 0) throw new KillBillError('INVOICE_ITEMS_ADJUSTMENT_MISSING');

  const attempt = invoice.payments.find((row) => row.paymentId === request.paymentId && row.type === 'ATTEMPT' && row.status === 'SUCCESS');
  if (!attempt) throw new KillBillError('INVOICE_PAYMENT_BY_ATTEMPT_NOT_FOUND', [request.paymentId]);

  const itemAdjustments = request.isAdjusted ? adjustableAmounts(invoice, request.accountItems ?? invoice.items, adjustments) : new Map<string, Big>();
  if (amount.gt(attempt.amount)) throw new KillBillError('REFUND_AMOUNT_TOO_HIGH', [amount.toFixed(), attempt.amount.toFixed()]);
  const fromItems = [...itemAdjustments.values()].reduce((sum, value) => sum.plus(value), ZERO);
  if (!fromItems.eq(0) && amount.lt(fromItems)) throw new KillBillError('REFUND_AMOUNT_DONT_MATCH_ITEMS_TO_ADJUST', [amount.toFixed(), fromItems.toFixed()]);
  return { amount, attempt, itemAdjustments };
}

/** computeItemAdjustments: per item, the requested amount (at most what earlier ITEM_ADJ/REPAIR_ADJ left), or all that is left. */
function adjustableAmounts(invoice: InvoiceRecord, accountItems: readonly InvoiceItemRecord[], adjustments: ReadonlyMap<string, Big | null>): Map<string, Big> {
  const result = new Map<string, Big>();
  for (const [itemId, requested] of adjustments) {
    const item = invoice.items.find((candidate) => candidate.id === itemId);
    if (!item) throw new KillBillError('INVOICE_ITEM_NOT_FOUND', [itemId]);
    const left = adjustableAmountOf(item, accountItems);
    if (requested !== null && requested.gt(left)) throw new KillBillError('INVOICE_ITEM_ADJUSTMENT_AMOUNT_INVALID', [requested.toFixed(), left.toFixed()]);
    const adjusted = requested ?? left;
    if (adjusted.gt(0)) result.set(itemId, adjusted);
  }
  return result;
}

export interface InvoiceChargebackPlan {
  /** The chargeback amount (the CHARGED_BACK row is its negation). */
  readonly amount: Big;
  readonly attempt: InvoicePaymentRecord;
  /** False when the payment already has a CHARGED_BACK row: only the first chargeback is recorded on the invoice. */
  readonly recordOnInvoice: boolean;
}

/**
 * The invoice side of a chargeback (postChargeback): the amount defaults to what remains paid of the
 * ATTEMPT row (the row plus its successful refunds and chargebacks); it must be positive (4902) and
 * within that remainder (4901).
 */
export function invoiceChargebackPlan(invoice: InvoiceRecord, paymentId: string, requested: Big | null): InvoiceChargebackPlan {
  const rows = invoice.payments.filter((row) => row.paymentId === paymentId);
  const attempt = rows.find((row) => row.type === 'ATTEMPT');
  if (!attempt) throw new KillBillError('PAYMENT_NO_SUCH_PAYMENT', [paymentId]);
  const remaining = invoice.payments
    .filter((row) => row.status === 'SUCCESS' && (row.id === attempt.id || row.linkedInvoicePaymentId === attempt.id))
    .reduce((sum, row) => sum.plus(row.amount), ZERO);
  const amount = requested ?? remaining;
  if (amount.lte(0)) throw new KillBillError('CHARGE_BACK_AMOUNT_IS_NEGATIVE');
  if (amount.gt(remaining)) throw new KillBillError('CHARGE_BACK_AMOUNT_TOO_HIGH', [amount.toFixed(), remaining.toFixed()]);
  const recordOnInvoice = !rows.some((row) => row.type === 'CHARGED_BACK' && row.status === 'SUCCESS');
  return { amount, attempt, recordOnInvoice };
}
