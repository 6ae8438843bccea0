import { Injectable } from '@nestjs/common';
import { KillBillConfig } from '@kb/platform';

/** Kill Bill's PaymentConfig: the org.killbill.payment.* settings this lib reads. */
@Injectable()
export class PaymentConfig {
  constructor(private readonly config: KillBillConfig) {}

  /** `org.killbill.payment.plugin.timeout`: how long a plugin call may take before it is given up as UNKNOWN. */
  pluginTimeoutMillis(): number {
    return this.config.getDurationMillis('org.killbill.payment.plugin.timeout');
  }

  /** `org.killbill.payment.provider.default`: the plugin of a payment method created without one. */
  defaultPluginName(): string {
    return this.config.getString('org.killbill.payment.provider.default');
  }

  /** `org.killbill.payment.retry.days`: the days before each retry of a declined invoice payment (Kill Bill's default 8,8,8). */
  paymentFailureRetryDays(): number[] {
    return (this.config.get('org.killbill.payment.retry.days') ?? '8,8,8')
      .split(',')
      .map((day) => day.trim())
      .filter((day) => day !== '')
      .map((day) => {
        const days = Number(day);
        if (!Number.isInteger(days) || days < 0) throw new Error(`org.killbill.payment.retry.days: ${day} is not a number of days`);
        return days;
      });
  }

  /** `org.killbill.payment.allow.emptyInvoice`: pay (0) an invoice that owes nothing. */
  allowEmptyInvoice(): boolean {
    return (this.config.get('org.killbill.payment.allow.emptyInvoice') ?? 'false').trim().toLowerCase() === 'true';
  }

  /** The test plugin and its configure/status routes exist only on a test-mode server. */
  testMode(): boolean {
    return this.config.getBoolean('org.killbill.server.test.mode');
  }
}
