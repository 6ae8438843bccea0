import { defineBusEvent, defineQueue } from '@kb/platform';

/** Kill Bill's InvoiceCreationInternalEvent (external INVOICE_CREATION): a COMMITTED invoice was written (or a DRAFT committed). */
export interface InvoiceCreationPayload {
  readonly invoiceId: string;
  readonly accountId: string;
  /** The invoice's raw balance when created, a decimal string. */
  readonly amountOwed: string;
  readonly currency: string;
}

export const InvoiceCreation = defineBusEvent<InvoiceCreationPayload>('INVOICE_CREATION');

/** Kill Bill's InvoiceAdjustmentInternalEvent (external INVOICE_ADJUSTMENT): a committed invoice changed. */
export interface InvoiceAdjustmentPayload {
  readonly invoiceId: string;
  readonly accountId: string;
}

export const InvoiceAdjustment = defineBusEvent<InvoiceAdjustmentPayload>('INVOICE_ADJUSTMENT');

/**
 * Kill Bill's next-billing-date notification (NextBillingDateNotificationKey): invoice the account
 * again on that day. Kill Bill keeps one per account and day, naming every subscription due that day.
 */
export interface NextBillingDateNotification {
  readonly accountId: string;
  /** Kill Bill's uuidKeys: the subscriptions due that day. */
  readonly subscriptionIds: readonly string[];
  /** The account-local day the notification is for. */
  readonly targetDate: string;
}

export const NextBillingDateQueue = defineQueue<NextBillingDateNotification>('invoice-next-billing-date');

/** The subscriptions a notification names; one queued before they were grouped by day names one (as Kill Bill reads its deprecated uuidKey). */
export function dueSubscriptionIds(payload: NextBillingDateNotification): readonly string[] {
  const legacy = (payload as { subscriptionId?: string }).subscriptionId;
  return payload.subscriptionIds ?? (legacy ? [legacy] : []);
}

/** Kill Bill's parent-invoice commit notification: commit the parent's DRAFT summary invoice. */
export interface ParentInvoiceCommitNotification {
  readonly accountId: string;
  readonly invoiceId: string;
}

export const ParentInvoiceCommitQueue = defineQueue<ParentInvoiceCommitNotification>('invoice-parent-commit');
