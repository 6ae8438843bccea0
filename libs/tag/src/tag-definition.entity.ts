import { Column, Entity, Index } from 'typeorm';
import { Audited, TenantEntity } from '@kb/platform';

/** A user tag definition of a tenant; deleting deactivates it. Control and system tags are code, not rows. */
@Entity({ name: 'tag_definitions' })
@Index('tag_definitions_id', ['id'], { unique: true })
@Index('tag_definitions_tenant_name', ['tenantRecordId', 'name'])
@Index('tag_definitions_active_name', ['tenantRecordId', 'name'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'TAG_DEFINITION' })
export class TagDefinitionRow extends TenantEntity {
  @Column({ type: 'varchar', length: 20 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  description!: string;

  /** Comma-separated ObjectType names, as Kill Bill stores them. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  applicableObjectTypes!: string | null;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}
