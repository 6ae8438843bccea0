import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { SubscriptionController } from './subscription.controller';
import { SubscriptionUpdatesController } from './subscription-updates.controller';
import { SubscriptionEventMetadataController, SubscriptionMetadataController } from './subscription-metadata.controller';

@Module({
  imports: [EntitlementModule, ObjectMetadataModule],
  controllers: [SubscriptionController, SubscriptionUpdatesController, SubscriptionMetadataController, SubscriptionEventMetadataController],
})
export class SubscriptionResourceModule {}
