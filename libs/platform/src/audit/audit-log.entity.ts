import { Column, Entity, Index } from 'typeorm';
import { InstantColumn, RecordIdColumn, RecordRefColumn } from '../database/columns';

/** One row per change of an audited row: who, when, why, pointing at the history row of the change. */
@Entity({ name: 'audit_log' })
@Index('audit_log_fetch_target_record_id', ['tableName', 'targetRecordId'])
@Index('audit_log_account_record_id', ['accountRecordId', 'tenantRecordId'])
export class AuditLogEntity {
  @RecordIdColumn()
  recordId!: number;

  @Column({ type: 'uuid' })
  id!: string;

  /** record_id of the `<table>_history` row this change produced. */
  @RecordRefColumn()
  targetRecordId!: number;

  @Column({ type: 'varchar', length: 50 })
  tableName!: string;

  @Column({ type: 'varchar', length: 6 })
  changeType!: 'INSERT' | 'UPDATE' | 'DELETE';

  @InstantColumn()
  createdDate!: Date;

  @Column({ type: 'varchar', length: 50 })
  createdBy!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  reasonCode!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  comments!: string | null;

  @Column({ type: 'uuid', nullable: true })
  userToken!: string | null;

  @RecordRefColumn({ nullable: true })
  accountRecordId!: number | null;

  @RecordRefColumn()
  tenantRecordId!: number;
}
