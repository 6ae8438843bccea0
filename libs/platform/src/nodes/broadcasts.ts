import { type BeforeApplicationShutdown, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock';
import { KillBillConfig } from '../config/config';

/** One broadcast message (a service_broadcasts row): for the handler of `serviceName`, of a type, with its JSON. */
export interface Broadcast {
  readonly serviceName: string;
  readonly type: string;
  readonly event: string;
}

export type BroadcastHandler = (broadcast: Broadcast) => Promise<void>;

/**
 * Kill Bill's BroadcastApi and BroadcastService: a broadcast is a service_broadcasts row that every
 * node picks up by polling (`org.killbill.billing.util.broadcast.rate`) from the last record id it has
 * seen, the sender included; a node starts after the rows written before it booted. A node-local
 * message skips the table and goes to this node's handler only.
 */
@Injectable()
export class Broadcasts implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Broadcasts');
  private readonly handlers = new Map<string, BroadcastHandler>();
  private lastSeen: string | undefined;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: KillBillConfig,
  ) {}

  /** The handler of one service's broadcasts on this node. */
  onBroadcast(serviceName: string, handler: BroadcastHandler): void {
    if (this.handlers.has(serviceName)) throw new Error(`Broadcasts of ${serviceName} already have a handler`);
    this.handlers.set(serviceName, handler);
  }

  /** To every node (a row they all read), or to this node only. */
  async broadcast(broadcast: Broadcast, createdBy: string, localNodeOnly: boolean): Promise<void> {
    if (localNodeOnly) {
      await this.deliver(broadcast);
      return;
    }
    await this.broadcastIn(this.dataSource.manager, broadcast, createdBy);
  }

  /** To every node, written by `manager`: in its transaction, the message exists only if that commits. */
  async broadcastIn(manager: EntityManager, broadcast: Broadcast, createdBy: string): Promise<void> {
    await manager.query(`INSERT INTO service_broadcasts (service_name, type, event, created_date, created_by) VALUES ($1, $2, $3, $4, $5)`, [
      broadcast.serviceName,
      broadcast.type,
      broadcast.event,
      this.clock.realNow(),
      createdBy,
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    const [latest]: { record_id: string | null }[] = await this.dataSource.query(`SELECT max(record_id)::text AS record_id FROM service_broadcasts`);
    this.lastSeen = latest.record_id ?? '0';
    // Tenant key changes ride this table too, and Kill Bill reads those at their own (faster) rate.
    const rate = Math.min(
      this.config.getDurationMillis('org.killbill.billing.util.broadcast.rate'),
      this.config.getDurationMillis('org.killbill.tenant.broadcast.rate'),
    );
    this.timer = setInterval(() => void this.poll(), rate);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** Delivers the rows written since the last poll, in order; returns how many (one poll at a time). */
  poll(): Promise<number> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<number> {
    if (this.lastSeen === undefined) return 0;
    try {
      const rows: { record_id: string; service_name: string; type: string; event: string }[] = await this.dataSource.query(
        `SELECT record_id::text AS record_id, service_name, type, event FROM service_broadcasts WHERE record_id > $1 ORDER BY record_id`,
        [this.lastSeen],
      );
      for (const row of rows) {
        // As Kill Bill: a message is seen once, whether its handler succeeds or not.
        this.lastSeen = row.record_id;
        await this.deliver({ serviceName: row.service_name, type: row.type, event: row.event }).catch((error: unknown) => {
          this.logger.warn(`Broadcast ${row.record_id} (${row.service_name} ${row.type}) failed: ${String(error)}`);
        });
      }
      return rows.length;
    } catch (error) {
      this.logger.warn(`Could not read the broadcasts: ${String(error)}`);
      return 0;
    }
  }

  private async deliver(broadcast: Broadcast): Promise<void> {
    const handler = this.handlers.get(broadcast.serviceName);
    if (handler) await handler(broadcast);
  }
}
