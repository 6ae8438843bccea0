/** @kb/entitlement: blocking states (and, next, bundles, subscriptions and their events). */
export * from './blocking-state.entity';
export * from './blocking-state.service';
export * from './entitlement.module';
export * from './entitlement-events';
export * from './engine/subscription-events';
import { BlockingStateRow } from './blocking-state.entity';

export const ENTITLEMENT_ENTITIES = [BlockingStateRow];
export * from './engine/billing-events';
