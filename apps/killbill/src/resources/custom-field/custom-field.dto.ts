import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog } from '@kb/platform';
import { OBJECT_TYPES } from '@kb/tag';

/** Kill Bill's CustomField JSON (bodies of POST/PUT …/customFields are arrays of it, checked by the service). */
export class CustomField {
  @ApiPropertyOptional({ format: 'uuid' }) customFieldId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) objectId?: string;
  @ApiPropertyOptional({ enum: OBJECT_TYPES }) objectType?: string;
  @ApiProperty() name!: string;
  @ApiProperty() value!: string;
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}
