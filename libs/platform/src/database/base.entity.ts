import { Column } from 'typeorm';
import { InstantColumn, RecordIdColumn, RecordRefColumn } from './columns';

/**
 * Kill Bill's row model: a bigserial `record_id` for joins and ordering, a UUID `id` for the API,
 * who created and last updated the row, and when.
 */
export abstract class KillBillEntity {
  @RecordIdColumn()
  recordId!: number;

  @Column({ type: 'uuid' })
  id!: string;

  @InstantColumn()
  createdDate!: Date;

  @Column({ type: 'varchar', length: 50 })
  createdBy!: string;

  @InstantColumn()
  updatedDate!: Date;

  @Column({ type: 'varchar', length: 50 })
  updatedBy!: string;
}

/** A row that belongs to a tenant. */
export abstract class TenantEntity extends KillBillEntity {
  @RecordRefColumn()
  tenantRecordId!: number;
}

/** A row that belongs to a tenant and to one of its accounts. */
export abstract class AccountEntity extends TenantEntity {
  @RecordRefColumn({ nullable: true })
  accountRecordId!: number | null;
}
