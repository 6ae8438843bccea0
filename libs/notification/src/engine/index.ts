export * from './ext-bus-events';
