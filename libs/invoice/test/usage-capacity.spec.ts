import Big from 'big.js';
import { capacityAggregate, proposeUsageItems } from '@kb/invoice/engine';
import { billingEvent, capacity, capacityTier, proposalInput, raw, summary } from './usage-fixtures';

const tiers = [
  capacityTier('10', { unit1: 100, unit2: 1000, unit3: 50 }),
  capacityTier('20.0', { unit1: 200, unit2: 2000, unit3: 100 }),
  capacityTier('30.0', { unit1: -1, unit2: -1, unit3: -1 }),
];
const usage = capacity('capacity', tiers);
const rate = (units: Record<string, number>) =>
  capacityAggregate(usage, new Map(Object.entries(units).map(([unit, amount]) => [unit, new Big(amount)])), 'USD');

/** Port of Kill Bill's TestContiguousIntervalCapacityInArrear#testComputeBilledUsage (its numbers). */
describe('capacity usage in arrear (Kill Bill TestContiguousIntervalCapacityInArrear)', () => {
  it('the price of the lowest tier whose limits hold every unit', () => {
    const first = rate({ unit1: 100, unit2: 1000, unit3: 50 });
    expect(first.tierDetails).toHaveLength(3);
    expect(first.amount.toFixed()).toBe('10');
    expect(rate({ unit1: 100, unit2: 1001 }).amount.toFixed()).toBe('20');
    expect(rate({ unit1: 101, unit2: 1000 }).amount.toFixed()).toBe('20');
    expect(rate({ unit1: 101, unit2: 1001 }).amount.toFixed()).toBe('20');
    expect(rate({ unit1: 10, unit2: 2001 }).amount.toFixed()).toBe('30');
  });

  it('nothing used is $0', () => {
    expect(rate({ unit1: 0, unit2: 0, unit3: 0 }).amount.toFixed()).toBe('0');
  });

  it('bills a period on the maximum recorded per unit (not the sum)', () => {
    const events = [billingEvent('2014-03-01', [usage], { bcd: 1 })];
    const records = [raw('2014-03-02', 'unit1', 150), raw('2014-03-05', 'unit1', 20), raw('2014-03-05', 'unit2', 10), raw('2014-03-06', 'unit3', 1)];
    const result = proposeUsageItems(proposalInput(events, records, '2014-04-01'));
    expect(summary(result.items)).toEqual([['2014-03-01', '2014-04-01', '20.00']]);
    expect(JSON.parse(result.items[0].itemDetails!)).toEqual({
      tierDetails: [
        { tier: 1, tierUnit: 'unit2', tierPrice: 10, quantity: 10 },
        { tier: 1, tierUnit: 'unit3', tierPrice: 10, quantity: 1 },
        { tier: 2, tierUnit: 'unit1', tierPrice: 20, quantity: 150 },
      ],
      amount: 20,
    });
  });
});
