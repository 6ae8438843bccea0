import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { EntitlementModule } from '@kb/entitlement';
import { TagModule } from '@kb/tag';
import { AccountCloseService } from './account-close.service';
import { AccountController } from './account.controller';

@Module({ imports: [AccountModule, EntitlementModule, TagModule], controllers: [AccountController], providers: [AccountCloseService] })
export class AccountResourceModule {}
