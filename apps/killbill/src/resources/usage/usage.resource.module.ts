import { Module } from '@nestjs/common';
import { UsageModule } from '@kb/usage';
import { UsageController } from './usage.controller';

@Module({ imports: [UsageModule], controllers: [UsageController] })
export class UsageResourceModule {}
