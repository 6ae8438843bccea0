import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, IsUUID, ValidateNested } from 'class-validator';
import { AuditLog } from '@kb/platform';
import { EventSubscription, Subscription } from '../../subscription/dto/subscription.dto';

/** Kill Bill's BundleTimeline: every subscription's events, merged. */
export class BundleTimeline {
  @ApiPropertyOptional({ format: 'uuid' }) accountId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) bundleId?: string;
  @ApiPropertyOptional() externalKey?: string;
  @ApiPropertyOptional({ type: [EventSubscription] }) events?: EventSubscription[];
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}

/**
 * Kill Bill's Bundle JSON: the reads' answer, and the body of transfer (accountId, subscriptions'
 * new keys) and renameKey (externalKey). Presence is the services' check, with Kill Bill's messages.
 */
export class Bundle {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  accountId!: string;

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  bundleId?: string;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  externalKey?: string;

  @ApiPropertyOptional({ type: [Subscription] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Subscription)
  subscriptions?: Subscription[];

  @ApiPropertyOptional({ type: BundleTimeline }) timeline?: BundleTimeline;
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}
