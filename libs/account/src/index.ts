export * from './account.entity';
export * from './account-email.entity';
export * from './account-rules';
export * from './account-time';
export * from './account-events';
export * from './account-search';
export * from './account.service';
export * from './account-email.service';
export * from './account-audit.service';
export * from './account.module';
import { AccountRow } from './account.entity';
import { AccountEmailRow } from './account-email.entity';
import { Accounts1700000000300 } from './migrations/1700000000300-accounts';

export const ACCOUNT_ENTITIES = [AccountRow, AccountEmailRow];
/** Also creates `blocking_states` (whose entity now lives in @kb/entitlement): applied migrations never change. */
export const ACCOUNT_MIGRATIONS = [Accounts1700000000300];
