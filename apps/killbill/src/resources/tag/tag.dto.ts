import { ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog } from '@kb/platform';
import { OBJECT_TYPES } from '@kb/tag';

/** Kill Bill's Tag JSON. */
export class Tag {
  @ApiPropertyOptional({ format: 'uuid' }) tagId!: string;
  @ApiPropertyOptional({ enum: OBJECT_TYPES }) objectType!: string;
  @ApiPropertyOptional({ format: 'uuid' }) objectId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) tagDefinitionId!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) tagDefinitionName!: string | null;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs!: AuditLog[];
}
