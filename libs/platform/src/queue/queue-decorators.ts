import { SetMetadata } from '@nestjs/common';
import type { BusEvent, NotificationQueue } from './queue-handles';
import type { CompletionWork, QueueMessage } from './queue-rows';

export const ON_BUS_EVENT = Symbol('OnBusEvent');
export const ON_NOTIFICATION = Symbol('OnNotification');
export const ON_NOTIFICATION_OUTSIDE_TRANSACTION = Symbol('OnNotificationOutsideTransaction');

type Handler<P> = (message: QueueMessage<P>) => Promise<void>;
type DetachedHandler<P> = (message: QueueMessage<P>) => Promise<CompletionWork | undefined>;
type TypedHandlerDecorator<P, H = Handler<P>> = <M extends H>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/**
 * Subscribes a provider method to a bus event. Every subscriber gets each event once, in its own
 * savepoint with its own retries; its name (class.method) keys its delivery state across restarts.
 */
export function OnBusEvent<P extends object>(event: BusEvent<P>): TypedHandlerDecorator<P> {
  return (target, key, descriptor) => SetMetadata(ON_BUS_EVENT, event)(target, key, descriptor);
}

/** Makes a provider method the single handler of a notification queue (start-up fails on two). */
export function OnNotification<P extends object>(queue: NotificationQueue<P>): TypedHandlerDecorator<P> {
  return (target, key, descriptor) => SetMetadata(ON_NOTIFICATION, queue)(target, key, descriptor);
}

/**
 * Makes a provider method the single handler of a notification queue, run outside any transaction:
 * the row is claimed (IN_PROCESSING, leased for `org.killbill.notificationq.main.reapThreshold`) in a
 * short transaction, the handler runs with no transaction open, and a second short transaction runs
 * the work it returns and marks the row done. For handlers that wait on the outside world.
 */
export function OnNotificationOutsideTransaction<P extends object>(queue: NotificationQueue<P>): TypedHandlerDecorator<P, DetachedHandler<P>> {
  return (target, key, descriptor) => SetMetadata(ON_NOTIFICATION_OUTSIDE_TRANSACTION, queue)(target, key, descriptor);
}
