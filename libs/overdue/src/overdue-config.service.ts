import { Injectable } from '@nestjs/common';
import { currentTenant, IllegalStateError, InvalidRequestException, KillBillException, OnBusEvent, type QueueMessage } from '@kb/platform';
import { TenantConfigChange, TenantConfigDeletion, type TenantConfigPayload, TenantKey, TenantKvService } from '@kb/tenant';
import {
  type OverdueConfig,
  OverdueConfigError,
  overdueConfigFromJson,
  overdueConfigToJson,
  overdueConfigToXml,
  type OverdueJson,
  OverdueJsonError,
  parseOverdueXml,
} from './engine';

/** Kill Bill's NoOverdueConfig.xml: one clear state without condition (overdue is off). */
export const NO_OVERDUE_CONFIG: OverdueConfig = {
  states: [
    {
      name: 'Clear',
      externalMessage: '',
      blockChanges: false,
      disableEntitlementAndChangesBlocked: false,
      subscriptionCancellationPolicy: 'NONE',
      isClearState: true,
    },
  ],
};

/**
 * A tenant's overdue configuration (Kill Bill's DefaultOverdueApi + TENANT_OVERDUE_CONFIG cache): the
 * XML is the single value of the OVERDUE_CONFIG tenant key (an upload replaces it), parsed once per
 * tenant; a tenant with nothing stored uses NoOverdueConfig.
 */
@Injectable()
export class OverdueConfigService {
  private readonly cache = new Map<number, OverdueConfig>();

  constructor(private readonly kv: TenantKvService) {}

  async config(): Promise<OverdueConfig> {
    const tenantRecordId = currentTenant().recordId;
    const cached = this.cache.get(tenantRecordId);
    if (cached) return cached;
    const [xml] = (await this.kv.get(TenantKey.OVERDUE_CONFIG)).values;
    const config = xml === undefined ? NO_OVERDUE_CONFIG : this.parseStored(xml, tenantRecordId);
    this.cache.set(tenantRecordId, config);
    return config;
  }

  async configXml(): Promise<string> {
    return overdueConfigToXml(await this.config());
  }

  async configJson(): Promise<OverdueJson> {
    return overdueConfigToJson(await this.config());
  }

  /** `POST /overdue/xml`: an invalid document is refused whole (400 OVERDUE_INVALID_FOR_TENANT). */
  async uploadXml(xml: string): Promise<void> {
    const tenantRecordId = currentTenant().recordId;
    let config: OverdueConfig;
    try {
      config = parseOverdueXml(xml);
    } catch (error) {
      if (!(error instanceof OverdueConfigError)) throw error;
      throw new KillBillException('OVERDUE_INVALID_FOR_TENANT', [tenantRecordId], { status: 400, cause: error });
    }
    await this.store(xml, config, tenantRecordId);
  }

  /** `POST /overdue`: Kill Bill turns the JSON into a configuration, then stores its XML. */
  async uploadJson(json: OverdueJson): Promise<void> {
    let config: OverdueConfig;
    try {
      config = overdueConfigFromJson(json);
    } catch (error) {
      if (!(error instanceof OverdueJsonError)) throw error;
      // Kill Bill: NullPointerException (400) for a missing value, IllegalStateException (500) otherwise
      throw error.kind === 'missing' ? new InvalidRequestException(error.message) : new IllegalStateError(error.message);
    }
    // stored as the XML Kill Bill writes for it, and read as that XML reads (absent fields get their defaults)
    await this.uploadXml(overdueConfigToXml(config));
  }

  invalidate(tenantRecordId?: number): void {
    if (tenantRecordId === undefined) this.cache.clear();
    else this.cache.delete(tenantRecordId);
  }

  /** Kill Bill's OverdueCacheInvalidationCallback: another node (or the tenant resource) changed the key. */
  @OnBusEvent(TenantConfigChange)
  async onTenantConfigChange(message: QueueMessage<TenantConfigPayload>): Promise<void> {
    if (isOverdueKey(message.payload)) this.invalidate(message.tenantRecordId);
  }

  @OnBusEvent(TenantConfigDeletion)
  async onTenantConfigDeletion(message: QueueMessage<TenantConfigPayload>): Promise<void> {
    if (isOverdueKey(message.payload)) this.invalidate(message.tenantRecordId);
  }

  private async store(xml: string, config: OverdueConfig, tenantRecordId: number): Promise<void> {
    await this.kv.add(TenantKey.OVERDUE_CONFIG, xml);
    this.cache.set(tenantRecordId, config);
  }

  private parseStored(xml: string, tenantRecordId: number): OverdueConfig {
    try {
      return parseOverdueXml(xml);
    } catch (error) {
      // stored through the tenant resource without validation: Kill Bill's OVERDUE_INVALID_FOR_TENANT
      throw new KillBillException('OVERDUE_INVALID_FOR_TENANT', [tenantRecordId], { status: 400, cause: error });
    }
  }
}

function isOverdueKey(payload: TenantConfigPayload): boolean {
  try {
    return (JSON.parse(payload.metaData ?? '{}') as { key?: string }).key === TenantKey.OVERDUE_CONFIG;
  } catch {
    return false;
  }
}
