import type Big from 'big.js';
import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited, InstantColumn, numericToBig } from '@kb/platform';

/**
 * Kill Bill's `rolled_up_usage`: one recorded amount of a unit on a subscription at an instant.
 * Every row of one recording carries its tracking id; a tracking id is used once per subscription.
 */
@Entity({ name: 'rolled_up_usage' })
@Index('rolled_up_usage_id', ['id'], { unique: true })
@Index('rolled_up_usage_subscription', ['tenantRecordId', 'subscriptionId', 'recordDate'])
@Index('rolled_up_usage_account', ['tenantRecordId', 'accountRecordId', 'recordDate'])
// One row per unit and instant of a tracking id: a second recording with the same tracking id breaks it.
@Index('rolled_up_usage_tracking_id', ['tenantRecordId', 'subscriptionId', 'trackingId', 'unitType', 'recordDate'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'ROLLED_UP_USAGE' })
export class RolledUpUsageRow extends AccountEntity {
  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'varchar', length: 255 })
  unitType!: string;

  @InstantColumn()
  recordDate!: Date;

  @Column({ type: 'numeric', precision: 18, scale: 9, transformer: numericToBig })
  amount!: Big;

  @Column({ type: 'varchar', length: 128 })
  trackingId!: string;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}
