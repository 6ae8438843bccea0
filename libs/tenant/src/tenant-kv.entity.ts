import { Column, Entity, Index } from 'typeorm';
import { Audited, TenantEntity } from '@kb/platform';

/** One value of a tenant key; multi-valued keys have several active rows. Deleting deactivates. */
@Entity({ name: 'tenant_kvs' })
@Index('tenant_kvs_key', ['tenantRecordId', 'tenantKey'])
@Audited({ objectType: 'TENANT_KVS' })
export class TenantKvRow extends TenantEntity {
  @Column({ type: 'varchar', length: 255 })
  tenantKey!: string;

  @Column({ type: 'text' })
  tenantValue!: string;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}
