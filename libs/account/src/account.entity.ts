import { Column, Entity, Index } from 'typeorm';
import { Audited, InstantColumn, TenantEntity } from '@kb/platform';

/** Kill Bill's `accounts` row. The account is its own account: its audit rows carry its record id. */
@Entity({ name: 'accounts' })
@Index('accounts_external_key', ['tenantRecordId', 'externalKey'], { unique: true })
@Index('accounts_tenant_record_id', ['tenantRecordId', 'recordId'])
@Index('accounts_id', ['id'], { unique: true })
@Index('accounts_parent_account_id', ['tenantRecordId', 'parentAccountId'], { where: 'parent_account_id IS NOT NULL' })
@Index('accounts_name', ['tenantRecordId', 'name'])
@Index('accounts_email', ['tenantRecordId', 'email'])
@Index('accounts_company_name', ['tenantRecordId', 'companyName'])
@Audited({ objectType: 'ACCOUNT', accountRecordIdOf: 'recordId' })
export class AccountRow extends TenantEntity {
  @Column({ type: 'varchar', length: 255 })
  externalKey!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @Column({ type: 'integer', nullable: true })
  firstNameLength!: number | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency!: string | null;

  /** 0 = not set yet (Kill Bill sets it from the first subscription when the catalog aligns on the account). */
  @Column({ type: 'integer', default: 0 })
  billingCycleDayLocal!: number;

  @Column({ type: 'uuid', nullable: true })
  parentAccountId!: string | null;

  @Column({ type: 'boolean', nullable: true })
  isPaymentDelegatedToParent!: boolean | null;

  @Column({ type: 'uuid', nullable: true })
  paymentMethodId!: string | null;

  @InstantColumn()
  referenceTime!: Date;

  @Column({ type: 'varchar', length: 50 })
  timeZone!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  locale!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  address1!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  address2!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  companyName!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  city!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  stateOrProvince!: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  country!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  postalCode!: string | null;

  @Column({ type: 'varchar', length: 25, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 4096, nullable: true })
  notes!: string | null;

  @Column({ type: 'boolean', nullable: true })
  migrated!: boolean | null;
}
