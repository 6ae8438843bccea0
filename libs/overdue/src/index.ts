/** @kb/overdue: per-tenant overdue configurations, their evaluation and the blocking they apply. */
export * from './overdue-events';
