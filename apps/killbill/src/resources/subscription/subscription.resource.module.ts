import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { SubscriptionController } from './subscription.controller';
import { SubscriptionUpdatesController } from './subscription-updates.controller';

@Module({ imports: [EntitlementModule], controllers: [SubscriptionController, SubscriptionUpdatesController] })
export class SubscriptionResourceModule {}
