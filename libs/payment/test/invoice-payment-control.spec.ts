import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import type { InvoiceItemRecord, InvoicePaymentRecord, InvoiceRecord } from '@kb/invoice/engine';
import {
  type InvoicePaymentRequest,
  invoiceChargebackPlan,
  invoicePaymentAmountOnSuccess,
  invoicePaymentPriorCall,
  invoiceRefundPlan,
} from '@kb/payment/engine';
import { transaction } from './helpers';

const created = new Date('2012-05-01T00:00:00Z');

function item(id: string, amount: string, extra: Partial<InvoiceItemRecord> = {}): InvoiceItemRecord {
  return {
    id,
    invoiceId: 'inv-1',
    accountId: 'account-1',
    childAccountId: null,
    type: 'RECURRING',
    bundleId: null,
    subscriptionId: null,
    description: null,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: LocalDate.parse('2012-05-01'),
    endDate: LocalDate.parse('2012-06-01'),
    amount: new Big(amount),
    rate: null,
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: created,
    ...extra,
  };
}

function row(id: string, amount: string, extra: Partial<InvoicePaymentRecord> = {}): InvoicePaymentRecord {
  return { id, invoiceId: 'inv-1', paymentId: 'pay-1', type: 'ATTEMPT', status: 'SUCCESS', amount: new Big(amount), currency: 'USD', paymentDate: created, linkedInvoicePaymentId: null, ...extra };
}

function invoice(items: InvoiceItemRecord[], payments: InvoicePaymentRecord[] = [], extra: Partial<InvoiceRecord> = {}): InvoiceRecord {
  return {
    id: 'inv-1',
    accountId: 'account-1',
    invoiceNumber: 1,
    invoiceDate: LocalDate.parse('2012-05-01'),
    targetDate: LocalDate.parse('2012-05-01'),
    currency: 'USD',
    status: 'COMMITTED',
    migrated: false,
    parentInvoice: false,
    groupId: null,
    writtenOff: false,
    createdDate: created,
    items,
    payments,
    ...extra,
  };
}

function request(overrides: Partial<InvoicePaymentRequest> = {}): InvoicePaymentRequest {
  return {
    invoice: invoice([item('i-1', '500')]),
    cookieIds: new Map(),
    transactionsByKey: new Map(),
    requestedAmount: null,
    isApiPayment: false,
    childDelegatingPayment: false,
    invoiceHasParent: false,
    autoPayOff: false,
    paymentMethodId: 'pm-1',
    allowEmptyInvoice: false,
    ...overrides,
  };
}

function failure(run: () => unknown): { code: number; message: string } | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof KillBillError) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
}

describe('invoicePaymentPriorCall (InvoicePaymentControlPluginApi#priorCall)', () => {
  it('pays the balance of a committed invoice', () => {
    const decision = invoicePaymentPriorCall(request());
    expect(decision.proceed).toBe(true);
    expect(decision.amount?.toFixed()).toBe('500');
  });

  it('pays a smaller requested amount (partial payment), an API amount above the balance is refused', () => {
    expect(invoicePaymentPriorCall(request({ requestedAmount: new Big('120'), isApiPayment: true })).amount?.toFixed()).toBe('120');
    expect(failure(() => invoicePaymentPriorCall(request({ requestedAmount: new Big('600'), isApiPayment: true })))).toEqual({
      code: 7199,
      message: "Plugin exception Invalid amount '600' for invoice 'inv-1': invoice balance is = '500.00'",
    });
    // A system payment asking too much pays the balance.
    expect(invoicePaymentPriorCall(request({ requestedAmount: new Big('600') })).amount?.toFixed()).toBe('500');
  });

  it.each<[string, Partial<InvoicePaymentRequest>, string]>([
    ['a DRAFT invoice', { invoice: invoice([item('i-1', '500')], [], { status: 'DRAFT' }) }, 'INVOICE_NOT_COMMITTED'],
    ['a child paid by its parent', { childDelegatingPayment: true }, 'DELEGATED_TO_PARENT'],
    ['an invoice summarised on a parent', { invoiceHasParent: true, autoPayOff: true }, 'DELEGATED_TO_PARENT'],
    ['a paid invoice', { invoice: invoice([item('i-1', '500')], [row('p-1', '500')]) }, 'NOTHING_TO_PAY'],
    ['AUTO_PAY_OFF on a system payment', { autoPayOff: true, paymentMethodId: null }, 'AUTO_PAY_OFF'],
    ['no payment method', { paymentMethodId: null }, 'NO_PAYMENT_METHOD'],
  ])('aborts %s', (_name, overrides, reason) => {
    expect(invoicePaymentPriorCall(request(overrides))).toMatchObject({ proceed: false, reason });
  });

  it('ignores AUTO_PAY_OFF / MANUAL_PAY for API payments; allows an empty invoice when configured', () => {
    expect(invoicePaymentPriorCall(request({ autoPayOff: true, isApiPayment: true })).proceed).toBe(true);
    const paid = invoice([item('i-1', '500')], [row('p-1', '500')]);
    const decision = invoicePaymentPriorCall(request({ invoice: paid, allowEmptyInvoice: true, autoPayOff: true }));
    expect(decision.proceed).toBe(true);
    expect(decision.amount?.toFixed()).toBe('0');
  });

  it('aborts while an earlier payment of the invoice is UNKNOWN (no double charge)', () => {
    const unknown = transaction('PURCHASE', 'UNKNOWN', '500', { externalKey: 'cookie-1' });
    const decision = invoicePaymentPriorCall(
      request({
        invoice: invoice([item('i-1', '500')], [row('p-1', '0', { status: 'INIT' })]),
        cookieIds: new Map([['p-1', 'cookie-1']]),
        transactionsByKey: new Map([['cookie-1', [unknown]]]),
      }),
    );
    expect(decision).toMatchObject({ proceed: false, reason: 'UNKNOWN_TRANSACTION' });
  });

  it('repairs an INIT attempt whose transaction succeeded (crash after the plugin call) and then has nothing to pay', () => {
    const succeeded = transaction('PURCHASE', 'SUCCESS', '500', { externalKey: 'cookie-1', paymentId: 'pay-1' });
    const decision = invoicePaymentPriorCall(
      request({
        invoice: invoice([item('i-1', '500')], [row('p-1', '0', { status: 'INIT' })]),
        cookieIds: new Map([['p-1', 'cookie-1']]),
        transactionsByKey: new Map([['cookie-1', [succeeded]]]),
      }),
    );
    expect(decision).toMatchObject({ proceed: false, reason: 'NOTHING_TO_PAY', repair: { invoicePaymentId: 'p-1', paymentId: 'pay-1', transactionExternalKey: 'cookie-1' } });
    expect(decision.repair?.amount.toFixed()).toBe('500');
  });

  it('records what the plugin processed', () => {
    expect(invoicePaymentAmountOnSuccess(transaction('PURCHASE', 'SUCCESS', '500', { processedAmount: new Big('300') })).toFixed()).toBe('300');
    expect(invoicePaymentAmountOnSuccess(transaction('PURCHASE', 'SUCCESS', '500', { processedAmount: new Big('300'), processedCurrency: 'EUR' })).toFixed()).toBe('500');
  });
});

describe('invoiceRefundPlan', () => {
  const paid = invoice([item('i-1', '300'), item('i-2', '200')], [row('p-1', '500')]);
  const plan = (amount: string | null, isAdjusted: boolean, adjustments: [string, string | null][] = [], on = paid) =>
    invoiceRefundPlan({ invoice: on, paymentId: 'pay-1', amount: amount === null ? null : new Big(amount), isAdjusted, adjustments: new Map(adjustments.map(([id, value]) => [id, value === null ? null : new Big(value)])) });

  it('refunds an amount without adjustment, or the listed items with adjustments', () => {
    expect(plan('100', false).amount.toFixed()).toBe('100');
    const adjusted = plan(null, true, [['i-1', null], ['i-2', '50']]);
    expect(adjusted.amount.toFixed()).toBe('350');
    expect([...adjusted.itemAdjustments].map(([id, value]) => [id, value.toFixed()])).toEqual([
      ['i-1', '300'],
      ['i-2', '50'],
    ]);
    expect(adjusted.attempt.id).toBe('p-1');
  });

  it('adjusts only what earlier adjustments left of an item', () => {
    const partlyAdjusted = invoice([item('i-1', '300'), item('adj', '-100', { type: 'ITEM_ADJ', linkedItemId: 'i-1' })], [row('p-1', '500')]);
    expect(plan('200', true, [['i-1', null]], partlyAdjusted).itemAdjustments.get('i-1')?.toFixed()).toBe('200');
    expect(failure(() => plan('250', true, [['i-1', '250']], partlyAdjusted))?.code).toBe(4020);
  });

  it('counts a REPAIR_ADJ of the item on a later invoice of the account (E4: 500 − 333.33 repaired leaves 166.67)', () => {
    const e4 = invoice([item('i-1', '500')], [row('p-1', '500')]);
    const repair = item('repair', '-333.33', { invoiceId: 'inv-3', type: 'REPAIR_ADJ', linkedItemId: 'i-1' });
    const request = (value: string) => ({ invoice: e4, paymentId: 'pay-1', amount: new Big('333.33'), isAdjusted: true, adjustments: new Map([['i-1', new Big(value)]]), accountItems: [...e4.items, repair] });
    expect(failure(() => invoiceRefundPlan(request('333.33')))?.code).toBe(4020);
    expect(invoiceRefundPlan(request('166.67')).itemAdjustments.get('i-1')?.toFixed()).toBe('166.67');
  });

  it.each<[string, () => unknown, number]>([
    ['no amount and no items', () => plan(null, false), 7199],
    ['a negative amount', () => plan('-5', false), 7199],
    ['an item amount above the item', () => plan(null, true, [['i-2', '250']]), 7199],
    ['isAdjusted without items', () => plan('100', true), 4025],
    ['more than was paid', () => plan('600', false), 4906],
    ['less than the items adjusted', () => plan('100', true, [['i-1', null]]), 4907],
    ['a payment that paid nothing', () => plan('100', false, [], invoice([item('i-1', '300')], [row('p-1', '0', { status: 'INIT' })])), 4905],
  ])('refuses %s', (_name, run, code) => {
    expect(failure(run)?.code).toBe(code);
  });
});

describe('invoiceChargebackPlan', () => {
  it('charges back up to what remains paid after refunds; only the first chargeback is recorded on the invoice', () => {
    const refunded = invoice([item('i-1', '500')], [row('p-1', '500'), row('r-1', '-100', { type: 'REFUND', linkedInvoicePaymentId: 'p-1' })]);
    expect(invoiceChargebackPlan(refunded, 'pay-1', null).amount.toFixed()).toBe('400');
    expect(invoiceChargebackPlan(refunded, 'pay-1', new Big('400')).recordOnInvoice).toBe(true);
    expect(failure(() => invoiceChargebackPlan(refunded, 'pay-1', new Big('401')))).toEqual({ code: 4901, message: 'Tried to charge back 401 of a 400 payment.' });
    expect(failure(() => invoiceChargebackPlan(refunded, 'pay-1', new Big('0')))?.code).toBe(4902);
    const chargedBack = invoice([item('i-1', '500')], [row('p-1', '500'), row('c-1', '-100', { type: 'CHARGED_BACK', linkedInvoicePaymentId: 'p-1' })]);
    expect(invoiceChargebackPlan(chargedBack, 'pay-1', new Big('100')).recordOnInvoice).toBe(false);
  });
});
