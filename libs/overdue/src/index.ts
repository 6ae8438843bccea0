/** @kb/overdue: per-tenant overdue configurations, their evaluation and the blocking they apply. */
export * from './overdue-events';
export * from './engine';
export * from './overdue-config.service';
export * from './overdue.service';
export * from './overdue.module';
