import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import {
  accountBalance,
  accountCredit,
  computeCredit,
  type InvoiceItemRecord,
  type InvoiceItemType,
  type InvoicePaymentRecord,
  type InvoiceRecord,
  type InvoiceStatus,
  invoiceAmounts,
} from '@kb/invoice/engine';

const ACCOUNT = 'account-1';
const TODAY = LocalDate.parse('2013-09-10');
const NOW = new Date('2013-09-10T12:00:00Z');

let ids = 0;
const newId = () => `id-${++ids}`;

function item(invoiceId: string, type: InvoiceItemType, amount: string, extra: Partial<InvoiceItemRecord> = {}): InvoiceItemRecord {
  return {
    id: newId(),
    invoiceId,
    accountId: ACCOUNT,
    childAccountId: null,
    type,
    bundleId: null,
    subscriptionId: null,
    description: null,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: LocalDate.parse('2013-08-31'),
    endDate: null,
    amount: new Big(amount),
    rate: null,
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: NOW,
    ...extra,
  };
}

function payment(invoiceId: string, amount: string, extra: Partial<InvoicePaymentRecord> = {}): InvoicePaymentRecord {
  return {
    id: newId(),
    invoiceId,
    paymentId: newId(),
    type: 'ATTEMPT',
    status: 'SUCCESS',
    amount: new Big(amount),
    currency: 'USD',
    paymentDate: NOW,
    linkedInvoicePaymentId: null,
    ...extra,
  };
}

interface InvoiceSpec {
  status?: InvoiceStatus;
  invoiceDate?: string;
  writtenOff?: boolean;
  items: [InvoiceItemType, string][];
  payments?: (string | [string, Partial<InvoicePaymentRecord>])[];
}

function invoice(id: string, spec: InvoiceSpec, number: number): InvoiceRecord {
  return {
    id,
    accountId: ACCOUNT,
    invoiceNumber: number,
    invoiceDate: LocalDate.parse(spec.invoiceDate ?? '2013-09-01'),
    targetDate: null,
    currency: 'USD',
    status: spec.status ?? 'COMMITTED',
    migrated: false,
    parentInvoice: false,
    groupId: null,
    writtenOff: spec.writtenOff ?? false,
    createdDate: NOW,
    items: spec.items.map(([type, amount]) => item(id, type, amount)),
    payments: (spec.payments ?? []).map((p) => (typeof p === 'string' ? payment(id, p) : payment(id, p[0], p[1]))),
  };
}

function run(specs: Record<string, InvoiceSpec>, changed: string[], newInvoiceIds: string[] = []) {
  const invoices = Object.entries(specs).map(([id, spec], index) => invoice(id, spec, index + 1));
  const result = computeCredit({ invoices, changedInvoiceIds: changed, newInvoiceIds, today: TODAY, newItemId: newId, now: NOW });
  const after = invoices.map((i) => ({ ...i, items: [...i.items, ...result.items.filter((it) => it.invoiceId === i.id)] }));
  return {
    cba: result.items.map((it) => [it.invoiceId, it.amount.toFixed(2)]),
    adjusted: result.adjustedInvoiceIds,
    items: result.items,
    credit: accountCredit(after).toFixed(2),
    balance: accountBalance(after).toFixed(2),
    balanceOf: (id: string) => invoiceAmounts(after.find((i) => i.id === id)!).balance.toFixed(2),
  };
}

describe('computeCredit (Kill Bill CBADao, spec 1.10)', () => {
  it('E11: a committed credit invoice generates its credit; it then pays an external charge of 100 down to 80', () => {
    const credit = run({ credit: { items: [['CREDIT_ADJ', '-20']] } }, ['credit'], ['credit']);
    expect(credit.cba).toEqual([['credit', '20.00']]);
    expect(credit.credit).toBe('20.00');
    expect(credit.balanceOf('credit')).toBe('0.00');
    expect(credit.adjusted).toEqual([]);

    const charge = run({ credit: { items: [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']] }, charge: { items: [['EXTERNAL_CHARGE', '100']] } }, ['charge'], ['charge']);
    expect(charge.cba).toEqual([['charge', '-20.00']]);
    expect(charge.balanceOf('charge')).toBe('80.00');
    expect(charge.credit).toBe('0.00');
    expect(charge.balance).toBe('80.00');
  });

  it('a DRAFT credit invoice gets its CBA but the credit is not usable until committed', () => {
    const result = run(
      { unpaid: { items: [['RECURRING', '50']] }, credit: { status: 'DRAFT', items: [['CREDIT_ADJ', '-20']] } },
      ['credit'],
      [],
    );
    expect(result.cba).toEqual([['credit', '20.00']]);
    expect(result.credit).toBe('0.00');
    expect(result.balanceOf('unpaid')).toBe('50.00');
  });

  it('E2: an item adjustment on a paid invoice turns the excess into credit on that invoice', () => {
    const result = run({ paid: { items: [['RECURRING', '249.95'], ['ITEM_ADJ', '-10']], payments: ['249.95'] } }, ['paid']);
    expect(result.cba).toEqual([['paid', '10.00']]);
    expect(result.adjusted).toEqual(['paid']);
    expect(result.credit).toBe('10.00');
    expect(result.balance).toBe('-10.00');
  });

  it('E2: the repair invoice of a change (9.63 − 239.95) generates 230.32 of credit', () => {
    const result = run(
      {
        paid: { items: [['RECURRING', '249.95'], ['ITEM_ADJ', '-10'], ['CBA_ADJ', '10']], payments: ['249.95'] },
        repair: { invoiceDate: '2012-05-02', items: [['RECURRING', '9.63'], ['REPAIR_ADJ', '-239.95']] },
      },
      ['repair'],
      ['repair'],
    );
    expect(result.cba).toEqual([['repair', '230.32']]);
    expect(result.credit).toBe('240.32');
    expect(result.adjusted).toEqual([]);
  });

  it('E4: a cancellation credit of 333.33; a refund without adjustment reopens invoice #2, which uses the credit back to 0', () => {
    const cancel = run(
      { inv2: { items: [['RECURRING', '500']], payments: ['500'] }, inv3: { items: [['REPAIR_ADJ', '-333.33']] } },
      ['inv3'],
      ['inv3'],
    );
    expect(cancel.cba).toEqual([['inv3', '333.33']]);
    expect(cancel.credit).toBe('333.33');

    const refund = run(
      {
        inv2: { items: [['RECURRING', '500']], payments: ['500', ['-333.33', { type: 'REFUND' }]] },
        inv3: { items: [['REPAIR_ADJ', '-333.33'], ['CBA_ADJ', '333.33']] },
      },
      ['inv2'],
    );
    expect(refund.cba).toEqual([['inv2', '-333.33']]);
    expect(refund.adjusted).toEqual(['inv2']);
    expect(refund.balanceOf('inv2')).toBe('0.00');
    expect(refund.credit).toBe('0.00');
    expect(refund.balance).toBe('0.00');
  });

  it('E4(b): a refund of 333.33 with an item adjustment of 166.67 uses 166.66 of credit; 166.67 stays', () => {
    const result = run(
      {
        inv2: { items: [['RECURRING', '500'], ['ITEM_ADJ', '-166.67']], payments: ['500', ['-333.33', { type: 'REFUND' }]] },
        inv3: { items: [['REPAIR_ADJ', '-333.33'], ['CBA_ADJ', '333.33']] },
      },
      ['inv2'],
    );
    expect(result.cba).toEqual([['inv2', '-166.66']]);
    expect(result.credit).toBe('166.67');
    expect(result.balance).toBe('-166.67');
  });

  it('remaining credit pays the COMMITTED unpaid invoices oldest first, skipping DRAFT, VOID and written-off ones, until it runs out', () => {
    const result = run(
      {
        newer: { invoiceDate: '2013-09-05', items: [['RECURRING', '30']] },
        older: { invoiceDate: '2013-08-01', items: [['RECURRING', '40']] },
        draft: { status: 'DRAFT', invoiceDate: '2013-07-01', items: [['RECURRING', '10']] },
        voided: { status: 'VOID', invoiceDate: '2013-07-01', items: [['RECURRING', '10']] },
        writtenOff: { writtenOff: true, invoiceDate: '2013-07-01', items: [['RECURRING', '10']] },
        credit: { items: [['CREDIT_ADJ', '-50']] },
      },
      ['credit'],
      ['credit'],
    );
    expect(result.cba).toEqual([
      ['credit', '50.00'],
      ['older', '-40.00'],
      ['newer', '-10.00'],
    ]);
    expect(result.adjusted).toEqual(['older', 'newer']);
    expect(result.credit).toBe('0.00');
    expect(result.balanceOf('newer')).toBe('20.00');
  });

  it('an invoice with a PENDING payment attempt does not use credit', () => {
    const result = run(
      { credit: { items: [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']] }, pending: { items: [['RECURRING', '50']], payments: [['0', { status: 'PENDING' }]] } },
      ['pending'],
    );
    expect(result.cba).toEqual([]);
    expect(result.credit).toBe('20.00');
  });

  it('a changed DRAFT invoice that owes something uses no credit; a changed VOID invoice gets nothing', () => {
    const result = run(
      {
        credit: { items: [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']] },
        draft: { status: 'DRAFT', items: [['EXTERNAL_CHARGE', '5']] },
        voided: { status: 'VOID', items: [['ITEM_ADJ', '-5']] },
      },
      ['draft', 'voided'],
    );
    expect(result.cba).toEqual([]);
  });

  it('the credit of a voided invoice no longer counts: the invoices that had used it owe again, and nothing is consumed', () => {
    const result = run(
      {
        voidedCredit: { status: 'VOID', items: [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']] },
        charge: { items: [['EXTERNAL_CHARGE', '100'], ['CBA_ADJ', '-20']] },
      },
      [],
    );
    expect(result.cba).toEqual([]);
    expect(result.credit).toBe('-20.00');
  });

  it('CBA items carry the UTC day of the change, no bundle or subscription, and the invoice currency', () => {
    const { items } = run({ paid: { items: [['RECURRING', '10'], ['ITEM_ADJ', '-4']], payments: ['10'] } }, ['paid']);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'CBA_ADJ', startDate: TODAY, endDate: TODAY, bundleId: null, subscriptionId: null, currency: 'USD', createdDate: NOW });
  });

  it('balances are settled at the currency scale', () => {
    const result = run({ paid: { items: [['RECURRING', '10.004'], ['ITEM_ADJ', '-4']], payments: ['10'] } }, ['paid']);
    expect(result.cba).toEqual([['paid', '4.00']]);
    expect(result.items[0].amount.toString()).toBe('4');
  });
});
