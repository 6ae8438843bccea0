/** @kb/kernel — what pure engines share: error codes, money, dates and zones, UUIDs, state machines. No Nest, no TypeORM. */
export * from './error-code';
export * from './killbill-error';
export * from './money';
export * from './dates';
export * from './uuid';
export * from './state-machine';
