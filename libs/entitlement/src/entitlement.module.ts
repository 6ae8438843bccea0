import { Module, type OnModuleInit } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { CatalogModule } from '@kb/catalog';
import { ObjectRegistry } from '@kb/platform';
import { BlockingStateService } from './blocking-state.service';
import { BundleService } from './bundle.service';
import { BundleOperationsService } from './bundle-operations.service';
import { SubscriptionUpdatesService } from './subscription-updates.service';
import { TransferService } from './transfer.service';
import { EntitlementStore } from './entitlement-store';
import { SubscriptionCreationService } from './subscription-creation.service';
import { SubscriptionService } from './subscription.service';
import { SubscriptionOperations } from './subscription-operations';
import { SubscriptionChangeService } from './subscription-change.service';
import { SubscriptionCancelService } from './subscription-cancel.service';
import { SubscriptionCatalogService } from './subscription-catalog.service';
import { BillingEventsService } from './billing-events.service';

/** Kill Bill's entitlement + subscription modules: bundles, subscriptions, their events, blocking states. */
@Module({
  imports: [AccountModule, CatalogModule],
  providers: [
    BlockingStateService,
    EntitlementStore,
    SubscriptionService,
    SubscriptionCreationService,
    BundleService,
    BundleOperationsService,
    TransferService,
    SubscriptionUpdatesService,
    SubscriptionOperations,
    SubscriptionChangeService,
    SubscriptionCancelService,
    SubscriptionCatalogService,
    BillingEventsService,
  ],
  exports: [
    BillingEventsService,
    BlockingStateService,
    SubscriptionService,
    SubscriptionCreationService,
    BundleService,
    BundleOperationsService,
    TransferService,
    SubscriptionUpdatesService,
    SubscriptionChangeService,
    SubscriptionCancelService,
    SubscriptionCatalogService,
  ],
})
export class EntitlementModule implements OnModuleInit {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly subscriptions: SubscriptionService,
    private readonly bundles: BundleService,
  ) {}

  /** Lets tags, custom fields and audit find bundles, subscriptions and their events without importing this module. */
  onModuleInit(): void {
    this.registry.register('BUNDLE', async (id, tenantRecordId) => {
      const row = await this.bundles.findRow(id, tenantRecordId);
      return row ? { objectType: 'BUNDLE', id: row.id, recordId: row.recordId, accountRecordId: row.accountRecordId, tenantRecordId: row.tenantRecordId } : undefined;
    });
    this.registry.register('SUBSCRIPTION', async (id, tenantRecordId) => {
      const row = await this.subscriptions.findRow(id, tenantRecordId);
      return row ? { objectType: 'SUBSCRIPTION', id: row.id, recordId: row.recordId, accountRecordId: row.accountRecordId, tenantRecordId: row.tenantRecordId } : undefined;
    });
    this.registry.register('SUBSCRIPTION_EVENT', async (id, tenantRecordId) => {
      const row = await this.subscriptions.findEventRow(id, tenantRecordId);
      return row
        ? { objectType: 'SUBSCRIPTION_EVENT', id: row.id, recordId: row.recordId, accountRecordId: row.accountRecordId, tenantRecordId: row.tenantRecordId }
        : undefined;
    });
  }
}
