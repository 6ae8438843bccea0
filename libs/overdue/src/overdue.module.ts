import { Module } from '@nestjs/common';
import { TenantModule } from '@kb/tenant';
import { TagModule } from '@kb/tag';
import { AccountModule } from '@kb/account';
import { EntitlementModule } from '@kb/entitlement';
import { InvoiceModule } from '@kb/invoice';
import { OverdueConfigService } from './overdue-config.service';
import { OverdueListener } from './overdue-listener';
import { OverdueService } from './overdue.service';

/** Kill Bill's overdue module: per-tenant configurations, the account evaluation and its effects. */
@Module({
  imports: [TenantModule, TagModule, AccountModule, EntitlementModule, InvoiceModule],
  providers: [OverdueConfigService, OverdueService, OverdueListener],
  exports: [OverdueConfigService, OverdueService],
})
export class OverdueModule {}
