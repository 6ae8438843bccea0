import { ZoneId } from '@js-joda/core';
import { type AccountTime, accountTime, instantOf } from '@kb/kernel';
import type { AccountRow } from './account.entity';

/** The account's fixed-offset zone and reference time of day (Kill Bill's TimeAwareContext of the account). */
export function accountTimeOf(account: Pick<AccountRow, 'timeZone' | 'referenceTime'>): AccountTime {
  return accountTime(ZoneId.of(account.timeZone), instantOf(account.referenceTime));
}
