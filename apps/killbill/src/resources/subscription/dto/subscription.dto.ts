import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { BILLING_MODES, BILLING_PERIODS, PHASE_TYPES, PRODUCT_CATEGORIES, TIER_BLOCK_POLICIES, USAGE_TYPES } from '@kb/catalog';
import type Big from 'big.js';
import { TIMELINE_EVENT_TYPES } from '@kb/entitlement';
import { AuditLog, DateTimeProperty, LocalDateProperty, MoneyProperty, UuidProperty } from '@kb/platform';

/** Kill Bill's EventSubscription (output only). */
export class EventSubscription {
  @ApiPropertyOptional({ format: 'uuid' }) eventId?: string;
  @ApiPropertyOptional({ enum: BILLING_PERIODS }) billingPeriod?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) effectiveDate?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) catalogEffectiveDate?: string | null;
  @ApiPropertyOptional({ type: String }) plan?: string | null;
  @ApiPropertyOptional({ type: String }) product?: string | null;
  @ApiPropertyOptional({ type: String }) priceList?: string | null;
  @ApiPropertyOptional({ enum: TIMELINE_EVENT_TYPES }) eventType?: string;
  @ApiPropertyOptional() isBlockedBilling?: boolean;
  @ApiPropertyOptional() isBlockedEntitlement?: boolean;
  @ApiPropertyOptional() serviceName?: string;
  @ApiPropertyOptional() serviceStateName?: string;
  @ApiPropertyOptional({ type: String }) phase?: string | null;
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}

/** A tiered block's price on output (numbers); on input (a usage price override) the amounts read into exact Bigs. */
export class BlockPrice {
  @ApiPropertyOptional() @IsOptional() @IsString() unitName?: string;
  @MoneyProperty() size?: Big | number;
  @MoneyProperty() price?: Big | number | null;
  @MoneyProperty() max?: Big | number | null;
}

export class TierPrice {
  @ApiPropertyOptional({ type: [BlockPrice] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => BlockPrice)
  blockPrices?: BlockPrice[];
}

export class UsagePrice {
  @ApiPropertyOptional() @IsOptional() @IsString() usageName?: string;
  @ApiPropertyOptional({ enum: USAGE_TYPES }) @IsOptional() @IsIn([...USAGE_TYPES]) usageType?: string;
  @ApiPropertyOptional({ enum: BILLING_MODES }) @IsOptional() @IsIn([...BILLING_MODES]) billingMode?: string;
  @ApiPropertyOptional({ enum: TIER_BLOCK_POLICIES }) @IsOptional() @IsIn([...TIER_BLOCK_POLICIES]) tierBlockPolicy?: string;

  @ApiPropertyOptional({ type: [TierPrice] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TierPrice)
  tierPrices?: TierPrice[];
}

/**
 * Kill Bill's PhasePrice: a phase's prices on output (numbers), a price override on input (the
 * amounts read into exact Bigs, in the account currency).
 */
export class PhasePrice {
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() planName?: string | null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() phaseName?: string | null;
  @ApiPropertyOptional({ enum: PHASE_TYPES }) @IsOptional() @IsIn([...PHASE_TYPES]) phaseType?: string | null;
  @MoneyProperty() fixedPrice?: Big | number | null;
  @MoneyProperty() recurringPrice?: Big | number | null;
  @ApiPropertyOptional({ type: [UsagePrice] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => UsagePrice)
  usagePrices?: UsagePrice[];
}

/**
 * Kill Bill's Subscription JSON: the create spec on input, the subscription on output. The
 * create's own checks (which fields go together, the same account for every element) are the
 * service's, with Kill Bill's messages.
 */
export class Subscription {
  @UuidProperty() accountId?: string | null;
  @UuidProperty() bundleId?: string | null;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  bundleExternalKey?: string | null;

  @UuidProperty() subscriptionId?: string | null;

  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @IsString()
  externalKey?: string | null;

  @DateTimeProperty() startDate?: string | null;

  @ApiProperty({ type: String })
  @IsOptional()
  @IsString()
  productName?: string | null;

  @ApiPropertyOptional({ enum: PRODUCT_CATEGORIES })
  @IsOptional()
  @IsIn([...PRODUCT_CATEGORIES])
  productCategory?: string | null;

  @ApiProperty({ enum: BILLING_PERIODS })
  @IsOptional()
  @IsIn([...BILLING_PERIODS])
  billingPeriod?: string | null;

  @ApiPropertyOptional({ enum: PHASE_TYPES })
  @IsOptional()
  @IsIn([...PHASE_TYPES])
  phaseType?: string | null;

  @ApiProperty({ type: String })
  @IsOptional()
  @IsString()
  priceList?: string | null;

  @ApiProperty({ type: String })
  @IsOptional()
  @IsString()
  planName?: string | null;

  @ApiPropertyOptional({ enum: ['PENDING', 'ACTIVE', 'BLOCKED', 'CANCELLED', 'EXPIRED'] }) state?: string | null;
  @ApiPropertyOptional({ enum: ['NATIVE', 'MIGRATED', 'TRANSFERRED'] }) sourceType?: string | null;
  @DateTimeProperty() cancelledDate?: string | null;
  @LocalDateProperty() chargedThroughDate?: string | null;
  @DateTimeProperty() billingStartDate?: string | null;
  @DateTimeProperty() billingEndDate?: string | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32' })
  @IsOptional()
  @IsInt()
  billCycleDayLocal?: number | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32' })
  @IsOptional()
  @IsInt()
  quantity?: number | null;

  @ApiPropertyOptional({ type: [EventSubscription] }) events?: EventSubscription[] | null;

  @ApiPropertyOptional({ type: [PhasePrice] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PhasePrice)
  priceOverrides?: PhasePrice[] | null;

  @ApiPropertyOptional({ type: [PhasePrice] }) prices?: PhasePrice[] | null;
  @ApiPropertyOptional({ type: [AuditLog] }) auditLogs?: AuditLog[];
}

/** Kill Bill's BulkSubscriptionsBundle: one bundle of the bulk create. */
export class BulkSubscriptionsBundle {
  @ApiProperty({ type: [Subscription] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Subscription)
  baseEntitlementAndAddOns!: Subscription[];
}
