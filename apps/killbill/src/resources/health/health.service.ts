import { Injectable } from '@nestjs/common';
import { Clock, KillBillConfig, Queues, Rotation, Transactions } from '@kb/platform';

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
    private readonly queueState: Queues,
    private readonly clock: Clock,
    private readonly config: KillBillConfig,
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

  /** Unhealthy while entries are due for longer than the reap threshold, or have failed recently. */
  private async queues(): Promise<HealthCheckResult> {
    const now = this.clock.now().getTime();
    const reapThreshold = Math.min(
      this.config.getDurationMillis('org.killbill.notificationq.main.reapThreshold'),
      this.config.getDurationMillis('org.killbill.persistent.bus.main.reapThreshold'),
    );
    const failedWindow = this.config.getDurationMillis('org.killbill.healthcheck.queues.failed.window');
    try {
      const state = await this.queueState.state(new Date(now - reapThreshold), new Date(now - failedWindow));
      const message = `${state.stuck} stuck, ${state.failed} failed recently, ${state.retrying} being retried`;
      return { healthy: state.stuck === 0 && state.failed === 0, message };
    } catch {
      return { healthy: false, message: 'Queues unreadable' };
    }
  }
}
