import { Module } from '@nestjs/common';
import { CatalogModule } from '@kb/catalog';
import { TenantModule } from '@kb/tenant';
import { InvoiceModule } from '@kb/invoice';
import { AdminCacheService } from './admin-cache.service';
import { AdminController } from './admin.controller';
import { AdminQueuesController } from './admin-queues.controller';
import { NotificationModule } from '@kb/notification';

@Module({ imports: [TenantModule, CatalogModule, InvoiceModule, NotificationModule], controllers: [AdminController, AdminQueuesController], providers: [AdminCacheService] })
export class AdminResourceModule {}
