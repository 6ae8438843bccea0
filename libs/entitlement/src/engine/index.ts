/** The pure entitlement engine: what other engines and the services import. */
export * from './subscription-events';
export * from './phase-alignment';
export * from './subscription-creation';
export * from './subscription-view';
export * from './billing-events';
export * from './subscription-updates';
export * from './transfer';
export * from './policies';
export * from './plan-change';
export * from './add-on-cascade';
