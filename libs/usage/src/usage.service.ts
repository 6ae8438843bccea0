import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import type { EntityManager } from 'typeorm';
import { SubscriptionService } from '@kb/entitlement';
import { currentTenant, EmptyStatusError, KillBillException, Locks, tenantRepository, Transactions, withUniqueIndexes } from '@kb/platform';
import { RolledUpUsageRow } from './usage.entity';

/** What a caller records (Kill Bill's SubscriptionUsageRecord). */
export interface UsageRecording {
  readonly subscriptionId: string;
  /** Absent or empty: a random one. */
  readonly trackingId?: string | null;
  readonly units: readonly { readonly unitType: string; readonly records: readonly { readonly recordDate: Date; readonly amount: Big }[] }[];
}

/** The sum of each unit recorded on a subscription in [startDate, endDate) (Kill Bill's RolledUpUsage). */
export interface RolledUpUsage {
  readonly subscriptionId: string;
  readonly startDate: Date;
  readonly endDate: Date;
  readonly rolledUpUnits: readonly { readonly unitType: string; readonly amount: Big }[];
}

/** Kill Bill's usage module: recorded units of subscriptions, their sums, and the raw rows invoicing reads. */
@Injectable()
export class UsageService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly subscriptions: SubscriptionService,
  ) {}

  /** POST /usages: every row of one recording shares its tracking id, used once per subscription. */
  async record(recording: UsageRecording): Promise<void> {
    const tenantRecordId = currentTenant().recordId;
    const subscription = await this.subscriptions.findRow(recording.subscriptionId, tenantRecordId);
    if (!subscription) throw new KillBillException('SUB_INVALID_SUBSCRIPTION_ID', [recording.subscriptionId], { status: 404 });
    const { view } = await this.subscriptions.getById(subscription.id);
    const latest = Math.max(...recording.units.flatMap((unit) => unit.records.map((record) => record.recordDate.getTime())));
    // Kill Bill's resource answers a bare 400 for usage after the entitlement's end.
    if (view.cancelledDate && view.cancelledDate.getTime() < latest) throw new EmptyStatusError(400);

    const given = recording.trackingId ? recording.trackingId : undefined;
    const trackingId = given ?? randomUUID();
    const alreadyUsed = () => new KillBillException('USAGE_RECORD_TRACKING_ID_ALREADY_EXISTS', [trackingId]);
    // The lock makes the check exact for concurrent posts of one tracking id; the index backs it.
    await this.locks.withLock(`USAGE_TRACKING_ID:${tenantRecordId}:${subscription.id}:${trackingId}`, async (manager) => {
      const repository = tenantRepository(manager, RolledUpUsageRow, tenantRecordId);
      if (given && (await repository.exists({ where: { subscriptionId: subscription.id, trackingId, isActive: true } }))) throw alreadyUsed();
      await withUniqueIndexes(
        async () => {
          for (const row of mergedRecords(recording)) {
            await repository.save(
              repository.create({
                ...row,
                id: randomUUID(),
                subscriptionId: subscription.id,
                trackingId,
                isActive: true,
                accountRecordId: subscription.accountRecordId,
              }),
            );
          }
        },
        { rolled_up_usage_tracking_id: alreadyUsed },
      );
    });
  }

  /** GET /usages/{subscriptionId}[/{unitType}]: per unit, the sum recorded in [startDate, endDate). */
  async rolledUp(subscriptionId: string, startDate: Date | undefined, endDate: Date | undefined, unitType?: string): Promise<RolledUpUsage> {
    // Both ends are required; Kill Bill answers their absence with a bare 400.
    if (!startDate || !endDate) throw new EmptyStatusError(400);
    const query = this.transactions
      .manager()
      .getRepository(RolledUpUsageRow)
      .createQueryBuilder('u')
      .select('u.unit_type', 'unitType')
      .addSelect('SUM(u.amount)::text', 'amount')
      .where('u.tenant_record_id = :tenant AND u.subscription_id = :subscriptionId AND u.is_active', { tenant: currentTenant().recordId, subscriptionId })
      .andWhere('u.record_date >= :startDate AND u.record_date < :endDate', { startDate, endDate })
      .groupBy('u.unit_type')
      .orderBy('u.unit_type');
    if (unitType !== undefined) query.andWhere('u.unit_type = :unitType', { unitType });
    const sums = await query.getRawMany<{ unitType: string; amount: string }>();
    return { subscriptionId, startDate, endDate, rolledUpUnits: sums.map((sum) => ({ unitType: sum.unitType, amount: new Big(sum.amount) })) };
  }

  /**
   * The rows invoicing reads for some subscriptions, recorded in [from, to]: the end is inclusive, as
   * Kill Bill's getRawUsageForAccount (usage on the day a subscription is cancelled is billed).
   */
  async rawUsageFor(
    manager: EntityManager | undefined,
    tenantRecordId: number,
    subscriptionIds: readonly string[],
    from: Date,
    to: Date,
  ): Promise<RolledUpUsageRow[]> {
    if (subscriptionIds.length === 0) return [];
    return (manager ?? this.transactions.manager())
      .getRepository(RolledUpUsageRow)
      .createQueryBuilder('u')
      .where('u.tenant_record_id = :tenant AND u.subscription_id = ANY(:subscriptionIds) AND u.is_active', { tenant: tenantRecordId, subscriptionIds })
      .andWhere('u.record_date >= :from AND u.record_date <= :to', { from, to })
      .orderBy('u.record_date')
      .addOrderBy('u.record_id')
      .getMany();
  }
}

/**
 * The rows of one recording: amounts of one unit at one instant add up into one row (what is billed
 * and rolled up is their sum), so that the tracking id index holds one row per unit and instant.
 */
function mergedRecords(recording: UsageRecording): { unitType: string; recordDate: Date; amount: Big }[] {
  const rows = new Map<string, { unitType: string; recordDate: Date; amount: Big }>();
  for (const unit of recording.units) {
    for (const record of unit.records) {
      const key = `${unit.unitType}\u0000${record.recordDate.getTime()}`;
      const row = rows.get(key);
      if (row) row.amount = row.amount.plus(record.amount);
      else rows.set(key, { unitType: unit.unitType, recordDate: record.recordDate, amount: record.amount });
    }
  }
  return [...rows.values()];
}
