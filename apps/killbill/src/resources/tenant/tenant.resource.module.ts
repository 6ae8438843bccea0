import { Module } from '@nestjs/common';
import { TenantModule } from '@kb/tenant';
import { TenantController } from './tenant.controller';

@Module({ imports: [TenantModule], controllers: [TenantController] })
export class TenantResourceModule {}
