/** @kb/entitlement: bundles, subscriptions and their events, blocking states, and the pure entitlement engine. */
export * from './blocking-state.entity';
export * from './blocking-state.service';
export * from './bundle.entity';
export * from './subscription.entity';
export * from './subscription-event.entity';
export * from './entitlement-store';
export * from './subscription.service';
export * from './subscription-catalog.service';
export * from './subscription-creation.service';
export * from './subscription-operations';
export * from './subscription-change.service';
export * from './subscription-cancel.service';
export * from './bundle.service';
export * from './bundle-operations.service';
export * from './transfer.service';
export * from './subscription-updates.service';
export * from './entitlement.module';
export * from './billing-events.service';
export * from './entitlement-events';
export * from './engine';
import { BlockingStateRow } from './blocking-state.entity';
import { BundleRow } from './bundle.entity';
import { SubscriptionEventRow } from './subscription-event.entity';
import { SubscriptionRow } from './subscription.entity';
import { Subscriptions1700000000600 } from './migrations/1700000000600-subscriptions';

export const ENTITLEMENT_ENTITIES = [BlockingStateRow, BundleRow, SubscriptionRow, SubscriptionEventRow];
export const ENTITLEMENT_MIGRATIONS = [Subscriptions1700000000600];
