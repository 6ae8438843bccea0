import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { AccountBundlesController } from './account-bundles.controller';
import { BundleController } from './bundle.controller';
import { BundleOperationsController } from './bundle-operations.controller';

@Module({ imports: [EntitlementModule], controllers: [BundleController, BundleOperationsController, AccountBundlesController] })
export class BundleResourceModule {}
