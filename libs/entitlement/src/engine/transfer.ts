/**
 * What a bundle transfer writes (Kill Bill's DefaultSubscriptionBaseTransferApi): the billing cancel
 * date of each source subscription and the events of its copy on the destination account. Pure.
 */
import type { PlannedEvent } from './phase-alignment';
import type { SubscriptionEvent } from './subscription-events';

export const BCD_TRANSFERS = ['NONE', 'USE_EXISTING', 'ALIGN_WITH_EFF_DT'] as const;
export type BcdTransfer = (typeof BCD_TRANSFERS)[number];

export interface TransferCancelRequest {
  readonly transferDate: Date;
  /** IMMEDIATE billing policy (else END_OF_TERM). */
  readonly immediate: boolean;
  readonly chargedThroughDate: Date | null;
  /** The last transition already in effect (else the subscription's start): a cancel never precedes it. */
  readonly earliestValidDate: Date;
}

/** The source's billing CANCEL: at the CTD for END_OF_TERM when it is after the transfer, else at the transfer. */
export function transferCancelDate(request: TransferCancelRequest): Date {
  const { transferDate, chargedThroughDate } = request;
  const candidate = !request.immediate && chargedThroughDate && transferDate.getTime() < chargedThroughDate.getTime() ? chargedThroughDate : transferDate;
  return candidate.getTime() < request.earliestValidDate.getTime() ? request.earliestValidDate : candidate;
}

/**
 * The destination subscription's events (Kill Bill's toEvents): the plan event in force at the
 * transfer date becomes a TRANSFER at that date, carrying its plan and phase; the BCD and quantity in
 * force are carried over (the BCD per `bcdTransfer`); later events are copied at their own dates (the
 * first one a TRANSFER when nothing was in force yet). Cancels and markers are not copied.
 */
export function transferredEvents(existing: readonly SubscriptionEvent[], transferDate: Date, bcdTransfer: BcdTransfer): PlannedEvent[] {
  const realignBcd = bcdTransfer === 'ALIGN_WITH_EFF_DT';
  const result: PlannedEvent[] = [];
  let first = true;
  const insert = (event: SubscriptionEvent | undefined, realign: boolean): boolean => {
    if (!event) return false;
    const created = copyEvent(first, event, transferDate, realign);
    if (!created) return false;
    result.push(created);
    first = false;
    return true;
  };
  let previous: SubscriptionEvent | undefined;
  let previousBcd: SubscriptionEvent | undefined;
  let previousQuantity: SubscriptionEvent | undefined;
  const active = existing.filter((e) => e.isActive).sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime() || a.recordId - b.recordId);
  for (const event of active) {
    if (event.effectiveDate.getTime() < transferDate.getTime()) {
      if (event.type === 'BCD_CHANGE') {
        if (bcdTransfer !== 'NONE') previousBcd = event;
      } else if (event.type === 'QUANTITY_CHANGE') previousQuantity = event;
      else previous = event;
      continue;
    }
    if (insert(previous, false)) previous = undefined;
    if (insert(previousBcd, realignBcd)) previousBcd = undefined;
    if (insert(previousQuantity, false)) previousQuantity = undefined;
    insert(event, false);
  }
  insert(previous, false);
  insert(previousBcd, realignBcd);
  insert(previousQuantity, false);
  return result;
}

function copyEvent(first: boolean, event: SubscriptionEvent, transferDate: Date, realignBcd: boolean): PlannedEvent | undefined {
  const effectiveDate = event.effectiveDate.getTime() < transferDate.getTime() ? transferDate : event.effectiveDate;
  const plan = { planName: event.planName ?? null, phaseName: event.phaseName ?? null, priceListName: event.priceListName ?? null, catalogEffectiveDate: event.catalogEffectiveDate ?? null };
  switch (event.type) {
    case 'CREATE':
    case 'TRANSFER':
      return { type: 'TRANSFER', effectiveDate, ...plan };
    case 'CHANGE':
      return { type: first ? 'TRANSFER' : 'CHANGE', effectiveDate, ...plan };
    case 'PHASE':
      return { type: first ? 'TRANSFER' : 'PHASE', effectiveDate, ...plan };
    case 'BCD_CHANGE':
      // Kill Bill takes the day of month of the transfer instant (a UTC DateTime).
      return { type: 'BCD_CHANGE', effectiveDate, billCycleDayLocal: realignBcd ? transferDate.getUTCDate() : (event.billCycleDayLocal ?? null) };
    case 'QUANTITY_CHANGE':
      return { type: 'QUANTITY_CHANGE', effectiveDate, quantity: event.quantity ?? null };
    default:
      return undefined;
  }
}
