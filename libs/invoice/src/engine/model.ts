/**
 * The plain data of invoicing, shared by the engines (generator, item tree, usage, credit, balances)
 * and the services that persist it. Dates of service are account-local days (js-joda LocalDate);
 * money is Big at the storage scale, rounded to the currency only where Kill Bill rounds.
 */
import type Big from 'big.js';
import type { LocalDate } from '@js-joda/core';
import type { AccountTime, Currency } from '@kb/kernel';
import type { BillingEvent } from '@kb/entitlement/engine';

export const INVOICE_ITEM_TYPES = [
  'FIXED',
  'RECURRING',
  'USAGE',
  'EXTERNAL_CHARGE',
  'TAX',
  'CREDIT_ADJ',
  'CBA_ADJ',
  'ITEM_ADJ',
  'REPAIR_ADJ',
  'PARENT_SUMMARY',
] as const;
export type InvoiceItemType = (typeof INVOICE_ITEM_TYPES)[number];

export const INVOICE_STATUSES = ['DRAFT', 'COMMITTED', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type InvoicePaymentType = 'ATTEMPT' | 'REFUND' | 'CHARGED_BACK';
export type InvoicePaymentStatus = 'INIT' | 'PENDING' | 'SUCCESS';

/** One invoice item (Kill Bill's InvoiceItem): what is stored in `invoice_items`. */
export interface InvoiceItemRecord {
  readonly id: string;
  readonly invoiceId: string;
  readonly accountId: string;
  readonly childAccountId: string | null;
  readonly type: InvoiceItemType;
  readonly bundleId: string | null;
  readonly subscriptionId: string | null;
  readonly description: string | null;
  readonly productName: string | null;
  readonly planName: string | null;
  readonly phaseName: string | null;
  readonly usageName: string | null;
  readonly catalogEffectiveDate: Date | null;
  readonly startDate: LocalDate;
  /** Exclusive end of the service period; null for items without one (a FIXED item of an evergreen phase). */
  readonly endDate: LocalDate | null;
  readonly amount: Big;
  /** RECURRING: catalog price × quantity (not rounded); USAGE in DETAIL mode: the tier price. */
  readonly rate: Big | null;
  readonly currency: Currency;
  /** ITEM_ADJ / REPAIR_ADJ: the item adjusted or repaired. */
  readonly linkedItemId: string | null;
  readonly quantity: Big | null;
  readonly itemDetails: string | null;
  readonly createdDate: Date;
}

/** A payment row of an invoice (Kill Bill's `invoice_payments`): REFUND and CHARGED_BACK amounts are negative. */
export interface InvoicePaymentRecord {
  readonly id: string;
  readonly invoiceId: string;
  readonly paymentId: string | null;
  readonly type: InvoicePaymentType;
  readonly status: InvoicePaymentStatus;
  readonly amount: Big;
  readonly currency: Currency;
  readonly paymentDate: Date;
  readonly linkedInvoicePaymentId: string | null;
}

/** One invoice with its items and payment rows. */
export interface InvoiceRecord {
  readonly id: string;
  readonly accountId: string;
  /** Kill Bill's invoice number (the record id); null until stored (dry runs). */
  readonly invoiceNumber: number | null;
  readonly invoiceDate: LocalDate;
  readonly targetDate: LocalDate | null;
  readonly currency: Currency;
  readonly status: InvoiceStatus;
  readonly migrated: boolean;
  readonly parentInvoice: boolean;
  readonly groupId: string | null;
  /** Tagged WRITTEN_OFF: its balance reads 0. */
  readonly writtenOff: boolean;
  readonly createdDate: Date;
  readonly items: readonly InvoiceItemRecord[];
  readonly payments: readonly InvoicePaymentRecord[];
}

/** Settings of the generator (Kill Bill's InvoiceConfig), per tenant. */
export interface InvoiceGeneratorConfig {
  /** org.killbill.invoice.sanitySafetyBoundEnabled */
  readonly sanitySafetyBoundEnabled: boolean;
  /** org.killbill.invoice.maxDailyNumberOfItemsSafetyBound (−1 = off) */
  readonly maxDailyNumberOfItemsSafetyBound: number;
  /** org.killbill.invoice.proration.fixed.days (0 = real calendar days) */
  readonly prorationFixedDays: number;
  /** org.killbill.invoice.inArrear.mode: GREEDY bills an in-arrear period as soon as it starts */
  readonly inArrearGreedy: boolean;
  /** org.killbill.invoice.item.result.behavior.mode */
  readonly usageDetailMode: 'AGGREGATE' | 'DETAIL';
  /** org.killbill.invoice.disable.usage.zero.amount */
  readonly disableUsageZeroAmount: boolean;
  /** org.killbill.invoice.readMaxRawUsagePreviousPeriod */
  readonly readMaxRawUsagePreviousPeriod: number;
  /** org.killbill.invoice.usage.missing.lenient */
  readonly usageMissingLenient: boolean;
}

export const DEFAULT_INVOICE_GENERATOR_CONFIG: InvoiceGeneratorConfig = {
  sanitySafetyBoundEnabled: true,
  maxDailyNumberOfItemsSafetyBound: 15,
  prorationFixedDays: 0,
  inArrearGreedy: false,
  usageDetailMode: 'AGGREGATE',
  disableUsageZeroAmount: false,
  readMaxRawUsagePreviousPeriod: 2,
  usageMissingLenient: false,
};

/** A recorded unit of usage (Kill Bill's rolled_up_usage row), as the usage engine reads it. */
export interface RawUsageRecord {
  readonly subscriptionId: string;
  readonly unitType: string;
  /** The record's day in the account's zone. */
  readonly recordDate: LocalDate;
  readonly amount: Big;
  readonly trackingId: string;
}

/** A day invoicing must run again for a subscription (Kill Bill's next-billing-date notification). */
export interface NextBillingDate {
  readonly subscriptionId: string;
  readonly date: LocalDate;
  /** A recurring period end (in advance: its end, in arrear: the next cycle date) or a usage period end. */
  readonly kind: 'RECURRING' | 'USAGE';
}

/**
 * What the generator is given (Kill Bill's InvoiceGenerator#generateInvoice): the billing events of
 * the account (already without the bundles tagged AUTO_INVOICING_OFF), every existing invoice of the
 * account (any status: the generator itself ignores VOID and migrated ones where Kill Bill does), the
 * requested target date, and how to name what it creates.
 */
export interface InvoiceGeneratorInput {
  readonly accountId: string;
  readonly currency: Currency;
  readonly billingEvents: readonly BillingEvent[];
  readonly existingInvoices: readonly InvoiceRecord[];
  /** Recorded usage of the account's subscriptions with usage sections (every record the usage windows may need). */
  readonly usage: readonly RawUsageRecord[];
  readonly targetDate: LocalDate;
  /** The id the proposed items carry (the invoice they would be written on). */
  readonly invoiceId: string;
  readonly newItemId: () => string;
  /** Creation instant stamped on new items. */
  readonly now: Date;
  readonly config: InvoiceGeneratorConfig;
  /** Subscriptions of bundles tagged AUTO_INVOICING_OFF: their existing items (and adjustments of them) are not considered. */
  readonly autoInvoicingOffSubscriptionIds?: readonly string[];
  /** The account's fixed-offset time: the local day items were created on (daily safety bound); UTC when absent. */
  readonly accountTime?: AccountTime;
}

export interface InvoiceGeneratorResult {
  /** The items to add on the new invoice: FIXED, RECURRING, USAGE and REPAIR_ADJ (no CBA: that is the credit engine's). */
  readonly items: readonly InvoiceItemRecord[];
  /** The target date after the ratchet (max of the requested one and the existing recurring/usage invoices'). */
  readonly targetDate: LocalDate;
  /** Per subscription: the end of its latest billed recurring period (what becomes its charged-through date). */
  readonly chargedThroughDates: ReadonlyMap<string, LocalDate>;
  /** When invoicing must run again, per subscription. */
  readonly nextBillingDates: readonly NextBillingDate[];
  /** Usage tracking ids billed by the proposed usage items, per subscription. */
  readonly trackingIds: readonly { readonly trackingId: string; readonly subscriptionId: string; readonly unitType: string; readonly recordDate: LocalDate }[];
}
