/** The pure payment engines: the state machines, plugin outcomes, aggregates, retries and the invoice payment control. */
export * from './model';
export * from './payment-states';
export * from './retry-states';
export * from './payment-state-machine';
export * from './plugin-result';
export * from './aggregates';
export * from './retries';
export * from './invoice-payment-control';
export * from './admin-fix';
