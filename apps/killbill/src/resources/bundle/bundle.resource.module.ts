import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { AccountBundlesController } from './account-bundles.controller';
import { BundleController } from './bundle.controller';

@Module({ imports: [EntitlementModule], controllers: [BundleController, AccountBundlesController] })
export class BundleResourceModule {}
