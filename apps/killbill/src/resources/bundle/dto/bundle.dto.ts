import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** Kill Bill's Bundle JSON (output). */
export class Bundle {
  @ApiProperty({ format: 'uuid' }) accountId!: string;
  @ApiPropertyOptional({ format: 'uuid' }) bundleId?: string;
  @ApiPropertyOptional() externalKey?: string;
  @ApiPropertyOptional({ type: [Subscription] }) subscriptions?: Subscription[];
  @ApiPropertyOptional({ type: BundleTimeline }) timeline?: BundleTimeline;
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}
