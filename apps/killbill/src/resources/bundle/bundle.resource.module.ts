import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountBundlesController } from './account-bundles.controller';
import { BundleMetadataController } from './bundle-metadata.controller';
import { BundleController } from './bundle.controller';
import { BundleOperationsController } from './bundle-operations.controller';

@Module({ imports: [EntitlementModule, ObjectMetadataModule], controllers: [BundleController, BundleOperationsController, AccountBundlesController, BundleMetadataController] })
export class BundleResourceModule {}
