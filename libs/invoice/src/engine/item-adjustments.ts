/**
 * Item adjustments (Kill Bill's ItemAdjInvoiceItem): what is left to adjust on an item, and the
 * ITEM_ADJ that takes an amount off it. Shared by the invoice API's adjustments and by refunds with
 * adjustments, so both read "what is left" the same way.
 */
import Big from 'big.js';
import type { LocalDate } from '@js-joda/core';
import type { InvoiceItemRecord } from './model';

/** The item's amount less what earlier ITEM_ADJ and REPAIR_ADJ linked to it took (anywhere on the account), never below 0. */
export function adjustableAmountOf(item: InvoiceItemRecord, accountItems: readonly InvoiceItemRecord[]): Big {
  const taken = accountItems
    .filter((candidate) => candidate.linkedItemId === item.id && (candidate.type === 'ITEM_ADJ' || candidate.type === 'REPAIR_ADJ'))
    .reduce((sum, candidate) => sum.minus(candidate.amount), new Big(0));
  return taken.gte(item.amount) ? new Big(0) : item.amount.minus(taken);
}

export interface ItemAdjustmentInput {
  readonly id: string;
  /** The (positive) amount taken off the item. */
  readonly amount: Big;
  /** Start and end date of the adjustment. */
  readonly date: LocalDate;
  readonly description?: string | null;
  readonly itemDetails?: string | null;
  readonly now: Date;
}

/** The ITEM_ADJ of `target`: its names kept, no subscription or bundle, −amount on the target's invoice, linked to it. */
export function itemAdjustment(target: InvoiceItemRecord, input: ItemAdjustmentInput): InvoiceItemRecord {
  return {
    ...target,
    id: input.id,
    type: 'ITEM_ADJ',
    childAccountId: null,
    bundleId: null,
    subscriptionId: null,
    description: input.description ?? null,
    startDate: input.date,
    endDate: input.date,
    amount: input.amount.neg(),
    rate: null,
    linkedItemId: target.id,
    quantity: null,
    itemDetails: input.itemDetails ?? null,
    createdDate: input.now,
  };
}
