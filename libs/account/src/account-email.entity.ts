import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited } from '@kb/platform';

/** One of an account's additional emails (Kill Bill's `account_emails`). */
@Entity({ name: 'account_emails' })
@Index('account_emails_id', ['id'], { unique: true })
@Index('account_emails_account', ['tenantRecordId', 'accountRecordId'])
@Audited({ objectType: 'ACCOUNT_EMAIL' })
export class AccountEmailRow extends AccountEntity {
  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'varchar', length: 128 })
  email!: string;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}
