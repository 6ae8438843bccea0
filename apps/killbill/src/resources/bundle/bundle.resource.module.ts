import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountBundlesController } from './account-bundles.controller';
import { BundleMetadataController } from './bundle-metadata.controller';
import { BundleController } from './bundle.controller';

@Module({ imports: [EntitlementModule, ObjectMetadataModule], controllers: [BundleController, AccountBundlesController, BundleMetadataController] })
export class BundleResourceModule {}
