import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class Entity {
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdDate?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedDate?: string;
}

const AUDITED_OBJECT_TYPES = [
  'ACCOUNT',
  'ACCOUNT_EMAIL',
  'BLOCKING_STATES',
  'BUNDLE',
  'CUSTOM_FIELD',
  'INVOICE',
  'PAYMENT',
  'TRANSACTION',
  'INVOICE_ITEM',
  'INVOICE_PAYMENT',
  'SUBSCRIPTION',
  'SUBSCRIPTION_EVENT',
  'SERVICE_BROADCAST',
  'PAYMENT_ATTEMPT',
  'PAYMENT_METHOD',
  'TAG',
  'TAG_DEFINITION',
  'TENANT',
  'TENANT_KVS',
];

/** Kill Bill's AuditLog JSON. `history` is only filled by the …/auditLogsWithHistory endpoints. */
export class AuditLog {
  @ApiProperty() changeType!: string;
  @ApiProperty({ format: 'date-time' }) changeDate!: string;
  @ApiProperty({ enum: AUDITED_OBJECT_TYPES }) objectType!: string;
  @ApiProperty({ format: 'uuid' }) objectId!: string;
  @ApiProperty() changedBy!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) reasonCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) comments!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) userToken!: string | null;
  @ApiPropertyOptional({ type: () => Entity, nullable: true }) history!: Record<string, unknown> | null;
}
