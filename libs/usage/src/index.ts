/** @kb/usage: recorded usage of subscriptions (Kill Bill's rolled_up_usage) and its sums. */
import { RolledUpUsageRow } from './usage.entity';
import { Usage1700000000680 } from './migrations/1700000000680-usage';

export * from './usage.entity';
export * from './usage.service';
export * from './usage.module';

export const USAGE_ENTITIES = [RolledUpUsageRow];
export const USAGE_MIGRATIONS = [Usage1700000000680];
