/**
 * Proposed FIXED items (Kill Bill's FixedAndRecurringInvoiceItemGenerator#processFixedBillingEvents):
 * one per billing event with a fixed price up to the target date, never prorated; when several
 * events of a subscription fall on one day only the last one counts.
 */
import { LocalDate } from '@js-joda/core';
import { KillBillError } from '@kb/kernel';
import { addDuration } from '@kb/catalog/engine';
import type { BillingEvent } from '@kb/entitlement/engine';
import type { InvoiceItemRecord } from './model';
import type { ProposalContext } from './recurring';
import { eventsBySubscription } from './recurring';

export function proposeFixedItems(events: readonly BillingEvent[], ctx: ProposalContext): InvoiceItemRecord[] {
  const proposed: InvoiceItemRecord[] = [];
  for (const subscriptionEvents of eventsBySubscription(events).values()) {
    let previous: InvoiceItemRecord | null = null;
    subscriptionEvents.forEach((event, index) => {
      if (event.transitionType === 'BCD_CHANGE') return;
      const next = subscriptionEvents[index + 1] ?? null;
      const current = fixedItemOf(event, next, ctx);
      // an event on the same day replaces the previous event's fixed item (even by none)
      if (previous !== null && !previous.startDate.isEqual(event.effectiveLocalDate)) proposed.push(previous);
      previous = current;
    });
    if (previous !== null) proposed.push(previous);
  }
  return proposed;
}

function fixedItemOf(event: BillingEvent, next: BillingEvent | null, ctx: ProposalContext): InvoiceItemRecord | null {
  const start = event.effectiveLocalDate;
  if (start.isAfter(ctx.targetDate) || event.fixedPrice === null) return null;
  if (event.plan === null || event.phase === null) {
    throw new KillBillError('UNEXPECTED_ERROR', [`Unexpected null Plan name event for subscription ${event.subscriptionId}`]);
  }
  const amount = event.fixedPrice.times(event.quantity);
  const phasePrettyName = event.phase.prettyName ?? event.phaseName;
  return {
    id: ctx.proposedId(),
    invoiceId: ctx.invoiceId,
    accountId: ctx.accountId,
    childAccountId: null,
    type: 'FIXED',
    bundleId: event.bundleId,
    subscriptionId: event.subscriptionId,
    description: phasePrettyName === null ? 'Fixed price charge' : amount.eq(0) ? event.phaseName : `${phasePrettyName} (fixed price)`,
    productName: event.productName,
    planName: event.planName,
    phaseName: event.phaseName,
    usageName: null,
    catalogEffectiveDate: event.catalogEffectiveDate,
    startDate: start,
    endDate: fixedItemEndDate(event, next, start),
    amount,
    rate: null,
    currency: ctx.currency,
    linkedItemId: null,
    quantity: null,
    itemDetails: null,
    createdDate: ctx.now,
  };
}

/** A phase without recurring price that is not evergreen: its fixed item covers the phase. */
function fixedItemEndDate(event: BillingEvent, next: BillingEvent | null, start: LocalDate): LocalDate | null {
  if (event.recurringPrice !== null || event.phase === null || event.phase.type === 'EVERGREEN') return null;
  if (next !== null && next.transitionType === 'PHASE') return next.effectiveLocalDate;
  // an UNLIMITED duration has no end (Kill Bill logs the catalog error and leaves it open)
  if (event.phase.duration.unit === 'UNLIMITED') return null;
  return addDuration(start, event.phase.duration);
}
