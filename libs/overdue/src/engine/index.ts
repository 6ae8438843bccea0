/** The pure overdue engines: the configuration model, its XML and JSON forms, and the evaluator. */
export * from './model';
export * from './evaluator';
export * from './xml';
export * from './json';
