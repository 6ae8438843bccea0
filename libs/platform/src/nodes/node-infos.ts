import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { KillBillConfig } from '../config/config';
import { NODE_NAME } from '../queue/node-name';

/** A node_infos row: a node sharing this database, its boot, its last refresh and what it told of itself. */
export interface NodeInfoRow {
  readonly nodeName: string;
  readonly bootDate: Date;
  readonly updatedDate: Date;
  /** The node's own JSON (versions, plugins), as it wrote it. */
  readonly nodeInfo: string;
}

/**
 * Kill Bill's NodeInfoDao and the refresh of DefaultKillbillNodesService: a node writes its row at
 * boot, refreshes its updated_date every `org.killbill.nodes.info.refresh.rate` while it runs and
 * deletes its row when it stops, so the table lists the nodes sharing the database.
 */
@Injectable()
export class NodeInfos implements BeforeApplicationShutdown {
  private readonly logger = new Logger('NodeInfos');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: KillBillConfig,
    @Inject(NODE_NAME) readonly nodeName: string,
  ) {}

  /** Records this node as booted now (a row left by an earlier run under the same name is replaced), then keeps it fresh. */
  async recordBoot(nodeInfo: string): Promise<void> {
    const now = this.clock.realNow();
    await this.dataSource.query(
      `INSERT INTO node_infos (node_name, boot_date, updated_date, node_info, is_active) VALUES ($1, $2, $2, $3, true)
       ON CONFLICT (node_name) DO UPDATE SET boot_date = $2, updated_date = $2, node_info = $3, is_active = true`,
      [this.nodeName, now, nodeInfo],
    );
    this.startRefresh();
  }

  /** Replaces what this node tells of itself (its plugins changed). */
  async update(nodeInfo: string): Promise<void> {
    await this.dataSource.query(`UPDATE node_infos SET node_info = $2, updated_date = $3 WHERE node_name = $1`, [this.nodeName, nodeInfo, this.clock.realNow()]);
  }

  /** The active nodes, in the order they first booted. */
  async all(): Promise<NodeInfoRow[]> {
    const rows: { node_name: string; boot_date: Date; updated_date: Date; node_info: string }[] = await this.dataSource.query(
      `SELECT node_name, boot_date, updated_date, node_info FROM node_infos WHERE is_active ORDER BY record_id`,
    );
    return rows.map((row) => ({ nodeName: row.node_name, bootDate: row.boot_date, updatedDate: row.updated_date, nodeInfo: row.node_info }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      await this.dataSource.query(`DELETE FROM node_infos WHERE node_name = $1`, [this.nodeName]);
    } catch (error) {
      this.logger.warn(`Could not remove the node_infos row of ${this.nodeName}: ${String(error)}`);
    }
  }

  private startRefresh(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.dataSource.query(`UPDATE node_infos SET updated_date = $2 WHERE node_name = $1`, [this.nodeName, this.clock.realNow()]).catch((error: unknown) => {
        this.logger.warn(`Could not refresh the node_infos row of ${this.nodeName}: ${String(error)}`);
      });
    }, this.config.getDurationMillis('org.killbill.nodes.info.refresh.rate'));
    this.timer.unref();
  }
}
