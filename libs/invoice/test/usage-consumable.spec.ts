import Big from 'big.js';
import { consumableAggregate, proposeUsageItems } from '@kb/invoice/engine';
import { billingEvent, blockTier, consumable, proposalInput, raw, summary, usageItem } from './usage-fixtures';

const units = (amount: number) => new Map([['unit', new Big(amount)]]);
const amounts = (usage: Parameters<typeof consumableAggregate>[0], amount: number) =>
  consumableAggregate(usage, units(amount), 'USD').tierDetails.map((d) => d.amount!.toFixed());

/** Ports of Kill Bill's TestContiguousIntervalConsumableInArrear (expected numbers from those tests). */
describe('consumable usage in arrear (Kill Bill TestContiguousIntervalConsumableInArrear)', () => {
  it('testComputeBilledUsageSizeOneWith_ALL_TIERS: 111 units, blocks of 1 → 15.0, 100.0, 0.5', () => {
    const usage = consumable('u', 'ALL_TIERS', [blockTier('unit', 1, 10, '1.5'), blockTier('unit', 1, 100, '1.0'), blockTier('unit', 1, 1000, '0.5')]);
    expect(amounts(usage, 111)).toEqual(['15', '100', '0.5']);
  });

  it('testComputeBilledUsageWith_ALL_TIERS: 5325 units → 10, 5', () => {
    const usage = consumable('u', 'ALL_TIERS', [blockTier('unit', 100, 10, '1'), blockTier('unit', 1000, 100, '1')]);
    expect(amounts(usage, 5325)).toEqual(['10', '5']);
  });

  it('testComputeBilledUsageWithUnlimitedMaxWith_ALL_TIERS: 5325 units → 10, 5', () => {
    const usage = consumable('u', 'ALL_TIERS', [blockTier('unit', 100, 10, '1'), blockTier('unit', 1000, -1, '1')]);
    expect(amounts(usage, 5325)).toEqual(['10', '5']);
  });

  it('testComputeBilledUsageWith_TOP_TIER: 1000 → 10, 101000 → 101, 101001 → 51.0, 300000 → 150.0', () => {
    const usage = consumable('u', 'TOP_TIER', [blockTier('unit', 100, 10, '1'), blockTier('unit', 1000, 100, '1'), blockTier('unit', 1000, 100, '0.5')]);
    expect(amounts(usage, 1000)).toEqual(['10']);
    expect(amounts(usage, 101000)).toEqual(['101']);
    expect(amounts(usage, 101001)).toEqual(['51']);
    expect(amounts(usage, 300000)).toEqual(['150']);
  });

  it('testComputeBilledUsageWithUnlimitedMaxWith_TOP_TIER: 2000 → 20', () => {
    const usage = consumable('u', 'TOP_TIER', [blockTier('unit', 100, 10, '10'), blockTier('unit', 100, -1, '1')]);
    expect(amounts(usage, 2000)).toEqual(['20']);
  });

  it('testComputeBilledUsageSizeOneWith_TOP_TIER: 111 units → 55.5', () => {
    const usage = consumable('u', 'TOP_TIER', [blockTier('unit', 1, 10, '1.5'), blockTier('unit', 1, 100, '1.0'), blockTier('unit', 1, 1000, '0.5')]);
    expect(amounts(usage, 111)).toEqual(['55.5']);
  });

  it('testComputeMissingItems: billed 1 per period without details → 4.0 and 1.0 (tier amounts 5.0 and 2.0)', () => {
    const usage = consumable('u', 'ALL_TIERS', [blockTier('unit', 100, 10, '1')]);
    const events = [billingEvent('2014-03-20', [usage], { bcd: 15 }), billingEvent('2014-05-15', [], { bcd: 15, type: 'CANCEL', ordering: 2 })];
    const usageRecords = [
      raw('2014-03-20', 'unit', 130, 'tracking-1'),
      raw('2014-03-21', 'unit', 271, 'tracking-1'),
      raw('2014-04-15', 'unit', 199, 'tracking-2'),
    ];
    const existing = [usageItem('u', '2014-03-20', '2014-04-15', '1'), usageItem('u', '2014-04-15', '2014-05-15', '1')];
    const result = proposeUsageItems(proposalInput(events, usageRecords, '2014-05-15', existing));
    expect(summary(result.items)).toEqual([
      ['2014-03-20', '2014-04-15', '4.00'],
      ['2014-04-15', '2014-05-15', '1.00'],
    ]);
    expect(result.items.map((item) => JSON.parse(item.itemDetails!).tierDetails.map((d: { amount: number }) => d.amount))).toEqual([[5], [2]]);
    expect(result.trackingIds.map((t) => t.trackingId).sort()).toEqual(['tracking-1', 'tracking-1', 'tracking-2']);
  });
});

/** Spec E7 (beatrix TestUsageInArrear#testWithNoUsageInPeriodAndOldUsage): blocks of 100 bullets at 2.95. */
describe('E7: consumable usage, empty period and late usage', () => {
  const bullets = consumable('bullets-usage-in-arrear-usage', 'ALL_TIERS', [blockTier('bullets', 100, -1, '2.95')]);
  const events = [billingEvent('2012-04-01', [bullets], { bcd: 1 })];
  const april = [raw('2012-04-01', 'bullets', 99, 'tracking-1'), raw('2012-04-15', 'bullets', 100, 'tracking-2')];

  it('2012-05-01: April is billed 5.90 with its tracking ids; next usage run on 06-01', () => {
    const result = proposeUsageItems(proposalInput(events, april, '2012-05-01'));
    expect(summary(result.items)).toEqual([['2012-04-01', '2012-05-01', '5.90']]);
    expect(JSON.parse(result.items[0].itemDetails!)).toEqual({
      tierDetails: [{ tier: 1, tierUnit: 'bullets', tierPrice: 2.95, tierBlockSize: 100, quantity: 2, amount: 5.9 }],
      amount: 5.9,
    });
    expect(result.items[0]).toMatchObject({
      type: 'USAGE',
      usageName: 'bullets-usage-in-arrear-usage',
      invoiceId: 'new-invoice',
      subscriptionId: 'sub-1',
      rate: null,
      quantity: null,
    });
    expect(new Set(result.trackingIds.map((t) => t.trackingId))).toEqual(new Set(['tracking-1', 'tracking-2']));
    expect(result.nextBillingDates.map((d) => [d.date.toString(), d.kind])).toEqual([['2012-06-01', 'USAGE']]);
  });

  it('nothing is billed before the period completes', () => {
    expect(proposeUsageItems(proposalInput(events, april, '2012-04-30')).items).toEqual([]);
  });

  const aprilItem = usageItem(
    'bullets-usage-in-arrear-usage',
    '2012-04-01',
    '2012-05-01',
    '5.90',
    '{"tierDetails":[{"tier":1,"tierUnit":"bullets","tierPrice":2.95,"tierBlockSize":100,"quantity":2,"amount":5.90}],"amount":5.90}',
  );
  const zeroDetails = '{"tierDetails":[{"tier":1,"tierUnit":"bullets","tierPrice":2.95,"tierBlockSize":100,"quantity":0,"amount":0}],"amount":0}';

  it('2012-06-01: May without usage is a 0.00 item (unless disableUsageZeroAmount)', () => {
    const result = proposeUsageItems(proposalInput(events, april, '2012-06-01', [aprilItem]));
    expect(summary(result.items)).toEqual([['2012-05-01', '2012-06-01', '0.00']]);
    expect(proposeUsageItems(proposalInput(events, april, '2012-06-01', [aprilItem], { disableUsageZeroAmount: true })).items).toEqual([]);
  });

  const mayItem = usageItem('bullets-usage-in-arrear-usage', '2012-05-01', '2012-06-01', '0', zeroDetails);
  const juneItem = usageItem('bullets-usage-in-arrear-usage', '2012-06-01', '2012-07-01', '0', zeroDetails);
  const july = [raw('2012-07-01', 'bullets', 50, 'tracking-3'), raw('2012-07-15', 'bullets', 300, 'tracking-4')];

  it('2012-08-01: July 350 bullets → 11.80', () => {
    const result = proposeUsageItems(proposalInput(events, [...april, ...july], '2012-08-01', [aprilItem, mayItem, juneItem]));
    expect(summary(result.items)).toEqual([['2012-07-01', '2012-08-01', '11.80']]);
  });

  it('late usage: 199 in May (re-read) is billed as a 5.90 delta; 100 in April (too old) and deleted April usage are ignored', () => {
    const late = [raw('2012-05-01', 'bullets', 199, 'tracking-5'), raw('2012-04-30', 'bullets', 100, 'tracking-6')];
    const result = proposeUsageItems(proposalInput(events, [...july, ...late], '2012-08-01', [aprilItem, mayItem, juneItem]));
    expect(summary(result.items)).toEqual([
      ['2012-05-01', '2012-06-01', '5.90'],
      ['2012-07-01', '2012-08-01', '11.80'],
    ]);
    expect(result.trackingIds.map((t) => t.trackingId)).not.toContain('tracking-6');
  });

  it('usage removed from a re-read period is an error unless usage.missing.lenient', () => {
    const billedMay = usageItem(
      'bullets-usage-in-arrear-usage',
      '2012-05-01',
      '2012-06-01',
      '5.90',
      '{"tierDetails":[{"tier":1,"tierUnit":"bullets","tierPrice":2.95,"tierBlockSize":100,"quantity":2,"amount":5.9}],"amount":5.9}',
    );
    const input = (lenient: boolean) => proposalInput(events, july, '2012-08-01', [aprilItem, billedMay, juneItem], { usageMissingLenient: lenient });
    expect(() => proposeUsageItems(input(false))).toThrow(/Expected usage/);
    expect(summary(proposeUsageItems(input(true)).items)).toEqual([['2012-07-01', '2012-08-01', '11.80']]);
  });

  it('DETAIL mode: one item per tier with quantity and rate', () => {
    const result = proposeUsageItems(proposalInput(events, april, '2012-05-01', [], { usageDetailMode: 'DETAIL' }));
    expect(result.items.map((item) => [item.amount.toFixed(2), item.quantity?.toFixed(), item.rate?.toFixed()])).toEqual([['5.90', '2', '2.95']]);
    expect(JSON.parse(result.items[0].itemDetails!)).toEqual({ tier: 1, tierUnit: 'bullets', tierPrice: 2.95, tierBlockSize: 100, quantity: 2, amount: 5.9 });
  });

  it('a cancelled subscription bills its last partial period, with usage of the cancellation day', () => {
    const cancelled = [billingEvent('2012-04-01', [bullets], { bcd: 1 }), billingEvent('2012-05-10', [], { bcd: 1, type: 'CANCEL', ordering: 2 })];
    const usage = [raw('2012-05-03', 'bullets', 150, 'tracking-7'), raw('2012-05-10', 'bullets', 60, 'tracking-8')];
    const result = proposeUsageItems(proposalInput(cancelled, [...april, ...usage], '2012-05-10', [aprilItem]));
    expect(summary(result.items)).toEqual([['2012-05-01', '2012-05-10', '8.85']]);
  });
});
