import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog, FitsColumn, TextProperty } from '@kb/platform';
import { TenantRow } from '@kb/tenant';
import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

/** Kill Bill's Tenant JSON; on the way out `apiSecret` is always null. */
export class Tenant {
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  tenantId?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @FitsColumn(TenantRow, 'externalKey')
  externalKey?: string | null;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @FitsColumn(TenantRow, 'apiKey')
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
