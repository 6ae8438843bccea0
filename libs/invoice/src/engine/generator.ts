/**
 * The invoice generator (Kill Bill's DefaultInvoiceGenerator + FixedAndRecurringInvoiceItemGenerator):
 * from the billing events and the existing invoices of an account, the items a new invoice must
 * carry up to the target date. Pure: every number comes from its input.
 */
import { Instant, LocalDate, ZoneOffset } from '@js-joda/core';
import { AccountTime, KillBillError, roundToCurrency, toAccountLocalDate } from '@kb/kernel';
import type { InvoiceGeneratorConfig, InvoiceGeneratorInput, InvoiceGeneratorResult, InvoiceItemRecord, InvoiceRecord, NextBillingDate } from './model';
import { ProposalContext, RecurringNotification, proposeRecurringItems } from './recurring';
import { proposeFixedItems } from './fixed';
import { TreeResultItem, fullyRepairedItemIds, mergeWithExistingItems } from './item-tree';
import { proposeUsageItems, type UsageProposal } from './usage';

export function generateInvoiceItems(input: InvoiceGeneratorInput): InvoiceGeneratorResult {
  const invoices = billedInvoices(input.existingInvoices);
  const targetDate = ratchetedTargetDate(invoices, input.targetDate);
  const recurring = fixedAndRecurringItems(input, invoices, targetDate);
  const usage = usageItems(input, invoices, targetDate);
  const items = [...recurring.items, ...usage.items];
  return {
    items,
    targetDate,
    chargedThroughDates: chargedThroughDates(items),
    nextBillingDates: [...recurringNextBillingDates(recurring.notifications, items), ...usage.nextBillingDates],
    trackingIds: usage.trackingIds,
  };
}

/** The USAGE items in arrear (Kill Bill's UsageInvoiceItemGenerator), AUTO_INVOICING_OFF subscriptions left out. */
function usageItems(input: InvoiceGeneratorInput, invoices: readonly InvoiceRecord[], targetDate: LocalDate): UsageProposal {
  const excluded = new Set(input.autoInvoicingOffSubscriptionIds ?? []);
  return proposeUsageItems({
    billingEvents: input.billingEvents.filter((e) => !excluded.has(e.subscriptionId)),
    existingItems: invoices.flatMap((i) => i.items).filter((i) => i.type === 'USAGE' && !excluded.has(i.subscriptionId ?? '')),
    usage: input.usage.filter((u) => !excluded.has(u.subscriptionId)),
    targetDate,
    invoiceId: input.invoiceId,
    accountId: input.accountId,
    currency: input.currency,
    newItemId: input.newItemId,
    now: input.now,
    config: input.config,
  });
}

/** What the generator considers billed: every invoice but VOID and migrated ones (Kill Bill's DAO leaves those out). */
export function billedInvoices(invoices: readonly InvoiceRecord[]): InvoiceRecord[] {
  return invoices.filter((i) => i.status !== 'VOID' && !i.migrated);
}

/** The target date never moves back behind an invoice already carrying RECURRING or USAGE items (Kill Bill #1241). */
export function ratchetedTargetDate(invoices: readonly InvoiceRecord[], requested: LocalDate): LocalDate {
  let target = requested;
  for (const invoice of invoices) {
    if (!invoice.items.some((i) => i.type === 'RECURRING' || i.type === 'USAGE')) continue;
    if (invoice.targetDate !== null && invoice.targetDate.isAfter(target)) target = invoice.targetDate;
  }
  return target;
}

export interface FixedAndRecurringResult {
  readonly items: InvoiceItemRecord[];
  readonly notifications: ReadonlyMap<string, RecurringNotification>;
}

/** The new FIXED, RECURRING and REPAIR_ADJ items, safety bounds checked. */
export function fixedAndRecurringItems(input: InvoiceGeneratorInput, invoices: readonly InvoiceRecord[], targetDate: LocalDate): FixedAndRecurringResult {
  const excluded = new Set(input.autoInvoicingOffSubscriptionIds ?? []);
  const all = invoices.flatMap((i) => i.items);
  const pruned = fullyRepairedItemIds(all);
  const byId = new Map(all.map((i) => [i.id, i]));
  // items of AUTO_INVOICING_OFF subscriptions, and their adjustments, are left out
  const subscriptionOf = (item: InvoiceItemRecord) =>
    item.subscriptionId ?? (item.linkedItemId !== null ? (byId.get(item.linkedItemId)?.subscriptionId ?? null) : null);
  const existing = all.filter((i) => !pruned.has(i.id) && !excluded.has(subscriptionOf(i) ?? ''));

  let proposedCount = 0;
  const ctx: ProposalContext = {
    accountId: input.accountId,
    invoiceId: input.invoiceId,
    currency: input.currency,
    targetDate,
    now: input.now,
    prorationFixedDays: input.config.prorationFixedDays,
    inArrearGreedy: input.config.inArrearGreedy,
    proposedId: () => `proposed-${++proposedCount}`,
  };
  const events = input.billingEvents.filter((e) => !excluded.has(e.subscriptionId));
  const notifications = new Map<string, RecurringNotification>();
  const proposed = [...proposeRecurringItems(events, ctx, notifications), ...proposeFixedItems(events, ctx)];

  const merged = mergeWithExistingItems(existing, proposed, input.config.prorationFixedDays);
  const items = merged.map((m) => newItem(m, input));
  checkSafetyBounds(items, existing, input.config, input.now, input.accountTime);
  return { items, notifications };
}

function newItem(result: TreeResultItem, input: InvoiceGeneratorInput): InvoiceItemRecord {
  if (result.kind === 'PROPOSED') {
    return {
      ...result.source,
      id: input.newItemId(),
      startDate: result.start,
      endDate: result.end,
      // a piece of a proposed item (the rest already billed) is prorated over the item's span
      amount: roundToCurrency(result.amount, input.currency),
    };
  }
  return {
    id: input.newItemId(),
    invoiceId: input.invoiceId,
    accountId: input.accountId,
    childAccountId: null,
    type: 'REPAIR_ADJ',
    bundleId: null,
    subscriptionId: null,
    description: 'Adjustment (subscription change)',
    productName: null,
    planName: null,
    phaseName: null,
    usageName: null,
    catalogEffectiveDate: null,
    startDate: result.start,
    endDate: result.end,
    amount: roundToCurrency(result.amount, input.currency).times(-1),
    rate: null,
    currency: input.currency,
    linkedItemId: result.repaired.id,
    quantity: null,
    itemDetails: null,
    createdDate: input.now,
  };
}

/** org.killbill.invoice.sanitySafetyBoundEnabled and maxDailyNumberOfItemsSafetyBound (Kill Bill #664). */
export function checkSafetyBounds(
  items: readonly InvoiceItemRecord[],
  existing: readonly InvoiceItemRecord[],
  config: InvoiceGeneratorConfig,
  now: Date,
  time: AccountTime | undefined,
): void {
  if (config.sanitySafetyBoundEnabled) {
    const seen = new Set<string>();
    for (const item of items) {
      if (item.type !== 'FIXED' && item.type !== 'RECURRING') continue;
      const key =
        item.type === 'FIXED'
          ? `FIXED|${item.subscriptionId ?? ''}|${item.startDate.toString()}`
          : `RECURRING|${item.subscriptionId ?? ''}|${item.startDate.toString()}|${item.endDate?.toString() ?? ''}`;
      if (seen.has(key)) {
        throw new KillBillError('UNEXPECTED_ERROR', [
          item.type === 'FIXED'
            ? `SAFETY BOUND TRIGGERED Multiple FIXED items for subscriptionId='${item.subscriptionId ?? ''}', startDate='${item.startDate.toString()}'`
            : `SAFETY BOUND TRIGGERED Multiple RECURRING items for subscriptionId='${item.subscriptionId ?? ''}', startDate='${item.startDate.toString()}', endDate='${item.endDate?.toString() ?? ''}'`,
        ]);
      }
      seen.add(key);
    }
  }
  const bound = config.maxDailyNumberOfItemsSafetyBound;
  if (bound === -1) return;
  const localDay = (date: Date) =>
    (time
      ? toAccountLocalDate(Instant.ofEpochMilli(date.getTime()), time)
      : LocalDate.ofInstant(Instant.ofEpochMilli(date.getTime()), ZoneOffset.UTC)
    ).toString();
  const perDay = new Map<string, number>();
  const count = (subscriptionId: string, day: string) => {
    const key = `${subscriptionId}|${day}`;
    const n = (perDay.get(key) ?? 0) + 1;
    perDay.set(key, n);
    return n;
  };
  for (const item of existing) if (item.subscriptionId !== null) count(item.subscriptionId, localDay(item.createdDate));
  const today = localDay(now);
  for (const item of items) {
    if (item.subscriptionId === null) continue;
    if (count(item.subscriptionId, today) > bound) {
      throw new KillBillError('UNEXPECTED_ERROR', [
        `SAFETY BOUND TRIGGERED subscriptionId='${item.subscriptionId}', resultingItem=${item.type} ${item.startDate.toString()}`,
      ]);
    }
  }
}

/**
 * Kill Bill's InvoiceWithMetadata#computeChargedThroughDates: per subscription, the latest end (or
 * start, when open) of the new FIXED/RECURRING/USAGE items. Kill Bill applies it only when the
 * invoice is COMMITTED.
 */
export function chargedThroughDates(items: readonly InvoiceItemRecord[]): Map<string, LocalDate> {
  const result = new Map<string, LocalDate>();
  for (const item of items) {
    if ((item.type !== 'FIXED' && item.type !== 'RECURRING' && item.type !== 'USAGE') || item.subscriptionId === null) continue;
    const date = item.endDate ?? item.startDate;
    const current = result.get(item.subscriptionId);
    if (!current || current.isBefore(date)) result.set(item.subscriptionId, date);
  }
  return result;
}

/**
 * The recurring next billing dates (InvoiceWithMetadata#build): an in-advance date is dropped when
 * the invoice bills nothing recurring for the subscription and no item starts or ends on it (else
 * the next run would schedule itself forever).
 */
export function recurringNextBillingDates(notifications: ReadonlyMap<string, RecurringNotification>, items: readonly InvoiceItemRecord[]): NextBillingDate[] {
  const result: NextBillingDate[] = [];
  // Indexed once: the checks below run for each of an account's subscriptions (30,000 of them in one run).
  const withRecurring = new Set(items.filter((i) => i.type === 'RECURRING').map((i) => i.subscriptionId));
  const itemDays = new Set<number>();
  for (const i of items) {
    itemDays.add(i.startDate.toEpochDay());
    if (i.endDate !== null) itemDays.add(i.endDate.toEpochDay());
  }
  for (const [subscriptionId, notification] of notifications) {
    const date = notification.date;
    if (date === null) continue;
    if (notification.mode === 'IN_ADVANCE') {
      const hasRecurring = withRecurring.has(subscriptionId);
      const hasItemOnDate = itemDays.has(date.toEpochDay());
      if (!hasRecurring && !hasItemOnDate) continue;
    }
    result.push({ subscriptionId, date, kind: 'RECURRING' });
  }
  return result;
}
