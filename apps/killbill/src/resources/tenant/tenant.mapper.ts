import type { TenantKeyValues, TenantView } from '@kb/tenant';
import type { Tenant, TenantKeyValue } from './tenant.dto';

export function toTenantJson({ tenant, auditLogs }: TenantView): Tenant {
  return { tenantId: tenant.id, externalKey: tenant.externalKey, apiKey: tenant.apiKey, apiSecret: null, auditLogs };
}

export function toTenantKeyValueJson(kv: TenantKeyValues): TenantKeyValue {
  return { key: kv.key, values: kv.values, auditLogs: [] };
}
