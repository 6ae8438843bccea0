import { Injectable } from '@nestjs/common';
import { Rotation, Transactions } from '@kb/platform';

export interface HealthCheckResult {
  healthy: boolean;
  message?: string;
}

/** The checks behind GET /1.0/healthcheck, named as Kill Bill names them. */
@Injectable()
export class HealthService {
  constructor(
    private readonly rotation: Rotation,
    private readonly transactions: Transactions,
  ) {}

  async check(): Promise<{ healthy: boolean; checks: Record<string, HealthCheckResult> }> {
    const checks: Record<string, HealthCheckResult> = {
      KillbillHealthcheck: this.rotation.isInRotation ? { healthy: true } : { healthy: false, message: 'Out of rotation' },
      DatabaseHealthcheck: await this.database(),
      KillbillQueuesHealthcheck: await this.queues(),
    };
    return { healthy: Object.values(checks).every((check) => check.healthy), checks };
  }

  private async database(): Promise<HealthCheckResult> {
    try {
      await this.transactions.manager().query('SELECT 1');
      return { healthy: true };
    } catch {
      return { healthy: false, message: 'Database unreachable' };
    }
  }

  private async queues(): Promise<HealthCheckResult> {
    try {
      const [row]: { failed: string }[] = await this.transactions
        .manager()
        .query(`SELECT (SELECT count(*) FROM bus_events WHERE error_count > 0) + (SELECT count(*) FROM notifications WHERE error_count > 0) AS failed`);
      return { healthy: true, message: `${row.failed} entries being retried` };
    } catch {
      return { healthy: false, message: 'Queues unreadable' };
    }
  }
}
