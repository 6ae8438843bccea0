import { Module } from '@nestjs/common';
import { OverdueModule } from '@kb/overdue';
import { AccountOverdueController } from './account-overdue.controller';
import { OverdueController } from './overdue.controller';

@Module({ imports: [OverdueModule], controllers: [OverdueController, AccountOverdueController] })
export class OverdueResourceModule {}
