import { Injectable } from '@nestjs/common';
import { KillBillConfig, parseDurationMillis } from '@kb/platform';
import { TenantKey, TenantKvService } from '@kb/tenant';

export const PUSH_NOTIFICATION_RETRIES = 'org.killbill.billing.server.notifications.retries';

/** Kill Bill's NotificationConfig: the push notification settings, overridable per tenant (PER_TENANT_CONFIG). */
@Injectable()
export class NotificationConfig {
  constructor(
    private readonly config: KillBillConfig,
    private readonly kv: TenantKvService,
  ) {}

  /** The delay before each retry of a failed push notification, for the current tenant. */
  async pushNotificationRetriesMillis(): Promise<number[]> {
    const override = await this.tenantOverride(PUSH_NOTIFICATION_RETRIES);
    if (override === undefined) return this.config.getDurationListMillis(PUSH_NOTIFICATION_RETRIES);
    return override
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map((part) => parseDurationMillis(part, PUSH_NOTIFICATION_RETRIES));
  }

  private async tenantOverride(key: string): Promise<string | undefined> {
    const [text] = (await this.kv.get(TenantKey.PER_TENANT_CONFIG)).values;
    if (!text) return undefined;
    const properties = JSON.parse(text) as Record<string, unknown>;
    const value = properties[key];
    return typeof value === 'string' ? value : undefined;
  }
}
