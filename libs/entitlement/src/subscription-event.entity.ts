import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited, InstantColumn } from '@kb/platform';
import type { SubscriptionEventType } from './engine/subscription-events';

/**
 * Kill Bill's `subscription_events` row. One `event_type` column carries the shared
 * SubscriptionEventType (Kill Bill splits it into event_type + user_type; the pair maps one to one).
 */
@Entity({ name: 'subscription_events' })
@Index('subscription_events_id', ['id'], { unique: true })
@Index('subscription_events_subscription', ['tenantRecordId', 'subscriptionId'])
@Index('subscription_events_account', ['tenantRecordId', 'accountRecordId'])
@Audited({ objectType: 'SUBSCRIPTION_EVENT' })
export class SubscriptionEventRow extends AccountEntity {
  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'varchar', length: 15 })
  eventType!: SubscriptionEventType;

  @InstantColumn()
  effectiveDate!: Date;

  @Column({ type: 'varchar', length: 255, nullable: true })
  planName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  phaseName!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  priceListName!: string | null;

  @Column({ type: 'integer', nullable: true })
  billingCycleDayLocal!: number | null;

  @Column({ type: 'integer', nullable: true })
  quantity!: number | null;

  @InstantColumn({ nullable: true })
  catalogEffectiveDate!: Date | null;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}
