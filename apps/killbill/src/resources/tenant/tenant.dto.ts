import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog, TextProperty } from '@kb/platform';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Kill Bill's Tenant JSON; on the way out `apiSecret` is always null. */
export class Tenant {
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  tenantId?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  externalKey?: string | null;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  apiKey!: string;

  @TextProperty({ required: true })
  @IsNotEmpty()
  apiSecret!: string | null;

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}

export class TenantKeyValue {
  @ApiProperty() key!: string;
  @ApiProperty({ type: [String] }) values!: string[];
  @ApiPropertyOptional({ type: () => [AuditLog] }) auditLogs?: AuditLog[];
}
