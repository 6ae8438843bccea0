/**
 * Add-ons follow their base (Kill Bill's DefaultSubscriptionBaseApiService#addCancellationAddOnForEventsIfRequired
 * and DefaultEventsStream#computeAddonsBlockingStatesFor…): when the base's billing is cancelled,
 * or the base changes to a product that includes the add-on or does not offer it, the add-on's
 * billing ends then too (not before its own start), and its entitlement ends with the base's.
 * Kill Bill stores nothing for the add-ons while those dates are in the future and computes them
 * on the fly; the same function gives the reads their on-the-fly events and the services what to
 * write once the dates are reached. Pure.
 */
import type { VersionedCatalog } from '@kb/catalog/engine';
import { ENT_CANCELLED, ENTITLEMENT_SERVICE, type BlockingStateRecord, type SubscriptionEvent, type SubscriptionRecord } from './subscription-events';
import { planEventAt, transitionsOf } from './policies';

export interface AddOnCascade {
  readonly addOnId: string;
  /** The add-on's billing end implied by its base (none when its own ends first). */
  readonly billingCancelDate?: Date;
  /** The base event it follows (its CANCEL, or the CHANGE dropping the add-on). */
  readonly billingSourceId?: string;
  readonly entitlementCancelDate?: Date;
  readonly entitlementSourceId?: string;
}

export interface CascadeInput {
  readonly catalog: VersionedCatalog;
  /** The subscriptions of one bundle. */
  readonly subscriptions: readonly SubscriptionRecord[];
  /** Blocking states of the bundle's subscriptions (others are ignored). */
  readonly blockingStates: readonly BlockingStateRecord[];
}

const isCancelMarker = (state: BlockingStateRecord, subscriptionId: string) =>
  state.type === 'SUBSCRIPTION' && state.service === ENTITLEMENT_SERVICE && state.stateName === ENT_CANCELLED && state.blockedId === subscriptionId;

const earliest = <T extends { date: Date }>(candidates: readonly (T | undefined)[]): T | undefined =>
  candidates.filter((c): c is T => c !== undefined).sort((a, b) => a.date.getTime() - b.date.getTime())[0];

/** The product of a plan event's plan (undefined when the catalog does not know it). */
function productOf(catalog: VersionedCatalog, event: SubscriptionEvent | undefined) {
  if (!event?.planName) return undefined;
  try {
    const { catalog: version, plan } = catalog.findPlanForSubscription(event.planName, event.effectiveDate, event.effectiveDate);
    return version.productOf(plan);
  } catch {
    return undefined;
  }
}

export function addOnCascades(input: CascadeInput): AddOnCascade[] {
  const base = input.subscriptions.find((s) => s.category === 'BASE');
  if (!base) return [];
  const baseTransitions = transitionsOf(base);
  const baseCancel = baseTransitions.find((e) => e.type === 'CANCEL');
  const baseChanges = baseTransitions.filter((e) => e.type === 'CHANGE');
  const baseEntitlementEnd = input.blockingStates.filter((s) => isCancelMarker(s, base.id)).sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime())[0];
  const result: AddOnCascade[] = [];
  for (const addOn of input.subscriptions) {
    if (addOn.category !== 'ADD_ON') continue;
    const addOnProduct = productOf(input.catalog, planEventAt(addOn, addOn.startDate))?.name;
    const dropping = baseChanges.find((change) => {
      const product = productOf(input.catalog, change);
      return addOnProduct !== undefined && product !== undefined && (product.included.includes(addOnProduct) || !product.available.includes(addOnProduct));
    });
    const billing = earliest([baseCancel && { date: baseCancel.effectiveDate, id: baseCancel.id }, dropping && { date: dropping.effectiveDate, id: dropping.id }]);
    const entitlement = earliest([
      baseEntitlementEnd && { date: baseEntitlementEnd.effectiveDate, id: baseEntitlementEnd.id },
      dropping && { date: dropping.effectiveDate, id: dropping.id },
    ]);
    const cascade: { -readonly [K in keyof AddOnCascade]: AddOnCascade[K] } = { addOnId: addOn.id };
    if (billing) {
      const date = billing.date.getTime() > addOn.startDate.getTime() ? billing.date : addOn.startDate;
      const ownEnd = transitionsOf(addOn).find((e) => e.type === 'CANCEL' || e.type === 'EXPIRED');
      if (!ownEnd || ownEnd.effectiveDate.getTime() > date.getTime()) {
        cascade.billingCancelDate = date;
        cascade.billingSourceId = billing.id;
      }
    }
    if (entitlement) {
      const own = input.blockingStates.filter((s) => isCancelMarker(s, addOn.id)).sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime())[0];
      if (!own || own.effectiveDate.getTime() > entitlement.date.getTime()) {
        cascade.entitlementCancelDate = entitlement.date;
        cascade.entitlementSourceId = entitlement.id;
      }
    }
    if (cascade.billingCancelDate || cascade.entitlementCancelDate) result.push(cascade);
  }
  return result;
}

/** Where on-the-fly rows sort among rows of the same instant: after the stored ones. */
const ON_THE_FLY_ORDER = Number.MAX_SAFE_INTEGER;

/**
 * The bundle as the reads show it: each add-on with the CANCEL event and ENT_CANCELLED state its
 * base implies (what follows them dropped), under ids derived from the base row and the add-on.
 */
export function withAddOnCascade(input: CascadeInput): { subscriptions: SubscriptionRecord[]; blockingStates: BlockingStateRecord[] } {
  const cascades = new Map(addOnCascades(input).map((c) => [c.addOnId, c]));
  if (cascades.size === 0) return { subscriptions: [...input.subscriptions], blockingStates: [...input.blockingStates] };
  const subscriptions = input.subscriptions.map((subscription) => {
    const cascade = cascades.get(subscription.id);
    const date = cascade?.billingCancelDate;
    if (!cascade || !date || !cascade.billingSourceId) return subscription;
    const kept = subscription.events.filter((e) => e.type === 'CREATE' || e.type === 'TRANSFER' || e.effectiveDate.getTime() < date.getTime());
    const cancel: SubscriptionEvent = {
      id: derivedId(cascade.billingSourceId, subscription.id),
      recordId: ON_THE_FLY_ORDER,
      subscriptionId: subscription.id,
      type: 'CANCEL',
      effectiveDate: date,
      createdDate: date,
      isActive: true,
    };
    return { ...subscription, events: [...kept, cancel] };
  });
  const blockingStates = input.blockingStates.filter((state) => {
    const date = cascades.get(state.blockedId)?.entitlementCancelDate;
    return !(date && isCancelMarker(state, state.blockedId) && state.effectiveDate.getTime() > date.getTime());
  });
  for (const cascade of cascades.values()) {
    if (!cascade.entitlementCancelDate || !cascade.entitlementSourceId) continue;
    blockingStates.push({
      id: derivedId(cascade.entitlementSourceId, cascade.addOnId),
      recordId: ON_THE_FLY_ORDER,
      blockedId: cascade.addOnId,
      type: 'SUBSCRIPTION',
      stateName: ENT_CANCELLED,
      service: ENTITLEMENT_SERVICE,
      blockChange: true,
      blockEntitlement: true,
      blockBilling: false,
      effectiveDate: cascade.entitlementCancelDate,
    });
  }
  return { subscriptions, blockingStates };
}

/** A stable UUID-shaped id for an on-the-fly row: the two ids' hex digits XOR-ed. */
function derivedId(a: string, b: string): string {
  const x = a.replace(/-/g, '');
  const y = b.replace(/-/g, '');
  let hex = '';
  for (let i = 0; i < 32; i++) hex += (parseInt(x[i] ?? '0', 16) ^ parseInt(y[i] ?? '0', 16)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
