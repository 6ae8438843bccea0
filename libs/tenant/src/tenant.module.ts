import { Module } from '@nestjs/common';
import { TENANT_RESOLVER } from '@kb/platform';
import { TenantCache } from './tenant-cache';
import { TenantKvService } from './tenant-kv.service';
import { TenantConfigService } from './tenant-config.service';
import { DatabaseTenantResolver } from './tenant-resolver';
import { TenantService } from './tenant.service';

@Module({
  providers: [
    TenantCache,
    TenantService,
    TenantKvService,
    TenantConfigService,
    DatabaseTenantResolver,
    { provide: TENANT_RESOLVER, useExisting: DatabaseTenantResolver },
  ],
  exports: [TenantService, TenantKvService, TenantConfigService, TENANT_RESOLVER],
})
export class TenantModule {}
