import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { EntitlementModule } from '@kb/entitlement';
import { InvoiceModule } from '@kb/invoice';
import { AccountTimelineController } from './account-timeline.controller';
import { AccountTimelineService } from './account-timeline.service';

@Module({ imports: [AccountModule, EntitlementModule, InvoiceModule], controllers: [AccountTimelineController], providers: [AccountTimelineService] })
export class AccountTimelineResourceModule {}
