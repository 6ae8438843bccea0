import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ON_BUS_EVENT, ON_NOTIFICATION, ON_NOTIFICATION_OUTSIDE_TRANSACTION } from './queue-decorators';
import type { BusEvent, NotificationQueue } from './queue-handles';
import type { DetachedQueueHandler, QueueHandler } from './queue-rows';
import { Queues } from './queues';

/** Finds every `@OnBusEvent` / `@OnNotification` / `@OnNotificationOutsideTransaction` method of the app's providers and registers it. */
@Injectable()
export class QueueExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly queues: Queues,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = (prototype as Record<string, unknown>)[method] as (...args: unknown[]) => Promise<void>;
        const handler: QueueHandler = (message) => target.call(instance, message);
        const event = this.reflector.get<BusEvent<object> | undefined>(ON_BUS_EVENT, target);
        if (event) this.queues.subscribe(event, `${instance.constructor.name}.${method}`, handler);
        const queue = this.reflector.get<NotificationQueue<object> | undefined>(ON_NOTIFICATION, target);
        if (queue) this.queues.handleQueue(queue, handler);
        const detachedQueue = this.reflector.get<NotificationQueue<object> | undefined>(ON_NOTIFICATION_OUTSIDE_TRANSACTION, target);
        if (detachedQueue) this.queues.handleQueueOutsideTransaction(detachedQueue, (message) => (target as unknown as DetachedQueueHandler).call(instance, message));
      }
    }
  }
}
