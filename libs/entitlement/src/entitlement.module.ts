import { Module } from '@nestjs/common';
import { AccountModule } from '@kb/account';
import { BlockingStateService } from './blocking-state.service';

/** Kill Bill's entitlement module: blocking states now; bundles and subscriptions next. */
@Module({
  imports: [AccountModule],
  providers: [BlockingStateService],
  exports: [BlockingStateService],
})
export class EntitlementModule {}
