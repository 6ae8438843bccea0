import { Module } from '@nestjs/common';
import { CatalogModule } from '@kb/catalog';
import { EntitlementModule } from '@kb/entitlement';
import { CatalogSubscriptionController } from './catalog-subscription.controller';
import { CatalogController } from './catalog.controller';

@Module({ imports: [CatalogModule, EntitlementModule], controllers: [CatalogController, CatalogSubscriptionController] })
export class CatalogResourceModule {}
