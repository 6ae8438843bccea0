import { OBJECT_TYPES } from './audited';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class Entity {
  @ApiPropertyOptional({ format: 'uuid' }) id?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdDate?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedDate?: string;
}

/** Kill Bill's AuditLog JSON. `history` is only filled by the …/auditLogsWithHistory endpoints. */
export class AuditLog {
  @ApiProperty() changeType!: string;
  @ApiProperty({ format: 'date-time' }) changeDate!: string;
  @ApiProperty({ enum: OBJECT_TYPES }) objectType!: string;
  @ApiProperty({ format: 'uuid' }) objectId!: string;
  @ApiProperty() changedBy!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) reasonCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) comments!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) userToken!: string | null;
  @ApiPropertyOptional({ type: () => Entity, nullable: true }) history!: Record<string, unknown> | null;
}
