/**
 * Declared handles of bus events and notification queues. Each is declared once, in the lib that
 * produces it, with its payload type; producers post the handle and consumers subscribe to it, so
 * both sides type-check against the same declaration. `payload` is a type-only marker.
 */
export interface BusEvent<P extends object> {
  readonly kind: 'bus-event';
  /** The `class_name` of its `bus_events` rows (Kill Bill's BusInternalEventType name). */
  readonly type: string;
  readonly payload?: P;
}

export interface NotificationQueue<P extends object> {
  readonly kind: 'notification-queue';
  /** The `queue_name` of its `notifications` rows. */
  readonly name: string;
  readonly payload?: P;
}

export function defineBusEvent<P extends object>(type: string): BusEvent<P> {
  return Object.freeze({ kind: 'bus-event', type });
}

export function defineQueue<P extends object>(name: string): NotificationQueue<P> {
  return Object.freeze({ kind: 'notification-queue', name });
}
