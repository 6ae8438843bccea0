/** The pure overdue engines: the configuration model and the evaluator. */
export {};
