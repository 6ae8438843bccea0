/**
 * Kill Bill's TestSubscriptionItemTree, ported: the existing items of one subscription (RECURRING,
 * REPAIR_ADJ, ITEM_ADJ, FIXED) built into what they bill, and proposed items merged into them.
 * Every expected date and amount is the Java test's own.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { KillBillError, roundToCurrency } from '@kb/kernel';
import { InvoiceItemRecord, SubscriptionItemTree, mergeWithExistingItems } from '@kb/invoice/engine';

const d = (s: string) => LocalDate.parse(s);
let ids = 0;

function rec(start: string, end: string, amount: string, rate: string, plan = 'my-plan'): InvoiceItemRecord {
  return {
    id: `item-${++ids}`,
    invoiceId: 'invoice-1',
    accountId: 'account-1',
    childAccountId: null,
    type: 'RECURRING',
    bundleId: 'bundle-1',
    subscriptionId: 'sub-1',
    description: null,
    productName: plan === 'my-plan' ? 'my-product' : plan,
    planName: plan,
    phaseName: plan === 'my-plan' ? 'my-phase' : plan,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: d(start),
    endDate: d(end),
    amount: new Big(amount),
    rate: new Big(rate),
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: new Date('2014-01-01T00:00:00Z'),
  };
}

function repair(start: string, end: string, amount: string, of: InvoiceItemRecord): InvoiceItemRecord {
  return { ...rec(start, end, amount, '0'), type: 'REPAIR_ADJ', bundleId: null, subscriptionId: null, planName: null, phaseName: null, productName: null, rate: null, linkedItemId: of.id };
}

function itemAdj(of: InvoiceItemRecord, date: string, amount: string): InvoiceItemRecord {
  return { ...of, id: `item-${++ids}`, type: 'ITEM_ADJ', startDate: d(date), endDate: d(date), amount: new Big(amount), rate: null, linkedItemId: of.id };
}

function fixed(start: string, amount: string): InvoiceItemRecord {
  return { ...rec(start, start, amount, '0'), type: 'FIXED', endDate: null, rate: null };
}

/** Kill Bill's build() + getView(): what the existing items bill. */
function billed(items: InvoiceItemRecord[]): string[] {
  const tree = new SubscriptionItemTree(0);
  for (const item of items) tree.addExistingItem(item);
  return tree.billedView().map((i) => `${i.id} ${i.start.toString()}→${i.end.toString()} ${roundToCurrency(i.amount, 'USD').toFixed(2)}`);
}

/** Kill Bill's flatten(true) + mergeProposedItem + buildForMerge() + getView(). */
function merged(existing: InvoiceItemRecord[], proposed: InvoiceItemRecord[]): string[] {
  return mergeWithExistingItems(existing, proposed, 0).map((r) =>
    r.kind === 'PROPOSED'
      ? `${r.source.type} ${r.source.id} ${r.start.toString()}→${r.end?.toString() ?? '-'} ${roundToCurrency(r.amount, 'USD').toFixed(2)}`
      : `REPAIR_ADJ of ${r.repaired.id} ${r.start.toString()}→${r.end.toString()} ${roundToCurrency(r.amount, 'USD').times(-1).toFixed(2)}`,
  );
}

function illegalState(work: () => unknown): void {
  expect(work).toThrow(KillBillError);
  try {
    work();
  } catch (e) {
    expect((e as KillBillError).message).toContain('ILLEGAL INVOICING STATE');
  }
}

describe('TestSubscriptionItemTree: existing items built', () => {
  it('testAnnualToNewAnnualWithLaterDate', () => {
    const annual1 = rec('2015-01-01', '2016-01-01', '50.00', '50.00');
    const annual2 = rec('2015-03-15', '2016-03-01', '100.00', '100.00');
    const r = repair('2015-03-15', '2016-01-01', '-50.00', annual1);
    expect(billed([annual1, annual2, r])).toEqual([`${annual1.id} 2015-01-01→2015-03-15 10.00`, `${annual2.id} 2015-03-15→2016-03-01 100.00`]);
  });

  it('testBlockUnblock (Kill Bill #1205): 5.99 billed, then repaired in full', () => {
    const recurring = rec('2019-04-27', '2019-05-27', '29.95', '29.95');
    const block = repair('2019-05-03', '2019-05-27', '-23.96', recurring);
    expect(billed([recurring, block])).toEqual([`${recurring.id} 2019-04-27→2019-05-03 5.99`]);
    expect(merged([recurring, block], [])).toEqual([`REPAIR_ADJ of ${recurring.id} 2019-04-27→2019-05-03 -5.99`]);
  });

  it('testMultipleRepair: 8.52, 4.95, 19.23', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const new1 = rec('2014-01-23', '2014-02-01', '14.85', '14.85');
    const repair1 = repair('2014-01-23', '2014-02-01', '-12.00', initial);
    const new2 = rec('2014-01-26', '2014-02-01', '19.23', '19.23');
    const repair2 = repair('2014-01-26', '2014-02-01', '-14.85', new1);
    expect(billed([initial, new1, repair1, new2, repair2])).toEqual([
      `${initial.id} 2014-01-01→2014-01-23 8.52`,
      `${new1.id} 2014-01-23→2014-01-26 4.95`,
      `${new2.id} 2014-01-26→2014-02-01 19.23`,
    ]);
  });

  it('testMultipleBlockedBillings: 2.71, 2.71, 3.48', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const block1 = repair('2014-01-08', '2014-01-10', '-12.00', initial);
    const block2 = repair('2014-01-17', '2014-01-23', '-12.00', initial);
    expect(billed([initial, block1, block2])).toEqual([
      `${initial.id} 2014-01-01→2014-01-08 2.71`,
      `${initial.id} 2014-01-10→2014-01-17 2.71`,
      `${initial.id} 2014-01-23→2014-02-01 3.48`,
    ]);
  });

  it('testBlockAcrossPeriod: 9.29 then 9.43', () => {
    const first = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const second = rec('2014-02-01', '2014-03-01', '12.00', '12.00');
    const block1 = repair('2014-01-25', '2014-02-01', '-12.00', first);
    // the Java test links the second block to the first item too; the tree places it by its dates
    const block2 = repair('2014-02-01', '2014-02-07', '-12.00', first);
    expect(billed([first, second, block1, block2])).toEqual([`${first.id} 2014-01-01→2014-01-25 9.29`, `${second.id} 2014-02-07→2014-03-01 9.43`]);
  });

  it('testMonthlyToAnnualWithLeadingProRation: the repaired month keeps 9.43', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const monthly2 = rec('2014-02-01', '2014-03-01', '12.00', '12.00');
    const r = repair('2014-02-23', '2014-03-01', '-12.00', monthly2);
    const leading = rec('2014-02-23', '2014-03-01', '100.00', '100.00');
    const annual = rec('2014-03-01', '2015-03-01', '100.00', '100.00');
    expect(billed([monthly1, monthly2, r, leading, annual])).toEqual([
      `${monthly1.id} 2014-01-01→2014-02-01 12.00`,
      `${monthly2.id} 2014-02-01→2014-02-23 9.43`,
      `${leading.id} 2014-02-23→2014-03-01 100.00`,
      `${annual.id} 2014-03-01→2015-03-01 100.00`,
    ]);
  });

  it('testMonthlyToAnnualWithNoProRation', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const monthly2 = rec('2014-02-01', '2014-03-01', '12.00', '12.00');
    const r = repair('2014-02-23', '2014-03-01', '-12.00', monthly2);
    const annual = rec('2014-02-23', '2015-02-23', '100.00', '100.00');
    expect(billed([monthly1, monthly2, r, annual])).toEqual([
      `${monthly1.id} 2014-01-01→2014-02-01 12.00`,
      `${monthly2.id} 2014-02-01→2014-02-23 9.43`,
      `${annual.id} 2014-02-23→2015-02-23 100.00`,
    ]);
  });

  it('testSimpleRepair: 8.52 kept of the first plan, the second plan billed in full', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const newItem = rec('2014-01-23', '2014-02-01', '14.85', '14.85', 'someelse');
    const r = repair('2014-01-23', '2014-02-01', '-12.00', initial);
    expect(billed([initial, newItem, r])).toEqual([`${initial.id} 2014-01-01→2014-01-23 8.52`, `${newItem.id} 2014-01-23→2014-02-01 14.85`]);
  });

  it('testInvalidRepair: a repair reaching outside its item bills nothing', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(billed([initial, repair('2013-12-31', '2014-02-01', '-12.00', initial)])).toEqual([]);
    expect(billed([initial, repair('2014-01-01', '2014-02-02', '-12.00', initial)])).toEqual([]);
  });

  it('testDoubleBillingOnDifferentInvoices (Kill Bill #664): ILLEGAL INVOICING STATE', () => {
    const recurring1 = rec('2012-05-01', '2012-06-01', '10', '10');
    const recurring2 = { ...rec('2012-05-01', '2012-06-01', '10', '10'), invoiceId: 'invoice-2' };
    illegalState(() => billed([recurring1, recurring2]));
  });

  it('testInvalidRepairCausingOverlappingRecurring: ILLEGAL INVOICING STATE, whatever the order', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const new1 = rec('2014-01-23', '2014-02-01', '14.85', '14.85');
    const repair1 = repair('2014-01-23', '2014-02-01', '-12.00', initial);
    const new2 = rec('2014-01-26', '2014-02-01', '19.23', '19.23');
    const repair2 = repair('2014-01-26', '2014-02-01', '-14.85', initial); // should point to new1
    illegalState(() => billed([repair1, repair2, initial, new1, new2]));
  });

  it('testMultipleLevels: a multi-level tree builds and flattens', () => {
    const initial = rec('2014-01-01', '2014-02-01', '10', '10');
    const new1 = rec('2014-01-10', '2014-01-15', '10', '10');
    const repair1 = repair('2014-01-10', '2014-01-15', '-10', initial);
    const new11 = rec('2014-01-10', '2014-01-12', '10', '10');
    const repair12 = repair('2014-01-10', '2014-01-12', '-10', new1);
    const new2 = rec('2014-01-20', '2014-01-25', '10', '10');
    const repair2 = repair('2014-01-20', '2014-01-25', '-10', initial);
    const new21 = rec('2014-01-22', '2014-01-23', '10', '10');
    const repair22 = repair('2014-01-22', '2014-01-23', '-10', new2);
    const all = [initial, new1, repair1, new11, repair12, new2, repair2, new21, repair22];
    expect(() => billed(all)).not.toThrow();
    const tree = new SubscriptionItemTree(0);
    for (const item of all) tree.addExistingItem(item);
    expect(() => tree.flatten()).not.toThrow();
  });
});

describe('TestSubscriptionItemTree: proposed items merged', () => {
  it('testWithBCDChange: nothing new', () => {
    const item1 = rec('2014-05-01', '2014-06-01', '10.00', '10.00');
    const item2 = rec('2014-06-01', '2014-06-15', '5.00', '10.00');
    expect(merged([item1, item2], [rec('2014-05-01', '2014-05-15', '5.00', '10.00'), rec('2014-05-15', '2014-06-15', '10.00', '10.00')])).toEqual([]);
  });

  it('testWithBCDChange2: 1.00 before and 9.03 after the billed period', () => {
    const item1 = rec('2014-06-20', '2014-07-20', '10.00', '10.00');
    const p1 = rec('2014-06-17', '2014-07-17', '10.00', '10.00');
    const p2 = rec('2014-07-17', '2014-08-17', '10.00', '10.00');
    expect(merged([item1], [p1, p2])).toEqual([`RECURRING ${p1.id} 2014-06-17→2014-06-20 1.00`, `RECURRING ${p2.id} 2014-07-20→2014-08-17 9.03`]);
  });

  it('testWithBCDChange3: 1.00 and 7.00', () => {
    const item1 = rec('2014-05-17', '2014-06-17', '10.00', '10.00');
    const item2 = rec('2014-06-17', '2014-07-17', '10.00', '10.00');
    const p = [
      rec('2014-05-17', '2014-05-20', '1', '10.00'),
      rec('2014-05-20', '2014-06-20', '10.00', '10.00'),
      rec('2014-06-20', '2014-07-20', '10.00', '10.00'),
      rec('2014-07-20', '2014-08-17', '7', '10.00'),
    ];
    expect(merged([item1, item2], p)).toEqual([`RECURRING ${p[2].id} 2014-07-17→2014-07-20 1.00`, `RECURRING ${p[3].id} 2014-07-20→2014-08-17 7.00`]);
  });

  it('testWithBCDChange4: nothing new', () => {
    const existing = [
      rec('2014-05-17', '2014-05-20', '1', '10.00'),
      rec('2014-05-20', '2014-06-20', '10.00', '10.00'),
      rec('2014-06-20', '2014-07-20', '10.00', '10.00'),
      rec('2014-07-20', '2014-08-17', '7', '10.00'),
    ];
    const p = [rec('2014-05-17', '2014-06-17', '10.00', '10.00'), rec('2014-06-17', '2014-07-17', '10.00', '10.00'), rec('2014-07-17', '2014-08-17', '10.00', '10.00')];
    expect(merged(existing, p)).toEqual([]);
  });

  it('testAnnualWithBlocking1: −6.85 for the block, 7.79 for the extra month', () => {
    const annual = rec('2014-01-01', '2015-01-01', '100.00', '100.00');
    const p1 = rec('2014-01-01', '2014-01-14', '10', '100.00');
    const p2 = rec('2014-02-08', '2015-02-01', '90.0', '100.00');
    expect(merged([annual], [p1, p2])).toEqual([`REPAIR_ADJ of ${annual.id} 2014-01-14→2014-02-08 -6.85`, `RECURRING ${p2.id} 2015-01-01→2015-02-01 7.79`]);
  });

  it('testAnnualWithBlocking2: nothing new once the block is repaired', () => {
    const annual1 = rec('2014-01-01', '2015-01-01', '100.00', '100.00');
    const r = repair('2014-01-14', '2014-02-08', '-6.85', annual1);
    const annual2 = rec('2015-01-01', '2015-02-01', '100.00', '100.00');
    expect(merged([annual1, r, annual2], [rec('2014-01-01', '2014-01-14', '10', '100.00'), rec('2014-02-08', '2015-02-01', '90.0', '100.00')])).toEqual([]);
  });

  it('testMergeWithNoExisting', () => {
    const p = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([], [p])).toEqual([`RECURRING ${p.id} 2014-01-01→2014-02-01 12.00`]);
  });

  it('testMergeTwoSimilarItems', () => {
    expect(merged([rec('2014-01-01', '2014-02-01', '12.00', '12.00')], [rec('2014-01-01', '2014-02-01', '12.00', '12.00')])).toEqual([]);
  });

  it('testMergeTwoDifferentItems: the new one and a full repair', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const p = rec('2014-01-01', '2014-02-01', '15.00', '15.00');
    expect(merged([monthly1], [p])).toEqual([`RECURRING ${p.id} 2014-01-01→2014-02-01 15.00`, `REPAIR_ADJ of ${monthly1.id} 2014-01-01→2014-02-01 -12.00`]);
  });

  it('testMergeCancellationWithInitialRepair: −9.29', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([monthly1], [rec('2014-01-25', '2014-02-01', '12.00', '12.00')])).toEqual([`REPAIR_ADJ of ${monthly1.id} 2014-01-01→2014-01-25 -9.29`]);
  });

  it('testMergeCancellationWithFinalRepair: −2.71', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([monthly1], [rec('2014-01-01', '2014-01-25', '12.00', '12.00')])).toEqual([`REPAIR_ADJ of ${monthly1.id} 2014-01-25→2014-02-01 -2.71`]);
  });

  it('testMergeCancellationWithMiddleRepair: −4.65', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const p = [rec('2014-01-01', '2014-01-13', '12.00', '12.00'), rec('2014-01-25', '2014-02-01', '12.00', '12.00')];
    expect(merged([monthly1], p)).toEqual([`REPAIR_ADJ of ${monthly1.id} 2014-01-13→2014-01-25 -4.65`]);
  });

  it('testMergeCancellationWithTwoMiddleRepair: −2.32 and −3.10, in any proposal order', () => {
    const monthly = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const p1 = rec('2014-01-01', '2014-01-07', '12.00', '12.00');
    const p2 = rec('2014-01-13', '2014-01-17', '12.00', '12.00');
    const p3 = rec('2014-01-25', '2014-02-01', '12.00', '12.00');
    const expected = [`REPAIR_ADJ of ${monthly.id} 2014-01-07→2014-01-13 -2.32`, `REPAIR_ADJ of ${monthly.id} 2014-01-17→2014-01-25 -3.10`];
    expect(merged([monthly], [p1, p2, p3])).toEqual(expected);
    expect(merged([monthly], [p2, p1, p3])).toEqual(expected);
  });

  it('testMergeUpgradeWithFinalRepair: the new plan item and −2.71', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const p2 = rec('2014-01-25', '2014-02-01', '12.00', '20.00', 'foo');
    expect(merged([monthly1], [rec('2014-01-01', '2014-01-25', '12.00', '12.00'), p2])).toEqual([
      `RECURRING ${p2.id} 2014-01-25→2014-02-01 12.00`,
      `REPAIR_ADJ of ${monthly1.id} 2014-01-25→2014-02-01 -2.71`,
    ]);
  });

  it('testMergeWithSecondRepair: −7.70 of the initial item', () => {
    const initial = rec('2012-05-01', '2012-06-01', '599.95', '599.95');
    const new1 = rec('2012-05-07', '2012-06-01', '8.02', '9.95', 'foo');
    const repair1 = repair('2012-05-07', '2012-06-01', '-483.86', initial);
    const p3 = rec('2012-05-08', '2012-06-01', '23.19', '29.95', 'bar');
    const p = [rec('2012-05-01', '2012-05-07', '599.95', '599.95'), rec('2012-05-07', '2012-05-08', '23.19', '9.95', 'foo'), p3];
    expect(merged([initial, new1, repair1], p)).toEqual([`RECURRING ${p3.id} 2012-05-08→2012-06-01 23.19`, `REPAIR_ADJ of ${new1.id} 2012-05-08→2012-06-01 -7.70`]);
  });

  it('testWithExistingFixedItem: nothing new', () => {
    const f = fixed('2014-01-01', '5.00');
    expect(merged([rec('2014-01-01', '2014-02-01', '12.00', '12.00'), f], [rec('2014-01-01', '2014-02-01', '12.00', '12.00'), { ...f, id: 'proposed-fixed' }])).toEqual([]);
  });

  it('testWithNewFixedItem: the fixed item', () => {
    const f = fixed('2014-01-01', '5.00');
    expect(merged([rec('2014-01-01', '2014-02-01', '12.00', '12.00')], [rec('2014-01-01', '2014-02-01', '12.00', '12.00'), f])).toEqual([`FIXED ${f.id} 2014-01-01→- 5.00`]);
  });

  it('testRepairWithSmallItemAdjustment: −3.48', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([initial, itemAdj(initial, '2014-01-02', '-2.00')], [rec('2014-01-01', '2014-01-23', '12.00', '12.00')])).toEqual([
      `REPAIR_ADJ of ${initial.id} 2014-01-23→2014-02-01 -3.48`,
    ]);
  });

  it('testRepairWithLargeItemAdjustment: capped at −2.00', () => {
    const initial = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([initial, itemAdj(initial, '2014-01-02', '-10.00')], [rec('2014-01-01', '2014-01-23', '12.00', '12.00')])).toEqual([
      `REPAIR_ADJ of ${initial.id} 2014-01-23→2014-02-01 -2.00`,
    ]);
  });

  it('testRepairWithFullItemAdjustment: nothing new', () => {
    const original = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const newItem = rec('2014-01-01', '2014-01-23', '12.00', '12.00');
    expect(merged([original, itemAdj(original, '2014-01-02', '-12.00'), newItem], [rec('2014-01-01', '2014-01-23', '12.00', '12.00')])).toEqual([]);
  });

  it('testMergeMonthlyToAnnualWithNoProRation: the annual item and −2.57', () => {
    const monthly1 = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    const monthly2 = rec('2014-02-01', '2014-03-01', '12.00', '12.00');
    const annual = rec('2014-02-23', '2015-02-23', '100.00', '100.00');
    const p = [rec('2014-01-01', '2014-02-01', '12.00', '12.00'), rec('2014-02-01', '2014-02-23', '12.00', '12.00'), annual];
    expect(merged([monthly1, monthly2], p)).toEqual([`RECURRING ${annual.id} 2014-02-23→2015-02-23 100.00`, `REPAIR_ADJ of ${monthly2.id} 2014-02-23→2014-03-01 -2.57`]);
  });

  it('testMaxedOutProRation (Kill Bill #286): a fully adjusted item repairs 0', () => {
    const existing = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([existing, itemAdj(existing, '2014-01-01', '-12.00')], [rec('2014-01-01', '2014-01-25', '12.00', '12.00')])).toEqual([
      `REPAIR_ADJ of ${existing.id} 2014-01-25→2014-02-01 0.00`,
    ]);
  });

  it('testPartialProRation: the repair is capped by what the adjustment left (−1.00)', () => {
    const existing = rec('2014-01-01', '2014-02-01', '12.00', '12.00');
    expect(merged([existing, itemAdj(existing, '2014-01-01', '-11.00')], [rec('2014-01-01', '2014-01-25', '12.00', '12.00')])).toEqual([
      `REPAIR_ADJ of ${existing.id} 2014-01-25→2014-02-01 -1.00`,
    ]);
  });

  it('testWithWrongInitialItem: only the missing day, 0.40', () => {
    const wrong = rec('2016-09-09', '2016-10-08', '12.00', '12.00');
    const correct = rec('2016-09-08', '2016-10-08', '12.00', '12.00');
    expect(merged([wrong, itemAdj(wrong, '2016-10-02', '-12.00')], [correct])).toEqual([`RECURRING ${correct.id} 2016-09-08→2016-09-09 0.40`]);
  });

  it('testWithFreeRecurring: a $0 item is ignored, the paying one repaired', () => {
    const free = rec('2012-08-01', '2012-09-01', '0', '0');
    const paying1 = rec('2012-08-01', '2012-09-01', '12.00', '12.00');
    const paying2 = rec('2012-08-01', '2012-09-01', '24.00', '24.00');
    expect(merged([free, paying1], [paying2])).toEqual([`RECURRING ${paying2.id} 2012-08-01→2012-09-01 24.00`, `REPAIR_ADJ of ${paying1.id} 2012-08-01→2012-09-01 -12.00`]);
  });

  it('testRecuring$0PriceNoCatalogEffectiveDate (Kill Bill #1251): a $0 item matches whatever its catalog date', () => {
    const existing = rec('2019-11-01', '2019-12-01', '0', '0');
    const proposed = { ...rec('2019-11-01', '2019-12-01', '0', '0'), catalogEffectiveDate: new Date() };
    expect(merged([existing], [proposed])).toEqual([]);
  });
});
