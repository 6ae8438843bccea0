import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited } from '@kb/platform';

/** A name/value pair on any object; several fields may share a name, not a name and a value. Removing deactivates it. */
@Entity({ name: 'custom_fields' })
@Index('custom_fields_id', ['id'], { unique: true })
@Index('custom_fields_by_object', ['tenantRecordId', 'objectId'])
@Index('custom_fields_by_account', ['tenantRecordId', 'accountRecordId'])
@Index('custom_fields_active', ['tenantRecordId', 'objectId', 'objectType', 'fieldName', 'fieldValue'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'CUSTOM_FIELD' })
export class CustomFieldRow extends AccountEntity {
  @Column({ type: 'uuid' })
  objectId!: string;

  @Column({ type: 'varchar', length: 30 })
  objectType!: string;

  @Column({ type: 'varchar', length: 64 })
  fieldName!: string;

  @Column({ type: 'varchar', length: 255 })
  fieldValue!: string;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}
