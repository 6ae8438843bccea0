import { type DynamicModule, Global, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AuditLogs } from './audit/audit-logs';
import { Clock } from './clock/clock';
import { ClockRefreshInterceptor } from './clock/clock-refresh.interceptor';
import { ClockStore } from './clock/clock-store';
import { Rotation } from './clock/rotation';
import { TestClockService } from './clock/test-clock.service';
import { KillBillConfig } from './config/config';
import { type DatabaseOptions, openDatabase } from './database/data-source';
import { Locks } from './database/locks';
import { InFlightRequests } from './http/in-flight-requests';
import { Metrics, QueueMetrics } from './metrics/metrics';
import { Transactions } from './database/transactions';
import { ObjectHistory } from './objects/object-history';
import { ObjectRegistry } from './objects/object-registry';
import { NODE_NAME } from './queue/node-name';
import { QueueDispatcher } from './queue/queue-dispatcher';
import { QueueExplorer } from './queue/queue-explorer';
import { Queues } from './queue/queues';
import { Broadcasts } from './nodes/broadcasts';
import { NodeInfos } from './nodes/node-infos';

export interface PlatformOptions {
  readonly config: KillBillConfig;
  readonly database: DatabaseOptions;
}

/** Stops queue dispatch before the pool closes, so no handler runs on a closed connection. */
@Injectable()
class DatabaseLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly dispatcher: QueueDispatcher,
    private readonly clockStore: ClockStore,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.clockStore.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
    await this.clockStore.stop();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Configuration, clock, database, transactions and locks, audit reading, bus and notification queue, metrics. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const clock = new Clock(options.config.clockMode);
    return {
      module: PlatformModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: KillBillConfig, useValue: options.config },
        { provide: Clock, useValue: clock },
        { provide: NODE_NAME, useValue: options.config.server.nodeName },
        {
          provide: DataSource,
          useFactory: () => openDatabase({ poolSize: options.config.getInteger('org.killbill.dao.maxActive'), ...options.database }, clock),
        },
        Transactions,
        Metrics,
        QueueMetrics,
        InFlightRequests,
        Locks,
        AuditLogs,
        Queues,
        QueueDispatcher,
        QueueExplorer,
        DatabaseLifecycle,
        TestClockService,
        ClockStore,
        ClockRefreshInterceptor,
        Rotation,
        ObjectRegistry,
        ObjectHistory,
        NodeInfos,
        Broadcasts,
      ],
      exports: [
        ClockStore,
        ClockRefreshInterceptor,
        KillBillConfig,
        Clock,
        NODE_NAME,
        DataSource,
        Transactions,
        Metrics,
        InFlightRequests,
        Locks,
        AuditLogs,
        Queues,
        QueueDispatcher,
        TestClockService,
        Rotation,
        ObjectRegistry,
        ObjectHistory,
        NodeInfos,
        Broadcasts,
      ],
    };
  }
}
