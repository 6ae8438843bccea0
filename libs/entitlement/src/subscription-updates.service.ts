import { Injectable, NotFoundException } from '@nestjs/common';
import { ZoneId } from '@js-joda/core';
import { instantOf, localDateIn, parseLocalDate, toAccountInstant, toJsDate } from '@kb/kernel';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import { Clock, InvalidRequestException, KillBillException, Locks, tenantRepository, Transactions } from '@kb/platform';
import { BundleRow } from './bundle.entity';
import { SubscriptionRow } from './subscription.entity';
import { SubscriptionService } from './subscription.service';
import type { PlannedEvent } from './engine/phase-alignment';
import { bcdChangeDate, type EffectiveFrom, effectiveFromOf } from './engine/subscription-updates';

export interface UpdateOptions {
  readonly effectiveFromDate?: string;
  /** forceNewBcdWithPastEffectiveDate / forceNewQuantityWithPastEffectiveDate. */
  readonly force: boolean;
}

const PAST_UPDATE =
  'Changing a subscription bcd or quantity in the past may have consequences on previous invoice generated. Use force flag to overrule this behavior';

/**
 * The updates that add one event to a subscription (Kill Bill's SubscriptionResource
 * updateSubscriptionBCD / updateSubscriptionQuantity): a BCD_CHANGE or QUANTITY_CHANGE at the date
 * the rules give, announced now when due, else when the clock reaches it.
 */
@Injectable()
export class SubscriptionUpdatesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly subscriptions: SubscriptionService,
  ) {}

  /** PUT /subscriptions/{id}/bcd. */
  async updateBcd(subscriptionId: string, body: { billCycleDayLocal?: number | null } | null | undefined, options: UpdateOptions): Promise<void> {
    if (!body) throw new InvalidRequestException('SubscriptionJson body should be specified');
    const bcd = body.billCycleDayLocal;
    if (bcd == null) throw new InvalidRequestException('SubscriptionJson new BCD should be specified');
    await this.update(subscriptionId, options, (row, account, from, now) => {
      const time = accountTimeOf(account);
      const effectiveDate = bcdChangeDate({
        billCycleDayLocal: bcd,
        from,
        accountToday: localDateIn(instantOf(now), ZoneId.of(account.timeZone)),
        now,
        subscriptionStart: row.startDate,
        toInstant: (date) => toJsDate(toAccountInstant(date, time)),
      });
      return { type: 'BCD_CHANGE', effectiveDate, billCycleDayLocal: bcd };
    });
  }

  /** PUT /subscriptions/{id}/quantity: effective at the from-date (account reference time) or now. */
  async updateQuantity(subscriptionId: string, body: { quantity?: number | null } | null | undefined, options: UpdateOptions): Promise<void> {
    if (!body) throw new InvalidRequestException('SubscriptionJson body should be specified');
    const quantity = body.quantity;
    if (quantity == null) throw new InvalidRequestException('SubscriptionJson new quantity should be specified');
    await this.update(subscriptionId, options, (_row, account, from, now) => {
      const time = accountTimeOf(account);
      return { type: 'QUANTITY_CHANGE', effectiveDate: from.kind === 'date' ? toJsDate(toAccountInstant(from.date, time)) : now, quantity };
    });
  }

  private async update(
    subscriptionId: string,
    options: UpdateOptions,
    plan: (row: SubscriptionRow, account: AccountRow, from: EffectiveFrom, now: Date) => PlannedEvent,
  ): Promise<void> {
    const requestedDay = options.effectiveFromDate === undefined ? undefined : parseLocalDate(options.effectiveFromDate);
    if (options.effectiveFromDate !== undefined && !requestedDay)
      throw new InvalidRequestException(`Invalid format: "${options.effectiveFromDate}" for effectiveFromDate`);
    const manager = this.transactions.manager();
    const found = await tenantRepository(manager, SubscriptionRow).findOne({ where: { id: subscriptionId } });
    if (!found) throw new NotFoundException(`Object id=${subscriptionId} type=SUBSCRIPTION doesn't exist!`);
    const bundle = await tenantRepository(manager, BundleRow).findOne({ where: { id: found.bundleId } });
    if (!bundle) throw new KillBillException('SUB_GET_NO_BUNDLE_FOR_SUBSCRIPTION', [found.id], { status: 404 });
    await this.locks.withAccountLock(bundle.accountId, async () => {
      const account = await this.accounts.requireById(manager, bundle.accountId);
      const now = this.clock.now();
      // Today as the account sees it (its time zone, as Kill Bill's resource computes it).
      const from = effectiveFromOf(requestedDay, localDateIn(instantOf(now), ZoneId.of(account.timeZone)), options.force);
      if (!from) throw new InvalidRequestException(PAST_UPDATE);
      await this.subscriptions.writeEvents(found, bundle, [plan(found, account, from, now)]);
    });
  }
}
