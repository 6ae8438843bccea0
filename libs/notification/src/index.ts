/** @kb/notification: push notifications of a tenant's events to its registered callbacks. */
export * from './engine/ext-bus-events';
export * from './push-notification-events';
export * from './notification-config';
export * from './push-notification.sender';
export * from './queue-entries.service';
export * from './notification.module';
