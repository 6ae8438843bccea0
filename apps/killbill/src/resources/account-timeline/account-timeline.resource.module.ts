import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { EntitlementModule } from '@kb/entitlement';
import { InvoiceModule } from '@kb/invoice';
import { PaymentModule } from '@kb/payment';
import { AccountTimelineController } from './account-timeline.controller';
import { AccountTimelineService } from './account-timeline.service';

@Module({ imports: [AccountModule, EntitlementModule, InvoiceModule, PaymentModule], controllers: [AccountTimelineController], providers: [AccountTimelineService] })
export class AccountTimelineResourceModule {}
