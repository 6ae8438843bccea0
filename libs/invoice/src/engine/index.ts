/** The pure invoicing engines: what other engines and the services import. */
export * from './model';
export * from './balances';
export { generateInvoiceItems, billedInvoices, ratchetedTargetDate, chargedThroughDates } from './generator';
export {
  BillingInterval,
  recurringPeriods,
  monthsBetween,
  alignToBcd,
  prorationBeforeFirstBillingCycle,
  prorationAfterLastBillingCycle,
} from './billing-period';
export type { RecurringPeriod } from './billing-period';
export { mergeWithExistingItems, fullyRepairedItemIds, SubscriptionItemTree } from './item-tree';
export type { TreeResultItem } from './item-tree';
export * from './usage';
export * from './credit';
export * from './dry-run-subscriptions';

export * from './item-adjustments';
