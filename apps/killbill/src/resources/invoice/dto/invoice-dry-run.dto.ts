import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { LocalDateProperty, TextProperty, UuidProperty } from '@kb/platform';
import { BILLING_ACTION_POLICIES, BILLING_PERIODS, PHASE_TYPES, PRODUCT_CATEGORIES } from '@kb/catalog';
import { TIMELINE_EVENT_TYPES } from '@kb/entitlement';
import { DRY_RUN_TYPES } from '@kb/invoice';
import { PhasePrice } from '../../subscription/dto/subscription.dto';

// The contract's enums, from the libs that define them: the dry-run actions are Kill Bill's SubscriptionEventType.
const DRY_RUN_ACTIONS = TIMELINE_EVENT_TYPES;
const BILLING_POLICIES = BILLING_ACTION_POLICIES;

/** One of the contract's enum values: documented and checked together. */
function EnumProperty(values: readonly string[]): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ type: String, enum: [...values] }), IsOptional(), IsIn([...values]));
}

/**
 * Kill Bill's InvoiceDryRunJson: what to simulate. Which fields go together (a plan by name or by
 * product, the subscription of a change) is the service's check, with Kill Bill's messages.
 */
export class InvoiceDryRun {
  @EnumProperty(DRY_RUN_TYPES) dryRunType?: string | null;
  @EnumProperty(DRY_RUN_ACTIONS) dryRunAction?: string | null;
  @EnumProperty(PHASE_TYPES) phaseType?: string | null;
  @TextProperty() productName?: string | null;
  @EnumProperty(PRODUCT_CATEGORIES) productCategory?: string | null;
  @EnumProperty(BILLING_PERIODS) billingPeriod?: string | null;
  @TextProperty() priceListName?: string | null;
  @UuidProperty() subscriptionId?: string | null;
  @UuidProperty() bundleId?: string | null;
  @LocalDateProperty() effectiveDate?: string | null;
  @EnumProperty(BILLING_POLICIES) billingPolicy?: string | null;

  @ApiPropertyOptional({ type: [PhasePrice] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PhasePrice)
  priceOverrides?: PhasePrice[] | null;

  @TextProperty() planName?: string | null;
}
