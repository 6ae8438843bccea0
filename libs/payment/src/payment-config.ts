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

  /** The test plugin and its configure/status routes exist only on a test-mode server. */
  testMode(): boolean {
    return this.config.getBoolean('org.killbill.server.test.mode');
  }
}
