/**
 * In-arrear usage billing (Kill Bill's UsageInvoiceItemGenerator, SubscriptionUsageInArrear,
 * ContiguousIntervalConsumable/CapacityUsageInArrear and RawUsageOptimizer), on account-local days.
 * Per subscription and usage section, the billing events that carry the section make a contiguous
 * interval; its periods are aligned like recurring ones; each complete period (or the last one of an
 * ended interval) is rated and compared with what was already billed for it, and only the difference
 * is proposed.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { priceIn, type BillingPeriod, type TieredBlock, type Usage } from '@kb/catalog/engine';
import type { BillingEvent } from '@kb/entitlement/engine';
import { type Currency, KillBillError, roundToCurrency } from '@kb/kernel';
import type { InvoiceGeneratorConfig, InvoiceItemRecord, NextBillingDate, RawUsageRecord } from '@kb/invoice/engine';
import { billingCycle, nextCycleDateAfter, recedeByPeriods } from './billing-periods';

export interface UsageProposalInput {
  readonly billingEvents: readonly BillingEvent[];
  /** USAGE items of the account's non-void invoices. */
  readonly existingItems: readonly InvoiceItemRecord[];
  readonly usage: readonly RawUsageRecord[];
  readonly targetDate: LocalDate;
  readonly invoiceId: string;
  readonly accountId: string;
  readonly currency: Currency;
  readonly newItemId: () => string;
  readonly now: Date;
  readonly config: InvoiceGeneratorConfig;
}

export interface UsageTrackingId {
  readonly trackingId: string;
  readonly subscriptionId: string;
  readonly unitType: string;
  readonly recordDate: LocalDate;
}

export interface UsageProposal {
  readonly items: InvoiceItemRecord[];
  readonly nextBillingDates: NextBillingDate[];
  /** Tracking ids of the records rated by this proposal (already billed ones included: the caller keeps the new ones). */
  readonly trackingIds: UsageTrackingId[];
}

/** One tier of one unit as Kill Bill's UsageConsumableInArrearTierUnitAggregate / UsageInArrearTierUnitDetail serialize it. */
export interface TierUnitDetail {
  readonly tier: number;
  readonly tierUnit: string;
  readonly tierPrice: Big;
  /** Consumable only. */
  readonly tierBlockSize?: Big;
  readonly quantity: Big;
  /** Consumable only: tierPrice × quantity. */
  readonly amount?: Big;
}

export interface UsageAggregate {
  readonly tierDetails: readonly TierUnitDetail[];
  readonly amount: Big;
}

const UNLIMITED = new Big(-1);
const ZERO = new Big(0);

interface Interval {
  readonly usage: Usage;
  readonly events: BillingEvent[];
  /** Whether a later event left the section (the last event is then the boundary). */
  closed: boolean;
}

interface Transition {
  readonly date: LocalDate;
  readonly event: BillingEvent;
}

interface Period {
  readonly start: LocalDate;
  readonly end: LocalDate;
  readonly event: BillingEvent;
  readonly units: Map<string, Big>;
}

export function proposeUsageItems(input: UsageProposalInput): UsageProposal {
  const items: InvoiceItemRecord[] = [];
  const nextBillingDates: NextBillingDate[] = [];
  const trackingIds: UsageTrackingId[] = [];
  const events = input.billingEvents.filter((event) => !event.effectiveLocalDate.isAfter(input.targetDate));
  const knownUsages = new Map<string, Usage>();
  for (const event of events) for (const usage of inArrearUsages(event)) knownUsages.set(usage.name, usage);
  if (knownUsages.size === 0) return { items, nextBillingDates, trackingIds };
  const bySubscription = groupBy(events, (event) => event.subscriptionId);

  const firstEventDate = events.map((event) => event.effectiveLocalDate).reduce((a, b) => (b.isBefore(a) ? b : a));
  const rawUsageStart = optimizedRawUsageStart(firstEventDate, input, knownUsages);
  const usage = input.usage
    .filter((record) => !record.recordDate.isBefore(rawUsageStart) && !record.recordDate.isAfter(input.targetDate))
    .slice()
    .sort((a, b) => a.recordDate.compareTo(b.recordDate));
  const usageBySubscription = groupBy(usage, (record) => record.subscriptionId);
  const itemsBySubscription = groupBy(
    input.existingItems.filter((item) => item.type === 'USAGE'),
    (item) => item.subscriptionId ?? '',
  );

  for (const [subscriptionId, subscriptionEvents] of bySubscription) {
    if (!subscriptionEvents.some((event) => inArrearUsages(event).length > 0)) continue;
    const nextDates = new Set<string>();
    for (const interval of contiguousIntervals(subscriptionEvents)) {
      const transitions = transitionsOf(interval, input.targetDate, rawUsageStart);
      nextDates.add(nextNotificationDate(interval, input.targetDate).toString());
      if (transitions.length < 2) continue;
      const rated = ratePeriods(interval, transitions, usageBySubscription.get(subscriptionId) ?? []);
      trackingIds.push(...rated.trackingIds);
      items.push(...missingItems(interval, rated.periods, itemsBySubscription.get(subscriptionId) ?? [], input));
    }
    for (const date of [...nextDates].sort()) nextBillingDates.push({ subscriptionId, date: LocalDate.parse(date), kind: 'USAGE' });
  }
  const kept = input.config.disableUsageZeroAmount ? items.filter((item) => !item.amount.eq(0)) : items;
  return { items: kept, nextBillingDates, trackingIds };
}

function inArrearUsages(event: BillingEvent): readonly Usage[] {
  return event.usages.filter((usage) => usage.billingMode === 'IN_ARREAR');
}

/** RawUsageOptimizer: how far back usage is re-read (the last N periods of the most recent usage items). */
function optimizedRawUsageStart(firstEventDate: LocalDate, input: UsageProposalInput, knownUsages: ReadonlyMap<string, Usage>): LocalDate {
  const periods = new Set<BillingPeriod>([...knownUsages.values()].map((usage) => usage.billingPeriod));
  const latestEnd = new Map<BillingPeriod, LocalDate | null>();
  if (input.config.disableUsageZeroAmount) {
    // Without $0 items the last items say nothing: assume up to date and re-read one period before today.
    const today = localToday(input.now);
    const reference = today.isBefore(input.targetDate) ? today : input.targetDate;
    for (const period of periods) latestEnd.set(period, recedeByPeriods(reference, period, 1));
  } else {
    const usageItems = input.existingItems.filter((item) => item.type === 'USAGE' && item.endDate !== null);
    if (usageItems.length === 0) return firstEventDate;
    for (const period of periods) latestEnd.set(period, null);
    for (const item of usageItems) {
      const usage = item.usageName === null ? undefined : knownUsages.get(item.usageName);
      if (!usage || !item.endDate) continue;
      const current = latestEnd.get(usage.billingPeriod);
      if (!current || item.endDate.isAfter(current)) latestEnd.set(usage.billingPeriod, item.endDate);
    }
  }
  let start: LocalDate | null = null;
  let first = true;
  for (const [period, end] of latestEnd) {
    const candidate = end ? recedeByPeriods(end, period, input.config.readMaxRawUsagePreviousPeriod) : null;
    if (first || (candidate && start && candidate.isBefore(start))) start = candidate;
    first = false;
  }
  return start && start.isAfter(firstEventDate) ? start : firstEventDate;
}

function localToday(now: Date): LocalDate {
  return LocalDate.parse(now.toISOString().slice(0, 10));
}

/** SubscriptionUsageInArrear#computeInArrearUsageInterval: per usage section (name and catalog version), the events that carry it. */
function contiguousIntervals(events: readonly BillingEvent[]): Interval[] {
  const done: Interval[] = [];
  const inFlight = new Map<string, Interval>();
  for (const event of events) {
    const usages = inArrearUsages(event);
    const keys = new Set<string>();
    for (const usage of usages) {
      const key = `${usage.name}\u0000${event.catalogEffectiveDate.getTime()}`;
      keys.add(key);
      let interval = inFlight.get(key);
      if (!interval) {
        interval = { usage, events: [], closed: false };
        inFlight.set(key, interval);
      }
      interval.events.push(event);
    }
    for (const [key, interval] of inFlight) {
      if (keys.has(key)) continue;
      interval.events.push(event);
      interval.closed = true;
      done.push(interval);
      inFlight.delete(key);
    }
  }
  return [...done, ...inFlight.values()];
}

/** ContiguousIntervalUsageInArrear#build: the period boundaries, from the raw usage start on. */
function transitionsOf(interval: Interval, targetDate: LocalDate, rawUsageStart: LocalDate): Transition[] {
  const { events, usage, closed } = interval;
  const first = events[0];
  const start = first.effectiveLocalDate;
  if (targetDate.isBefore(start)) return [];
  const last = events[events.length - 1];
  const end = closed ? last.effectiveLocalDate : targetDate;
  const transitions: Transition[] = [];
  if (!start.isBefore(rawUsageStart)) transitions.push({ date: start, event: first });
  events.forEach((event, index) => {
    const isLast = index === events.length - 1;
    const intervalEnd = isLast ? end : events[index + 1].effectiveLocalDate;
    const cycleDate = billingCycle(event.effectiveLocalDate, event.billCycleDayLocal, usage.billingPeriod);
    for (let n = 0; ; n++) {
      const date = cycleDate(n);
      if (isLast ? date.isAfter(intervalEnd) : !date.isBefore(intervalEnd)) break;
      if (date.isBefore(rawUsageStart)) continue;
      const previous = transitions[transitions.length - 1];
      if (!previous || date.isAfter(previous.date)) transitions.push({ date, event });
    }
  });
  const previous = transitions[transitions.length - 1];
  if (closed && previous && (end.isAfter(previous.date) || (end.equals(start) && last.transitionType === 'CANCEL')))
    transitions.push({ date: end, event: last });
  return transitions;
}

/** Usage is rated by section: the unit types of its blocks (consumable) or of its tier limits (capacity). */
function unitTypesOf(usage: Usage): Set<string> {
  const units = new Set<string>();
  for (const tier of usage.tiers) {
    if (usage.usageType === 'CAPACITY') for (const limit of tier.limits) units.add(limit.unit);
    else for (const block of tier.blocks) units.add(block.unit);
  }
  return units;
}

/** ContiguousIntervalUsageInArrear#getRolledUpUsage: the units of each period (sum, or max for capacity). */
function ratePeriods(
  interval: Interval,
  transitions: readonly Transition[],
  records: readonly RawUsageRecord[],
): { periods: Period[]; trackingIds: UsageTrackingId[] } {
  const units = unitTypesOf(interval.usage);
  const relevant = records.filter((record) => units.has(record.unitType));
  const lastTransition = transitions[transitions.length - 1];
  const inRange = relevant.filter((record) => !record.recordDate.isBefore(transitions[0].date) && !record.recordDate.isAfter(lastTransition.date));
  const zeroUnits = () => new Map([...units].map((unit) => [unit, ZERO] as const));
  if (inRange.length === 0) {
    // Nothing recorded: only the last period is rated, at zero.
    const previous = transitions[transitions.length - 2];
    return { periods: [{ start: previous.date, end: lastTransition.date, event: previous.event, units: zeroUnits() }], trackingIds: [] };
  }
  const periods: Period[] = [];
  const trackingIds: UsageTrackingId[] = [];
  for (let i = 1; i < transitions.length; i++) {
    const from = transitions[i - 1];
    const to = transitions[i];
    // Usage on the day of a final cancellation belongs to the last period.
    const cancellationDay = i === transitions.length - 1 && to.event.transitionType === 'CANCEL';
    const amounts = zeroUnits();
    for (const record of inRange) {
      const inside = !record.recordDate.isBefore(from.date) && (record.recordDate.isBefore(to.date) || (cancellationDay && record.recordDate.equals(to.date)));
      if (!inside) continue;
      const current = amounts.get(record.unitType) ?? ZERO;
      amounts.set(
        record.unitType,
        interval.usage.usageType === 'CAPACITY' ? (record.amount.gt(current) ? record.amount : current) : current.plus(record.amount),
      );
      trackingIds.push({ trackingId: record.trackingId, subscriptionId: record.subscriptionId, unitType: record.unitType, recordDate: record.recordDate });
    }
    periods.push({ start: from.date, end: to.date, event: from.event, units: amounts });
  }
  return { periods, trackingIds };
}

/** ContiguousIntervalUsageInArrear#computeNextNotificationDate: the latest next cycle date of its events. */
function nextNotificationDate(interval: Interval, targetDate: LocalDate): LocalDate {
  let result: LocalDate | null = null;
  for (const event of interval.events) {
    const next = nextCycleDateAfter(event.effectiveLocalDate, event.billCycleDayLocal, interval.usage.billingPeriod, targetDate);
    if (!result || next.isAfter(result)) result = next;
  }
  return result!;
}

/** computeMissingItemsAndNextNotificationDate + populateResults of both usage types. */
function missingItems(interval: Interval, periods: readonly Period[], existing: readonly InvoiceItemRecord[], input: UsageProposalInput): InvoiceItemRecord[] {
  const { usage } = interval;
  const sectionItems = existing.filter((item) => item.usageName === usage.name && item.endDate !== null);
  const result: InvoiceItemRecord[] = [];
  for (const period of periods) {
    if (containedInExistingItem(period, sectionItems)) continue;
    const billed = sectionItems.filter((item) => {
      const sameDay = period.start.equals(period.end);
      if (!sameDay && item.startDate.equals(item.endDate!)) return false;
      return !item.startDate.isBefore(period.start) && !item.endDate!.isAfter(period.end);
    });
    const withDetails = billed.every((item) => item.itemDetails !== null && item.itemDetails !== '');
    const previouslyBilled = billed.length > 0;
    const billedAmount = billed.reduce((sum, item) => sum.plus(item.amount), ZERO);
    const aggregate =
      usage.usageType === 'CAPACITY'
        ? capacityAggregate(usage, period.units, input.currency)
        : consumableAggregate(
            usage,
            period.units,
            input.currency,
            previousTiers(billed, input.config.usageDetailMode, withDetails),
            input.config.usageMissingLenient,
          );
    const toBeBilled = roundToCurrency(aggregate.amount, input.currency);
    // ALL_TIERS with details already rates only the blocks not billed yet.
    const amountToBill = usage.usageType === 'CONSUMABLE' && usage.tierBlockPolicy === 'ALL_TIERS' && withDetails ? toBeBilled : toBeBilled.minus(billedAmount);
    if (amountToBill.lt(0)) {
      if (input.config.usageMissingLenient) continue;
      throw new KillBillError('UNEXPECTED_ERROR', [
        `ILLEGAL INVOICING STATE: Usage period start='${period.start.toString()}', end='${period.end.toString()}', amountToBill='${amountToBill.toFixed()}', (previously billed amount='${billedAmount.toFixed()}', new proposed amount='${toBeBilled.toFixed()}')`,
      ]);
    }
    if (previouslyBilled && amountToBill.eq(0)) continue;
    const base = itemBase(interval, period, input);
    if (usage.usageType === 'CONSUMABLE' && input.config.usageDetailMode === 'DETAIL') {
      for (const detail of aggregate.tierDetails) {
        result.push({
          ...base,
          id: input.newItemId(),
          amount: detail.amount ?? ZERO,
          rate: detail.tierPrice,
          quantity: detail.quantity,
          itemDetails: tierDetailJson(detail),
        });
      }
    } else {
      const details = usage.usageType === 'CAPACITY' && !withDetails ? null : aggregateJson(aggregate);
      result.push({ ...base, id: input.newItemId(), amount: amountToBill, rate: null, quantity: null, itemDetails: details });
    }
  }
  return result;
}

function itemBase(
  interval: Interval,
  period: Period,
  input: UsageProposalInput,
): Omit<InvoiceItemRecord, 'id' | 'amount' | 'rate' | 'quantity' | 'itemDetails'> {
  const first = interval.events[0];
  return {
    invoiceId: input.invoiceId,
    accountId: input.accountId,
    childAccountId: null,
    type: 'USAGE',
    bundleId: first.bundleId,
    subscriptionId: first.subscriptionId,
    description: interval.usage.prettyName ?? interval.usage.name,
    productName: first.productName,
    planName: first.planName,
    phaseName: first.phaseName,
    usageName: interval.usage.name,
    catalogEffectiveDate: period.event.catalogEffectiveDate,
    startDate: period.start,
    endDate: period.end,
    currency: input.currency,
    linkedItemId: null,
    createdDate: input.now,
  };
}

/** A period strictly inside an existing item of the section was billed with it (isContainedIntoExistingUsage). */
function containedInExistingItem(period: Period, items: readonly InvoiceItemRecord[]): boolean {
  if (period.start.equals(period.end)) return false;
  return items.some((item) => {
    const end = item.endDate!;
    return (!period.start.isBefore(item.startDate) && period.end.isBefore(end)) || (period.start.isAfter(item.startDate) && !period.end.isAfter(end));
  });
}

/** The tier details already billed for a period, per unit, merged by tier (getBilledDetailsForUnitType). */
function previousTiers(billed: readonly InvoiceItemRecord[], mode: 'AGGREGATE' | 'DETAIL', withDetails: boolean): Map<string, TierUnitDetail[]> {
  const byUnit = new Map<string, Map<number, TierUnitDetail>>();
  if (mode !== 'DETAIL' && !withDetails) return new Map();
  for (const item of billed) {
    if (!item.itemDetails) continue;
    const parsed = JSON.parse(item.itemDetails) as RawTierDetail | { tierDetails: RawTierDetail[] };
    const details: TierUnitDetail[] =
      'tierDetails' in parsed
        ? parsed.tierDetails.map(fromRawTierDetail)
        : [
            {
              ...fromRawTierDetail(parsed),
              tierPrice: item.rate ?? new Big(parsed.tierPrice),
              quantity: item.quantity ?? new Big(parsed.quantity),
              amount: item.amount,
            },
          ];
    for (const detail of details) {
      const tiers = byUnit.get(detail.tierUnit) ?? new Map<number, TierUnitDetail>();
      byUnit.set(detail.tierUnit, tiers);
      const known = tiers.get(detail.tier);
      const quantity = known ? known.quantity.plus(detail.quantity) : detail.quantity;
      tiers.set(detail.tier, { ...detail, quantity, amount: detail.tierPrice.times(quantity) });
    }
  }
  return new Map([...byUnit].map(([unit, tiers]) => [unit, [...tiers.values()].sort((a, b) => a.tier - b.tier)]));
}

interface RawTierDetail {
  tier: number;
  tierUnit: string;
  tierPrice: number | string;
  tierBlockSize?: number | string;
  quantity: number | string;
  amount?: number | string;
}

function fromRawTierDetail(raw: RawTierDetail): TierUnitDetail {
  return {
    tier: raw.tier,
    tierUnit: raw.tierUnit,
    tierPrice: new Big(raw.tierPrice),
    ...(raw.tierBlockSize === undefined ? {} : { tierBlockSize: new Big(raw.tierBlockSize) }),
    quantity: new Big(raw.quantity),
    ...(raw.amount === undefined ? {} : { amount: new Big(raw.amount) }),
  };
}

/** The blocks of one unit across the tiers, in tier order (getConsumableInArrearTieredBlocks). */
function tieredBlocksOf(usage: Usage, unit: string): TieredBlock[] {
  return usage.tiers.flatMap((tier) => tier.blocks.filter((block) => block.unit === unit));
}

function blocksFor(units: Big, size: Big): Big {
  return units.div(size).round(0, Big.roundUp);
}

/** CONSUMABLE: per unit, blocks per tier (ALL_TIERS, net of what was billed) or all at the top tier reached (TOP_TIER). */
export function consumableAggregate(
  usage: Usage,
  units: ReadonlyMap<string, Big>,
  currency: Currency,
  previous: ReadonlyMap<string, readonly TierUnitDetail[]> = new Map(),
  lenient = false,
): UsageAggregate {
  const details: TierUnitDetail[] = [];
  for (const [unit, amount] of units) {
    const blocks = tieredBlocksOf(usage, unit);
    if (blocks.length === 0) continue;
    if (usage.tierBlockPolicy === 'TOP_TIER') details.push(topTier(blocks, unit, amount, currency));
    else details.push(...allTiers(blocks, unit, amount, currency, previous.get(unit) ?? [], lenient));
  }
  return { tierDetails: details, amount: details.reduce((sum, detail) => sum.plus(detail.amount ?? ZERO), ZERO) };
}

function consumableDetail(tier: number, unit: string, block: TieredBlock, currency: Currency, quantity: Big): TierUnitDetail {
  const tierPrice = priceIn(block.prices, currency);
  return { tier, tierUnit: unit, tierPrice, tierBlockSize: block.size, quantity, amount: tierPrice.times(quantity) };
}

function allTiers(
  blocks: readonly TieredBlock[],
  unit: string,
  units: Big,
  currency: Currency,
  previous: readonly TierUnitDetail[],
  lenient: boolean,
): TierUnitDetail[] {
  const result: TierUnitDetail[] = [];
  let remaining = units;
  blocks.forEach((block, index) => {
    const tier = index + 1;
    const needed = blocksFor(remaining, block.size);
    let used: Big;
    if (!block.max.eq(UNLIMITED) && needed.gt(block.max)) {
      used = block.max;
      remaining = remaining.minus(block.max.times(block.size));
    } else {
      used = needed;
      remaining = ZERO;
    }
    if (previous.length > 0) {
      const billed = tier <= previous.length ? previous[tier - 1].quantity : ZERO;
      const consistent = tier < previous.length ? used.eq(billed) : used.gte(billed);
      if (!consistent && !lenient)
        throw new KillBillError('UNEXPECTED_ERROR', [
          `Expected usage for tier='${tier}', unit='${unit}' to cover what was billed, instead found units='[${used.toFixed()}/${billed.toFixed()}]'`,
        ]);
      used = used.minus(billed);
    }
    if (tier === 1 || used.gt(0)) result.push(consumableDetail(tier, unit, block, currency, used));
  });
  return result;
}

function topTier(blocks: readonly TieredBlock[], unit: string, units: Big, currency: Currency): TierUnitDetail {
  let remaining = units;
  let target = blocks.length - 1;
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    // An unlimited tier (max −1) never "overflows": -1 is below any count of blocks, as in Kill Bill.
    if (blocksFor(remaining, block.size).gt(block.max)) remaining = remaining.minus(block.max.times(block.size));
    else {
      target = index;
      break;
    }
  }
  const block = blocks[target];
  return consumableDetail(target + 1, unit, block, currency, blocksFor(units, block.size));
}

/** CAPACITY: the price of the first tier whose limits hold every unit; $0 when nothing was used. */
export function capacityAggregate(usage: Usage, units: ReadonlyMap<string, Big>, currency: Currency): UsageAggregate {
  const details: TierUnitDetail[] = [];
  const detailed = new Set<string>();
  for (let index = 0; index < usage.tiers.length; index++) {
    const tier = usage.tiers[index];
    const tierPrice = tier.recurringPrice ? priceIn(tier.recurringPrice, currency) : ZERO;
    let complies = true;
    let allZero = true;
    for (const [unit, amount] of units) {
      const limit = tier.limits.find((candidate) => candidate.unit === unit);
      if (!limit) throw new KillBillError('UNEXPECTED_ERROR', [`Could not find unit type ${unit} in usage tier`]);
      if (limit.max !== undefined && !limit.max.eq(UNLIMITED) && amount.gt(limit.max)) complies = false;
      else {
        allZero = allZero && amount.lte(0);
        if (!detailed.has(unit)) {
          details.push({ tier: index + 1, tierUnit: unit, tierPrice, quantity: amount });
          detailed.add(unit);
        }
      }
    }
    if (complies) return { tierDetails: details, amount: allZero ? ZERO : tierPrice };
  }
  throw new KillBillError('UNEXPECTED_ERROR', [`Could not find tier for usage ${usage.name}`]);
}

/** Jackson writes BigDecimal as a JSON number; big.js prints the same digits. */
function tierDetailJson(detail: TierUnitDetail): string {
  return JSON.stringify(tierDetailObject(detail));
}

function tierDetailObject(detail: TierUnitDetail): Record<string, unknown> {
  return {
    tier: detail.tier,
    tierUnit: detail.tierUnit,
    tierPrice: Number(detail.tierPrice.toFixed()),
    ...(detail.tierBlockSize === undefined ? {} : { tierBlockSize: Number(detail.tierBlockSize.toFixed()) }),
    quantity: Number(detail.quantity.toFixed()),
    ...(detail.amount === undefined ? {} : { amount: Number(detail.amount.toFixed()) }),
  };
}

export function aggregateJson(aggregate: UsageAggregate): string {
  return JSON.stringify({ tierDetails: aggregate.tierDetails.map(tierDetailObject), amount: Number(aggregate.amount.toFixed()) });
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}
