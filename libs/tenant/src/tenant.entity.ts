import { Column, Entity, Index } from 'typeorm';
import { Audited, KillBillEntity } from '@kb/platform';

@Entity({ name: 'tenants' })
@Index('tenants_id', ['id'], { unique: true })
@Audited({ objectType: 'TENANT', excludeFromHistory: ['api_secret', 'api_salt'], tenantRecordIdOf: (tenant) => (tenant as TenantRow).recordId })
export class TenantRow extends KillBillEntity {
  @Index('tenants_api_key', { unique: true })
  @Column({ type: 'varchar', length: 128 })
  apiKey!: string;

  @Index('tenants_external_key', { unique: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  externalKey!: string | null;

  /** PBKDF2 hash of the api secret, Base64; the secret itself is never stored. */
  @Column({ type: 'varchar', length: 128 })
  apiSecret!: string;

  @Column({ type: 'varchar', length: 128 })
  apiSalt!: string;
}
