import { Injectable } from '@nestjs/common';
import type { Plan, PlanPhase, PriceList, Product, StandaloneCatalog } from '@kb/catalog';
import { InvalidRequestException, requireDateTime, Clock } from '@kb/platform';
import { SubscriptionService } from './subscription.service';
import type { TimelineEvent } from './engine/subscription-view';

/** What a subscription is on at a date: the plan, phase, product and price list of its last event by then. */
export interface SubscriptionCatalogEntry {
  readonly version: StandaloneCatalog;
  readonly plan: Plan;
  readonly phase: PlanPhase;
  readonly product: Product;
  readonly priceList: PriceList;
}

/**
 * The date asked is outside the subscription's life. Kill Bill answers these with a text/plain 400
 * (not its error JSON), whose body is this message.
 */
export class SubscriptionDateOutOfRange extends Error {}

const STOP_EVENTS = new Set(['STOP_ENTITLEMENT', 'STOP_BILLING']);

/** Kill Bill's CatalogResource `…ForSubscriptionAndDate` reads. */
@Injectable()
export class SubscriptionCatalogService {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly clock: Clock,
  ) {}

  /**
   * The entry of the last timeline event at or before `requestedDate` (a date-time, a bare date being
   * midnight UTC as Kill Bill's DATE_TIME_FORMATTER reads it; now when absent). Before the first event,
   * or from a stop event on (its next plan is none), the date is out of range.
   */
  async at(subscriptionId: string | undefined, requestedDate: string | undefined): Promise<SubscriptionCatalogEntry> {
    if (!subscriptionId) throw new InvalidRequestException('Subscription id needs to be specified');
    const at = requestedDate === undefined ? this.clock.now() : requireDateTime(requestedDate, 'requestedDate');
    const { view } = await this.subscriptions.getById(subscriptionId);
    let last: TimelineEvent | undefined;
    for (const event of view.events) {
      if (event.effectiveDate.getTime() > at.getTime()) break;
      last = event;
    }
    if (!last) throw new SubscriptionDateOutOfRange(`${requestedDate ?? null} is before the subscription start date`);
    const state = STOP_EVENTS.has(last.eventType) ? null : last.plan;
    const product = state ? state.version.productOf(state.plan) : undefined;
    const priceList = state ? (state.version.getPriceList(state.priceListName ?? '') ?? priceListHolding(state.version, state.plan)) : undefined;
    if (!state || !product || !priceList) throw new SubscriptionDateOutOfRange(`${requestedDate ?? null} is after the subscription cancel date`);
    return { version: state.version, plan: state.plan, phase: state.phase, product, priceList };
  }
}

function priceListHolding(version: StandaloneCatalog, plan: Plan): PriceList | undefined {
  const name = version.priceListNameOf(plan);
  return name === undefined ? undefined : version.getPriceList(name);
}
