export * from './payment-plugin-api';
export * from './payment-plugin-registry';
export * from './plugin-results';
export * from './external-payment-plugin';
export * from './test-payment-plugin';
