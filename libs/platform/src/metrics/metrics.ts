import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { Queues } from '../queue/queues';

export type LockKind = 'transaction' | 'session';
export type LockOutcome = 'acquired' | 'failed';

/**
 * The server's Prometheus metrics, on a registry of its own (one per application: tests run several
 * in one process). Process metrics come from prom-client's defaults.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly lockWait = new Histogram({
    name: 'kb_lock_wait_seconds',
    help: 'Time spent acquiring a named lock (transaction-scoped or held across calls), by outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Starts timing a lock acquisition; call the result once it is held or has failed. */
  timeLockWait(kind: LockKind): (outcome: LockOutcome) => void {
    const end = this.lockWait.startTimer({ kind });
    return (outcome) => end({ outcome });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

interface QueueDepthRow {
  kind: 'bus' | 'notification';
  queue: string;
  due: string;
  oldest_age_seconds: string | null;
  scheduled: string;
}

/**
 * Queue depth and age, read by SQL at scrape time: bus deliveries by subscriber, notifications by
 * queue name. `due` counts what could be handled now (for notifications: effective date reached,
 * against the server clock); the age is that of the oldest due entry. The queues this node handles
 * are reported even when empty, so a dashboard has a series to draw.
 */
@Injectable()
export class QueueMetrics {
  constructor(metrics: Metrics, dataSource: DataSource, clock: Clock, queues: Queues) {
    const read = async (): Promise<QueueDepthRow[]> => {
      const found: QueueDepthRow[] = await dataSource.query(
        `SELECT 'bus' AS kind, subscriber AS queue, count(*) AS due,
                EXTRACT(EPOCH FROM ($1::timestamptz - min(created_date))) AS oldest_age_seconds, 0 AS scheduled
           FROM bus_deliveries GROUP BY subscriber
         UNION ALL
         SELECT 'notification', queue_name, count(*) FILTER (WHERE effective_date <= $1),
                EXTRACT(EPOCH FROM ($1::timestamptz - min(effective_date) FILTER (WHERE effective_date <= $1))),
                count(*) FILTER (WHERE effective_date > $1)
           FROM notifications GROUP BY queue_name`,
        [clock.now()],
      );
      const empty = (kind: QueueDepthRow['kind'], queue: string): QueueDepthRow => ({ kind, queue, due: '0', oldest_age_seconds: null, scheduled: '0' });
      const known = [...queues.subscriberNames().map((name) => empty('bus', name)), ...queues.handledQueueNames().map((name) => empty('notification', name))];
      return [...known.filter((row) => !found.some((other) => other.kind === row.kind && other.queue === row.queue)), ...found];
    };
    const labelNames = ['kind', 'queue'] as const;
    new Gauge({
      name: 'kb_queue_depth',
      help: 'Queue entries due now: bus deliveries by subscriber, notifications by queue name',
      labelNames,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const row of await read()) this.set({ kind: row.kind, queue: row.queue }, Number(row.due));
      },
    });
    new Gauge({
      name: 'kb_queue_oldest_age_seconds',
      help: 'Age of the oldest due queue entry (0 when none is due)',
      labelNames,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const row of await read()) this.set({ kind: row.kind, queue: row.queue }, Math.max(0, Number(row.oldest_age_seconds ?? 0)));
      },
    });
    new Gauge({
      name: 'kb_notifications_scheduled',
      help: 'Notifications whose effective date is still ahead, by queue name',
      labelNames: ['queue'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const row of await read()) if (row.kind === 'notification') this.set({ queue: row.queue }, Number(row.scheduled));
      },
    });
  }
}
