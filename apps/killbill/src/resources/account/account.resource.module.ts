import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { EntitlementModule } from '@kb/entitlement';
import { InvoiceModule } from '@kb/invoice';
import { TagModule } from '@kb/tag';
import { AccountCloseService } from './account-close.service';
import { AccountController } from './account.controller';
import { AccountReadService } from './account-read.service';

@Module({ imports: [AccountModule, EntitlementModule, InvoiceModule, TagModule], controllers: [AccountController], providers: [AccountCloseService, AccountReadService] })
export class AccountResourceModule {}
