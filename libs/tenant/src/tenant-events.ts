import { defineBusEvent } from '@kb/platform';

/** Posted when a tenant is created; later modules (catalog) react, e.g. with a placeholder catalog. */
export interface TenantCreationPayload {
  readonly tenantId: string;
  readonly useGlobalDefault: boolean;
}

/** Kill Bill's DefaultTenantConfigChangeInternalEvent: `metaData` is `{"key": <tenant key>}` as JSON. */
export interface TenantConfigPayload {
  readonly objectType: 'TENANT_KVS';
  readonly objectId: string | null;
  readonly metaData: string;
}

export const TenantCreation = defineBusEvent<TenantCreationPayload>('TENANT_CREATION');
export const TenantConfigChange = defineBusEvent<TenantConfigPayload>('TENANT_CONFIG_CHANGE');
export const TenantConfigDeletion = defineBusEvent<TenantConfigPayload>('TENANT_CONFIG_DELETION');
