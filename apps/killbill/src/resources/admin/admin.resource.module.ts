import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { CatalogModule } from '@kb/catalog';
import { TenantModule } from '@kb/tenant';
import { InvoiceModule } from '@kb/invoice';
import { AdminCacheService } from './admin-cache.service';
import { AdminController } from './admin.controller';
import { AdminQueuesController } from './admin-queues.controller';
import { NotificationModule } from '@kb/notification';
import { OverdueModule } from '@kb/overdue';

@Module({ imports: [AccountModule, TenantModule, CatalogModule, InvoiceModule, OverdueModule, NotificationModule], controllers: [AdminController, AdminQueuesController], providers: [AdminCacheService] })
export class AdminResourceModule {}
