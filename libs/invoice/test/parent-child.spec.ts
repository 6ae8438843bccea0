import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import {
  accountBalance,
  childInvoiceAmount,
  computeCredit,
  type InvoiceItemRecord,
  type InvoiceItemType,
  type InvoiceRecord,
  type InvoiceStatus,
  invoiceAmounts,
  opensNoParentDraft,
  parentBalances,
  unpaidInvoices,
} from '@kb/invoice/engine';

/** Hierarchical accounts in the balance and credit engines (spec 1.16; Kill Bill's InvoiceCalculatorUtils, CBADao, DefaultInvoiceDao#getAccountBalance). */
const CHILD = 'child-account';
const PARENT = 'parent-account';
const NOW = new Date('2015-06-14T12:00:00Z');
let ids = 0;

function item(invoiceId: string, accountId: string, type: InvoiceItemType, amount: string, childAccountId: string | null = null): InvoiceItemRecord {
  return {
    id: `item-${++ids}`,
    invoiceId,
    accountId,
    childAccountId,
    type,
    bundleId: null,
    subscriptionId: null,
    description: null,
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: LocalDate.parse('2015-06-14'),
    endDate: null,
    amount: new Big(amount),
    rate: null,
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: NOW,
  };
}

function invoice(id: string, accountId: string, items: [InvoiceItemType, string][], options: { status?: InvoiceStatus; paid?: string; writtenOff?: boolean } = {}): InvoiceRecord {
  return {
    id,
    accountId,
    invoiceNumber: ++ids,
    invoiceDate: LocalDate.parse('2015-06-14'),
    targetDate: null,
    currency: 'USD',
    status: options.status ?? 'COMMITTED',
    migrated: false,
    parentInvoice: accountId === PARENT,
    groupId: null,
    writtenOff: options.writtenOff ?? false,
    createdDate: NOW,
    items: items.map(([type, amount]) => item(id, accountId, type, amount, accountId === PARENT && type === 'PARENT_SUMMARY' ? CHILD : null)),
    payments: options.paid
      ? [{ id: `p-${++ids}`, invoiceId: id, paymentId: 'pay', type: 'ATTEMPT', status: 'SUCCESS', amount: new Big(options.paid), currency: 'USD', paymentDate: NOW, linkedInvoicePaymentId: null }]
      : [],
  };
}

describe('childInvoiceAmount / opensNoParentDraft (computeChildInvoiceAmount, shouldIgnoreChildInvoice)', () => {
  it.each([
    ['a RECURRING invoice', [['RECURRING', '249.95']], '249.95', false],
    ['a $0 trial (FIXED)', [['FIXED', '0']], '0.00', false],
    ['a charge partly paid by credit', [['EXTERNAL_CHARGE', '50'], ['CBA_ADJ', '-20']], '30.00', false],
    ['a charge with an item adjustment', [['EXTERNAL_CHARGE', '50'], ['ITEM_ADJ', '-5']], '45.00', false],
    ['a credit invoice (no charge: its credit negated)', [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']], '-20.00', true],
    ['a repair only (no charge)', [['REPAIR_ADJ', '-10'], ['CBA_ADJ', '10']], '-10.00', true],
    ['$0 usage without FIXED/RECURRING', [['USAGE', '0']], '0.00', true],
  ] as [string, [InvoiceItemType, string][], string, boolean][])('%s', (_name, items, amount, ignored) => {
    const child = invoice('c', CHILD, items);
    const computed = childInvoiceAmount(child);
    expect(computed.toFixed(2)).toBe(amount);
    expect(opensNoParentDraft(child, computed)).toBe(ignored);
  });
});

describe('a child invoice owes what its parent owes', () => {
  const child = invoice('child-1', CHILD, [['RECURRING', '249.95']]);
  const cases: [string, InvoiceRecord, string][] = [
    ['parent DRAFT', invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { status: 'DRAFT' }), '0.00'],
    ['parent VOID', invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { status: 'VOID' }), '0.00'],
    ['parent written off', invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { writtenOff: true }), '0.00'],
    ['parent paid', invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { paid: '249.95' }), '0.00'],
    ['parent COMMITTED unpaid', invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']]), '249.95'],
  ];
  it.each(cases)('%s', (_name, parent, owed) => {
    const balances = parentBalances(new Map([[child.id, parent]]));
    expect(invoiceAmounts(child, { parentRawBalance: balances.get(child.id) }).balance.toFixed(2)).toBe(owed);
    expect(accountBalance([child], balances).toFixed(2)).toBe(owed);
  });

  it('without a parent, the child owes its own balance', () => {
    expect(accountBalance([child], parentBalances(new Map())).toFixed(2)).toBe('249.95');
    expect(invoiceAmounts(child).balance.toFixed(2)).toBe('249.95');
  });

  it("unpaid invoices: a child is unpaid while its parent's raw balance is positive (DRAFT included), not once the parent is paid", () => {
    const draft = invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { status: 'DRAFT' });
    const paid = invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { paid: '249.95' });
    expect(unpaidInvoices([child], new Map([[child.id, draft]])).map((i) => i.id)).toEqual(['child-1']);
    expect(unpaidInvoices([child], new Map([[child.id, paid]]))).toEqual([]);
    expect(unpaidInvoices([child]).map((i) => i.id)).toEqual(['child-1']);
  });
});

describe('the credit engine on a child account', () => {
  const credit = (invoices: InvoiceRecord[], parents: Map<string, InvoiceRecord>) =>
    computeCredit({ invoices, changedInvoiceIds: [], today: LocalDate.parse('2015-06-15'), newItemId: () => `cba-${++ids}`, now: NOW, parents }).items.map((cba) => [
      cba.invoiceId,
      cba.amount.toFixed(2),
    ]);

  it('does not spend credit on a child invoice its parent already paid', () => {
    const child = invoice('child-1', CHILD, [['RECURRING', '249.95']]);
    const creditInvoice = invoice('credit-1', CHILD, [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']]);
    const paidParent = invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { paid: '249.95' });
    expect(credit([child, creditInvoice], new Map([[child.id, paidParent]]))).toEqual([]);
    // Without the parent the credit would pay the child invoice.
    expect(credit([child, creditInvoice], new Map())).toEqual([['child-1', '-20.00']]);
  });

  it('spends credit on a child invoice whose parent still owes (DRAFT)', () => {
    const child = invoice('child-1', CHILD, [['RECURRING', '249.95']]);
    const creditInvoice = invoice('credit-1', CHILD, [['CREDIT_ADJ', '-20'], ['CBA_ADJ', '20']]);
    const draftParent = invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { status: 'DRAFT' });
    expect(credit([child, creditInvoice], new Map([[child.id, draftParent]]))).toEqual([['child-1', '-20.00']]);
  });

  it('a paid parent that billed more than the child now charges gives the child the difference as credit', () => {
    // Child adjusted by 10 after the parent was paid 249.95: charged 239.95 − 249.95 billed = −10 (CBADao#getInvoiceBalance).
    const child = invoice('child-1', CHILD, [['RECURRING', '249.95'], ['ITEM_ADJ', '-10']]);
    const paidParent = invoice('parent-1', PARENT, [['PARENT_SUMMARY', '249.95']], { paid: '249.95' });
    expect(credit([child], new Map([[child.id, paidParent]]))).toEqual([]);
    expect(computeCredit({ invoices: [child], changedInvoiceIds: ['child-1'], today: LocalDate.parse('2015-06-15'), newItemId: () => 'x', now: NOW, parents: new Map([[child.id, paidParent]]) }).items.map((i) => i.amount.toFixed(2))).toEqual(['10.00']);
  });
});
