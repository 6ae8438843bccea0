export * from './tenant.entity';
export * from './tenant-kv.entity';
export * from './tenant-keys';
export * from './tenant-events';
export * from './tenant.service';
export * from './tenant-kv.service';
export * from './tenant-config.service';
export * from './tenant.module';
import { TenantRow } from './tenant.entity';
import { TenantKvRow } from './tenant-kv.entity';
import { Tenants1700000000100 } from './migrations/1700000000100-tenants';

export const TENANT_ENTITIES = [TenantRow, TenantKvRow];
export const TENANT_MIGRATIONS = [Tenants1700000000100];
