import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited, InstantColumn } from '@kb/platform';
import type { ProductCategory } from './engine/subscription-events';

/** Kill Bill's `subscriptions` row; its plan history is in `subscription_events`. */
@Entity({ name: 'subscriptions' })
@Index('subscriptions_id', ['id'], { unique: true })
@Index('subscriptions_external_key', ['tenantRecordId', 'externalKey'], { unique: true })
@Index('subscriptions_bundle_id', ['tenantRecordId', 'bundleId'])
@Index('subscriptions_account', ['tenantRecordId', 'accountRecordId'])
@Audited({ objectType: 'SUBSCRIPTION' })
export class SubscriptionRow extends AccountEntity {
  @Column({ type: 'uuid' })
  bundleId!: string;

  @Column({ type: 'varchar', length: 255 })
  externalKey!: string;

  @Column({ type: 'varchar', length: 32 })
  category!: ProductCategory;

  @InstantColumn()
  startDate!: Date;

  @InstantColumn()
  bundleStartDate!: Date;

  @InstantColumn({ nullable: true })
  chargedThroughDate!: Date | null;

  @Column({ type: 'boolean', default: false })
  migrated!: boolean;
}
