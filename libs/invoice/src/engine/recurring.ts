/**
 * Proposed RECURRING items (Kill Bill's FixedAndRecurringInvoiceItemGenerator#processRecurringEvent):
 * every service period of every billing interval up to the target date, from the beginning of
 * time, and the date each subscription must be invoiced again.
 */
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { KillBillError, roundToCurrency } from '@kb/kernel';
import type { BillingMode } from '@kb/catalog/engine';
import type { BillingEvent } from '@kb/entitlement/engine';
import type { InvoiceItemRecord } from './model';
import { BillingInterval, recurringPeriods } from './billing-period';

export interface ProposalContext {
  readonly accountId: string;
  readonly invoiceId: string;
  readonly currency: InvoiceItemRecord['currency'];
  readonly targetDate: LocalDate;
  readonly now: Date;
  readonly prorationFixedDays: number;
  readonly inArrearGreedy: boolean;
  /** Ids of proposed items (only the ones kept get a real id afterwards). */
  readonly proposedId: () => string;
}

/** Kill Bill's SubscriptionFutureNotificationDates (recurring part). */
export interface RecurringNotification {
  readonly mode: BillingMode;
  date: LocalDate | null;
}

/** A subscription's events in order, each with the event that closes its interval. */
export function eventsBySubscription(events: readonly BillingEvent[]): Map<string, BillingEvent[]> {
  const result = new Map<string, BillingEvent[]>();
  for (const event of events) {
    const list = result.get(event.subscriptionId);
    if (list) list.push(event);
    else result.set(event.subscriptionId, [event]);
  }
  return result;
}

export function proposeRecurringItems(
  events: readonly BillingEvent[],
  ctx: ProposalContext,
  notifications: Map<string, RecurringNotification>,
): InvoiceItemRecord[] {
  const proposed: InvoiceItemRecord[] = [];
  for (const subscriptionEvents of eventsBySubscription(events).values()) {
    subscriptionEvents.forEach((event, index) => {
      const next = subscriptionEvents[index + 1] ?? null;
      proposed.push(...recurringItemsOfEvent(event, next, ctx, notifications));
    });
  }
  return proposed;
}

function recurringItemsOfEvent(
  event: BillingEvent,
  next: BillingEvent | null,
  ctx: ProposalContext,
  notifications: Map<string, RecurringNotification>,
): InvoiceItemRecord[] {
  const start = event.effectiveLocalDate;
  if (start.isAfter(ctx.targetDate)) return [];
  if (event.billingPeriod === 'NO_BILLING_PERIOD') {
    const current = notifications.get(event.subscriptionId);
    if (current) current.date = null;
    return [];
  }
  if (event.plan === null) throw new KillBillError('UNEXPECTED_ERROR', [`Unexpected null Plan name event for subscription ${event.subscriptionId}`]);
  const mode: BillingMode = event.billingMode ?? event.plan.recurringBillingMode ?? 'IN_ADVANCE';
  const end = next === null ? null : next.effectiveLocalDate;
  if (end !== null && end.isBefore(start)) {
    throw new KillBillError('INVOICE_INVALID_DATE_SEQUENCE', [start.toString(), end.toString(), ctx.targetDate.toString()]);
  }
  const interval = new BillingInterval(start, end, ctx.targetDate, event.billCycleDayLocal, event.billingPeriod, mode, ctx.inArrearGreedy);
  const items: InvoiceItemRecord[] = [];
  if (event.recurringPrice !== null) {
    const rate = event.recurringPrice.times(event.quantity);
    for (const period of recurringPeriods(interval, ctx.prorationFixedDays)) {
      items.push({
        id: ctx.proposedId(),
        invoiceId: ctx.invoiceId,
        accountId: ctx.accountId,
        childAccountId: null,
        type: 'RECURRING',
        bundleId: event.bundleId,
        subscriptionId: event.subscriptionId,
        description: event.phase?.prettyName ?? event.phaseName,
        productName: event.productName,
        planName: event.planName,
        phaseName: event.phaseName,
        usageName: null,
        catalogEffectiveDate: event.catalogEffectiveDate,
        startDate: period.start,
        endDate: period.end,
        amount: roundToCurrency(period.fraction.times(rate), ctx.currency),
        rate,
        currency: ctx.currency,
        linkedItemId: null,
        quantity: null,
        itemDetails: null,
        createdDate: ctx.now,
      });
    }
  }
  updateNotification(event.subscriptionId, mode, mode === 'IN_ADVANCE' ? latestEnd(items) : interval.nextBillingCycleDate(), notifications);
  return items;
}

const ZERO = new Big(0);

function latestEnd(items: readonly InvoiceItemRecord[]): LocalDate | null {
  let latest: LocalDate | null = null;
  for (const item of items) {
    if (item.endDate === null || item.amount.lt(ZERO)) continue;
    if (latest === null || item.endDate.isAfter(latest)) latest = item.endDate;
  }
  return latest;
}

function updateNotification(subscriptionId: string, mode: BillingMode, candidate: LocalDate | null, notifications: Map<string, RecurringNotification>): void {
  if (candidate === null) return;
  let current = notifications.get(subscriptionId);
  if (!current) notifications.set(subscriptionId, (current = { mode, date: null }));
  if (current.date === null || candidate.isAfter(current.date)) current.date = candidate;
}
