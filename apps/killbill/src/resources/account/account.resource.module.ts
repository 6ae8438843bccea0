import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { AccountController } from './account.controller';

@Module({ imports: [AccountModule], controllers: [AccountController] })
export class AccountResourceModule {}
