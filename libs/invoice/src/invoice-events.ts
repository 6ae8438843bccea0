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

/** Kill Bill's next-billing-date notification: invoice the account again on that day. */
export interface NextBillingDateNotification {
  readonly accountId: string;
  readonly subscriptionId: string;
  /** The account-local day the notification is for. */
  readonly targetDate: string;
}

export const NextBillingDateQueue = defineQueue<NextBillingDateNotification>('invoice-next-billing-date');

/** Kill Bill's parent-invoice commit notification: commit the parent's DRAFT summary invoice. */
export interface ParentInvoiceCommitNotification {
  readonly accountId: string;
  readonly invoiceId: string;
}

export const ParentInvoiceCommitQueue = defineQueue<ParentInvoiceCommitNotification>('invoice-parent-commit');
