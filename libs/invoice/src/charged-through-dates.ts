import { Injectable } from '@nestjs/common';
import { type LocalDate } from '@js-joda/core';
import { toAccountInstant, toJsDate } from '@kb/kernel';
import { accountTimeOf, type AccountRow } from '@kb/account';
import { type StoredChargedThroughDate, SubscriptionService } from '@kb/entitlement';
import { Transactions } from '@kb/platform';

/**
 * Kill Bill's InvoiceDispatcher#setChargedThroughDates: the end of each subscription's latest billed
 * period on a COMMITTED invoice becomes its charged-through date (that day at the account's reference
 * time), in the caller's transaction. A DRAFT invoice sets none until it is committed.
 */
@Injectable()
export class ChargedThroughDates {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly transactions: Transactions,
  ) {}

  /** `current`: the subscriptions as the caller read them in this transaction (not read again). */
  async set(account: AccountRow, dates: ReadonlyMap<string, LocalDate>, current?: ReadonlyMap<string, StoredChargedThroughDate>): Promise<void> {
    if (dates.size === 0) return;
    const time = accountTimeOf(account);
    // Most subscriptions share their charged-through day: its instant is computed once per day.
    const byDay = new Map<string, Date>();
    const instants = new Map<string, Date>();
    for (const [subscriptionId, date] of dates) {
      const day = date.toString();
      let instant = byDay.get(day);
      if (instant === undefined) {
        instant = toJsDate(toAccountInstant(date, time));
        byDay.set(day, instant);
      }
      instants.set(subscriptionId, instant);
    }
    await this.subscriptions.setChargedThroughDates(this.transactions.manager(), instants, current);
  }
}
