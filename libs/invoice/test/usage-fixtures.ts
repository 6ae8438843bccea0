import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import type { BillingPeriod, Tier, TierBlockPolicy, Usage } from '@kb/catalog/engine';
import type { BillingEvent } from '@kb/entitlement/engine';
import {
  DEFAULT_INVOICE_GENERATOR_CONFIG,
  type InvoiceGeneratorConfig,
  type InvoiceItemRecord,
  type RawUsageRecord,
  type UsageProposalInput,
} from '@kb/invoice/engine';

export const SUBSCRIPTION = 'sub-1';
export const CATALOG_DATE = new Date('2012-01-01T00:00:00Z');
const usd = (value: string) => ({ prices: [{ currency: 'USD' as const, value: new Big(value) }] });

/** Kill Bill's test helper createDefaultTieredBlock(unit, size, max, price) as a tier. */
export function blockTier(unit: string, size: number, max: number, price: string): Tier {
  return { limits: [], blocks: [{ type: 'TIERED', unit, size: new Big(size), max: new Big(max), prices: usd(price) }] };
}

export function capacityTier(price: string, limits: Record<string, number>): Tier {
  return { limits: Object.entries(limits).map(([unit, max]) => ({ unit, max: new Big(max) })), blocks: [], recurringPrice: usd(price) };
}

export function consumable(name: string, policy: TierBlockPolicy, tiers: Tier[], billingPeriod: BillingPeriod = 'MONTHLY'): Usage {
  return { name, billingMode: 'IN_ARREAR', usageType: 'CONSUMABLE', tierBlockPolicy: policy, billingPeriod, limits: [], blocks: [], tiers };
}

export function capacity(name: string, tiers: Tier[], billingPeriod: BillingPeriod = 'MONTHLY'): Usage {
  return { name, billingMode: 'IN_ARREAR', usageType: 'CAPACITY', tierBlockPolicy: 'ALL_TIERS', billingPeriod, limits: [], blocks: [], tiers };
}

export function billingEvent(
  date: string,
  usages: Usage[],
  options: { bcd?: number; type?: BillingEvent['transitionType']; ordering?: number } = {},
): BillingEvent {
  const effectiveLocalDate = LocalDate.parse(date);
  return {
    subscriptionId: SUBSCRIPTION,
    bundleId: 'bundle-1',
    effectiveDate: new Date(`${date}T00:00:00Z`),
    effectiveLocalDate,
    transitionType: options.type ?? 'CREATE',
    plan: null,
    phase: null,
    planName: 'plan',
    phaseName: 'plan-evergreen',
    priceListName: 'DEFAULT',
    productName: 'Product',
    productCategory: 'BASE',
    fixedPrice: null,
    recurringPrice: null,
    billingPeriod: 'MONTHLY',
    billingMode: 'IN_ADVANCE',
    billCycleDayLocal: options.bcd ?? effectiveLocalDate.dayOfMonth(),
    billingAlignment: 'ACCOUNT',
    usages: options.type === 'CANCEL' ? [] : usages,
    quantity: 1,
    catalogEffectiveDate: CATALOG_DATE,
    totalOrdering: options.ordering ?? 1,
  } as BillingEvent;
}

export function raw(date: string, unitType: string, amount: number | string, trackingId = 't'): RawUsageRecord {
  return { subscriptionId: SUBSCRIPTION, unitType, recordDate: LocalDate.parse(date), amount: new Big(amount), trackingId };
}

export function usageItem(
  usageName: string,
  start: string,
  end: string,
  amount: string,
  itemDetails: string | null = null,
  extra: Partial<InvoiceItemRecord> = {},
): InvoiceItemRecord {
  return {
    id: `item-${start}`,
    invoiceId: 'old-invoice',
    accountId: 'account-1',
    childAccountId: null,
    type: 'USAGE',
    bundleId: 'bundle-1',
    subscriptionId: SUBSCRIPTION,
    description: usageName,
    productName: 'Product',
    planName: 'plan',
    phaseName: 'plan-evergreen',
    usageName,
    catalogEffectiveDate: CATALOG_DATE,
    startDate: LocalDate.parse(start),
    endDate: LocalDate.parse(end),
    amount: new Big(amount),
    rate: null,
    currency: 'USD',
    linkedItemId: null,
    quantity: null,
    itemDetails,
    createdDate: new Date('2012-01-01T00:00:00Z'),
    ...extra,
  };
}

export function proposalInput(
  billingEvents: BillingEvent[],
  usage: RawUsageRecord[],
  targetDate: string,
  existingItems: InvoiceItemRecord[] = [],
  config: Partial<InvoiceGeneratorConfig> = {},
): UsageProposalInput {
  let next = 0;
  return {
    billingEvents,
    existingItems,
    usage,
    targetDate: LocalDate.parse(targetDate),
    invoiceId: 'new-invoice',
    accountId: 'account-1',
    currency: 'USD',
    newItemId: () => `new-${++next}`,
    now: new Date(`${targetDate}T12:00:00Z`),
    config: { ...DEFAULT_INVOICE_GENERATOR_CONFIG, ...config },
  };
}

export const summary = (items: readonly InvoiceItemRecord[]) =>
  items.map((item) => [item.startDate.toString(), item.endDate?.toString(), item.amount.toFixed(2)]);
