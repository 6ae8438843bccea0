import { Column, Entity, Index } from 'typeorm';
import { AccountEntity, Audited } from '@kb/platform';

/** A tag on any object (account, bundle, invoice, …); removing deactivates it so `includedDeleted` can show it. */
@Entity({ name: 'tags' })
@Index('tags_id', ['id'], { unique: true })
@Index('tags_by_object', ['tenantRecordId', 'objectId'])
@Index('tags_by_account', ['tenantRecordId', 'accountRecordId'])
@Index('tags_active', ['tenantRecordId', 'objectId', 'objectType', 'tagDefinitionId'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'TAG' })
export class TagRow extends AccountEntity {
  @Column({ type: 'uuid' })
  tagDefinitionId!: string;

  @Column({ type: 'uuid' })
  objectId!: string;

  @Column({ type: 'varchar', length: 30 })
  objectType!: string;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}
