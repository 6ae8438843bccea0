import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited, InstantColumn } from '@kb/platform';

/** Prefix Kill Bill gives the key of a cancelled bundle whose key is reused (`kbcncl-<recordId>:<key>`). */
export const CANCELLED_BUNDLE_KEY_PREFIX = 'kbcncl-';
/** Prefix of the key of a transferred bundle (`kbtsf-<recordId>:<key>`). */
export const TRANSFERRED_BUNDLE_KEY_PREFIX = 'kbtsf-';

/** The key the API shows: a renamed bundle's original key (prefix stripped). */
export function visibleBundleKey(storedKey: string): string {
  const match = /^(?:kbcncl|kbtsf)-\d+:(.*)$/s.exec(storedKey);
  return match ? match[1] : storedKey;
}

/** Kill Bill's `bundles` row: the subscriptions of an account sold together, under one external key. */
@Entity({ name: 'bundles' })
@Index('bundles_id', ['id'], { unique: true })
@Index('bundles_external_key', ['tenantRecordId', 'externalKey'], { unique: true })
@Index('bundles_account', ['tenantRecordId', 'accountRecordId', 'recordId'])
@Index('bundles_tenant_record_id', ['tenantRecordId', 'recordId'])
@Audited({ objectType: 'BUNDLE' })
export class BundleRow extends AccountEntity {
  @Column({ type: 'varchar', length: 255 })
  externalKey!: string;

  @Column({ type: 'uuid' })
  accountId!: string;

  @InstantColumn()
  originalCreatedDate!: Date;

  @InstantColumn({ nullable: true })
  lastSysUpdateDate!: Date | null;
}
