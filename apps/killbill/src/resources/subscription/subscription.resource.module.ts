import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { SubscriptionController } from './subscription.controller';
import { SubscriptionEventMetadataController, SubscriptionMetadataController } from './subscription-metadata.controller';

@Module({ imports: [EntitlementModule, ObjectMetadataModule], controllers: [SubscriptionController, SubscriptionMetadataController, SubscriptionEventMetadataController] })
export class SubscriptionResourceModule {}
