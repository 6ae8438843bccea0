import { defineBusEvent, defineQueue } from '@kb/platform';

export interface BlockingStatePayload {
  readonly blockableId: string;
  readonly type: string;
  readonly stateName: string;
  readonly service: string;
  readonly effectiveDate: string;
}

/** A blocking state was set (Kill Bill's BLOCKING_STATE event). */
export const BlockingStateChange = defineBusEvent<BlockingStatePayload>('BLOCKING_STATE');

/** A blocking state set for a future date, due then (Kill Bill's entitlement-service block-state notifications). */
export interface BlockingStateNotification {
  readonly blockingStateId: string;
}

export const BlockingStateEffectiveQueue = defineQueue<BlockingStateNotification>('entitlement-blocking-states');

/**
 * A subscription event took effect (Kill Bill's SUBSCRIPTION_TRANSITION, an
 * EffectiveSubscriptionInternalEvent): at creation for events already due, else when the clock
 * reaches them. What invoicing listens to.
 */
export interface EffectiveSubscriptionPayload {
  readonly eventId: string;
  readonly subscriptionId: string;
  readonly bundleId: string;
  readonly bundleExternalKey: string;
  readonly accountId: string;
  /** Kill Bill's SubscriptionBaseTransitionType: CREATE, PHASE, EXPIRED, BCD_CHANGE, … */
  readonly transitionType: string;
  readonly effectiveDate: string;
  readonly planName: string | null;
  readonly phaseName: string | null;
  readonly priceListName: string | null;
  readonly previousPlanName: string | null;
  readonly previousPhaseName: string | null;
  /** The event's record id (Kill Bill's totalOrdering). */
  readonly totalOrdering: number;
}

export const EffectiveSubscriptionTransition = defineBusEvent<EffectiveSubscriptionPayload>('SUBSCRIPTION_TRANSITION');

/** A subscription was created (Kill Bill's SUBSCRIPTION_CREATION / ENTITLEMENT_CREATION external events). */
export interface SubscriptionCreationPayload {
  readonly subscriptionId: string;
  readonly bundleId: string;
  readonly accountId: string;
  readonly entitlementDate: string;
  readonly billingDate: string;
}

export const SubscriptionCreation = defineBusEvent<SubscriptionCreationPayload>('SUBSCRIPTION_CREATION');

/** A future subscription event, due at its effective date (Kill Bill's subscription-events notification queue). */
export interface SubscriptionEventNotification {
  readonly eventId: string;
  readonly subscriptionId: string;
}

export const SubscriptionEventsQueue = defineQueue<SubscriptionEventNotification>('subscription-events');

/**
 * A change, cancel, uncancel or undone change was requested (Kill Bill's
 * RequestedSubscriptionInternalEvent, external SUBSCRIPTION_CHANGE / SUBSCRIPTION_CANCEL /
 * SUBSCRIPTION_UNCANCEL): posted when the request is accepted, whatever its effective date.
 */
export interface RequestedSubscriptionPayload {
  readonly subscriptionId: string;
  readonly bundleId: string;
  readonly accountId: string;
  /** CHANGE, CANCEL, UNCANCEL or UNDO_CHANGE. */
  readonly transitionType: string;
  /** The billing effective date (the UNCANCEL / UNDO_CHANGE request's instant). */
  readonly effectiveDate: string;
  /** The entitlement end of a cancel. */
  readonly entitlementEffectiveDate: string | null;
  readonly planName: string | null;
  readonly phaseName: string | null;
  readonly priceListName: string | null;
}

export const SubscriptionChange = defineBusEvent<RequestedSubscriptionPayload>('SUBSCRIPTION_CHANGE');
export const SubscriptionCancel = defineBusEvent<RequestedSubscriptionPayload>('SUBSCRIPTION_CANCEL');
export const SubscriptionUncancel = defineBusEvent<RequestedSubscriptionPayload>('SUBSCRIPTION_UNCANCEL');

/**
 * A base's future cancel or change reaches its date (Kill Bill's entitlement-service queue,
 * EntitlementNotificationKey): its add-ons' implied ends are stored then.
 */
export interface BaseCascadeNotification {
  readonly baseSubscriptionId: string;
  readonly bundleId: string;
}

export const EntitlementEventsQueue = defineQueue<BaseCascadeNotification>('entitlement-events');
