import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { LocalDateProperty, TextProperty, UuidProperty } from '@kb/platform';
import { PhasePrice } from '../../subscription/dto/subscription.dto';

// The contract's enums (Kill Bill's DryRunType, SubscriptionEventType, PhaseType, ProductCategory, BillingPeriod, BillingActionPolicy).
const DRY_RUN_TYPES = ['TARGET_DATE', 'UPCOMING_INVOICE', 'SUBSCRIPTION_ACTION'];
const DRY_RUN_ACTIONS = [
  'START_ENTITLEMENT',
  'START_BILLING',
  'PAUSE_ENTITLEMENT',
  'PAUSE_BILLING',
  'RESUME_ENTITLEMENT',
  'RESUME_BILLING',
  'PHASE',
  'CHANGE',
  'STOP_ENTITLEMENT',
  'STOP_BILLING',
  'SERVICE_STATE_CHANGE',
];
const PHASE_TYPES = ['TRIAL', 'DISCOUNT', 'FIXEDTERM', 'EVERGREEN'];
const PRODUCT_CATEGORIES = ['BASE', 'ADD_ON', 'STANDALONE'];
const BILLING_PERIODS = [
  'DAILY',
  'WEEKLY',
  'BIWEEKLY',
  'THIRTY_DAYS',
  'THIRTY_ONE_DAYS',
  'SIXTY_DAYS',
  'NINETY_DAYS',
  'MONTHLY',
  'BIMESTRIAL',
  'QUARTERLY',
  'TRIANNUAL',
  'BIANNUAL',
  'ANNUAL',
  'SESQUIENNIAL',
  'BIENNIAL',
  'TRIENNIAL',
  'NO_BILLING_PERIOD',
];
const BILLING_POLICIES = ['START_OF_TERM', 'END_OF_TERM', 'IMMEDIATE', 'ILLEGAL'];

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
