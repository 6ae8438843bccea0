import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { SubscriptionController } from './subscription.controller';

@Module({ imports: [EntitlementModule], controllers: [SubscriptionController] })
export class SubscriptionResourceModule {}
