/** @kb/notification: push notifications of a tenant's events to its registered callbacks. */
export {};
