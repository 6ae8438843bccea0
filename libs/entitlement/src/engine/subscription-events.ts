/**
 * The subscription-base event stream (Kill Bill's `subscription_events`), as the pure entitlement and
 * billing-event engines read it. Every change to a subscription is an event with an effective
 * instant; future events are stored and take effect when the clock reaches them. Types only: the
 * persistence layer maps its rows to these, the engines compute from them.
 */

/** Kill Bill's SubscriptionBaseTransitionType, as stored. */
export type SubscriptionEventType =
  | 'CREATE'
  | 'TRANSFER'
  | 'CHANGE'
  | 'CANCEL'
  | 'UNCANCEL'
  | 'UNDO_CHANGE'
  | 'PHASE'
  | 'EXPIRED'
  | 'BCD_CHANGE'
  | 'QUANTITY_CHANGE';

export type ProductCategory = 'BASE' | 'ADD_ON' | 'STANDALONE';

export interface SubscriptionEvent {
  readonly id: string;
  /** Insertion order (the row's record id): orders events of one instant, as Kill Bill's totalOrdering. */
  readonly recordId: number;
  readonly subscriptionId: string;
  readonly type: SubscriptionEventType;
  /** When it takes effect (UTC instant). */
  readonly effectiveDate: Date;
  readonly createdDate: Date;
  /** Plan, phase and price list in force from this event (CREATE, TRANSFER, CHANGE, PHASE). */
  readonly planName?: string | null;
  readonly phaseName?: string | null;
  readonly priceListName?: string | null;
  /** The catalog version the plan was resolved in (grandfathering). */
  readonly catalogEffectiveDate?: Date | null;
  /** BCD_CHANGE: the subscription's own bill cycle day from then on. */
  readonly billCycleDayLocal?: number | null;
  /** QUANTITY_CHANGE (and CREATE): the quantity from then on. */
  readonly quantity?: number | null;
  /** Deactivated events (undone change, uncancelled cancel, recomputed phases) are kept but ignored. */
  readonly isActive: boolean;
}

export interface SubscriptionRecord {
  readonly id: string;
  readonly recordId: number;
  readonly bundleId: string;
  readonly externalKey: string;
  readonly category: ProductCategory;
  /** Billing start (the CREATE/TRANSFER event's instant). */
  readonly startDate: Date;
  /** Start of the bundle's base (alignment START_OF_BUNDLE); equals startDate for the base itself. */
  readonly bundleStartDate: Date;
  /** Written by invoicing: end of the last invoiced period (null until then). */
  readonly chargedThroughDate: Date | null;
  readonly migrated: boolean;
  /** Active events, in effective order (then recordId). */
  readonly events: readonly SubscriptionEvent[];
}

export interface BundleRecord {
  readonly id: string;
  readonly recordId: number;
  readonly accountId: string;
  readonly externalKey: string;
  readonly originalCreatedDate: Date;
  readonly subscriptions: readonly SubscriptionRecord[];
}

/** Blocking states as the engines read them (any blockable: ACCOUNT, SUBSCRIPTION_BUNDLE, SUBSCRIPTION). */
export interface BlockingStateRecord {
  readonly id: string;
  readonly recordId: number;
  readonly blockedId: string;
  readonly type: 'ACCOUNT' | 'SUBSCRIPTION_BUNDLE' | 'SUBSCRIPTION';
  readonly stateName: string;
  readonly service: string;
  readonly blockChange: boolean;
  readonly blockEntitlement: boolean;
  readonly blockBilling: boolean;
  readonly effectiveDate: Date;
}

/** The entitlement service's own blocking states (spec 2.1). */
export const ENTITLEMENT_SERVICE = 'entitlement-service';
export const ENT_STARTED = 'ENT_STARTED';
export const ENT_CANCELLED = 'ENT_CANCELLED';
export const ENT_BLOCKED = 'ENT_BLOCKED';
export const ENT_CLEAR = 'ENT_CLEAR';
