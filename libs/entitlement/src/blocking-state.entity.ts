import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited, InstantColumn } from '@kb/platform';

export const BLOCKING_STATE_TYPES = ['SUBSCRIPTION', 'SUBSCRIPTION_BUNDLE', 'ACCOUNT'] as const;
export type BlockingStateType = (typeof BLOCKING_STATE_TYPES)[number];

/**
 * Kill Bill's `blocking_states` row: a named state of a blockable object (account, bundle or
 * subscription) set by a service from an effective date, possibly blocking changes, entitlement or
 * billing. Only ACCOUNT states are written for now; bundles and subscriptions add theirs later.
 */
@Entity({ name: 'blocking_states' })
@Index('blocking_states_id', ['id'], { unique: true })
@Index('blocking_states_account', ['tenantRecordId', 'accountRecordId', 'effectiveDate'])
@Index('blocking_states_blockable', ['tenantRecordId', 'blockableId', 'effectiveDate'])
@Audited({ objectType: 'BLOCKING_STATES' })
export class BlockingStateRow extends AccountEntity {
  @Column({ type: 'uuid' })
  blockableId!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: BlockingStateType;

  @Column({ type: 'varchar', length: 50 })
  state!: string;

  @Column({ type: 'varchar', length: 20 })
  service!: string;

  @Column({ type: 'boolean' })
  blockChange!: boolean;

  @Column({ type: 'boolean' })
  blockEntitlement!: boolean;

  @Column({ type: 'boolean' })
  blockBilling!: boolean;

  @InstantColumn()
  effectiveDate!: Date;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}
