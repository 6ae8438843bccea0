import { SetMetadata } from '@nestjs/common';
import type { BusEvent, NotificationQueue } from './queue-handles';
import type { QueueMessage } from './queue-rows';

export const ON_BUS_EVENT = Symbol('OnBusEvent');
export const ON_NOTIFICATION = Symbol('OnNotification');

type Handler<P> = (message: QueueMessage<P>) => Promise<void>;
type TypedHandlerDecorator<P> = <M extends Handler<P>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

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
