import { Module } from '@nestjs/common';
import { EntitlementModule } from '@kb/entitlement';
import { UsageService } from './usage.service';

/** Kill Bill's usage module: recorded usage of subscriptions, read by invoicing. */
@Module({ imports: [EntitlementModule], providers: [UsageService], exports: [UsageService] })
export class UsageModule {}
