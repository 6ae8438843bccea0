import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type Big from 'big.js';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, ValidateNested } from 'class-validator';
import { BooleanProperty, IntegerProperty, MoneyProperty, TextProperty } from '@kb/platform';
import { CANCELLATION_POLICIES, CONTROL_TAG_TYPES, PAYMENT_RESPONSES, TIME_UNITS, type TimeUnit } from '@kb/overdue';
import { Duration } from '../../catalog/catalog.dto';

/** Kill Bill's overdue JSON shapes (swagger definitions Overdue, OverdueStateConfig, OverdueCondition, OverdueState). */

/** The catalog's Duration, as a request body reads it. */
export class DurationInput extends Duration {
  @IsOptional() @IsIn(TIME_UNITS) declare unit: TimeUnit;
  @IsOptional() @IsInt() declare number: number;
}

export class OverdueCondition {
  @ApiPropertyOptional({ type: () => Duration })
  @IsOptional()
  @ValidateNested()
  @Type(() => DurationInput)
  timeSinceEarliestUnpaidInvoiceEqualsOrExceeds?: DurationInput | null;

  @ApiPropertyOptional({ enum: CONTROL_TAG_TYPES }) @IsOptional() @IsIn(CONTROL_TAG_TYPES) controlTagInclusion?: (typeof CONTROL_TAG_TYPES)[number] | null;
  @ApiPropertyOptional({ enum: CONTROL_TAG_TYPES }) @IsOptional() @IsIn(CONTROL_TAG_TYPES) controlTagExclusion?: (typeof CONTROL_TAG_TYPES)[number] | null;
  @IntegerProperty('int32') numberOfUnpaidInvoicesEqualsOrExceeds?: number | null;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', enum: [...PAYMENT_RESPONSES] } })
  @IsOptional()
  @IsArray()
  @IsIn(PAYMENT_RESPONSES, { each: true })
  responseForLastFailedPayment?: (typeof PAYMENT_RESPONSES)[number][] | null;

  @MoneyProperty() totalUnpaidInvoiceBalanceEqualsOrExceeds?: Big | null;
}

export class OverdueStateConfig {
  @TextProperty() name?: string | null;
  @BooleanProperty() isClearState?: boolean | null;

  @ApiPropertyOptional({ type: () => OverdueCondition })
  @IsOptional()
  @ValidateNested()
  @Type(() => OverdueCondition)
  condition?: OverdueCondition | null;

  @TextProperty() externalMessage?: string | null;
  @BooleanProperty() isBlockChanges?: boolean | null;
  @BooleanProperty() isDisableEntitlement?: boolean | null;
  @ApiPropertyOptional({ enum: CANCELLATION_POLICIES }) @IsOptional() @IsIn(CANCELLATION_POLICIES) subscriptionCancellationPolicy?: (typeof CANCELLATION_POLICIES)[number] | null;
  @IntegerProperty('int32') autoReevaluationIntervalDays?: number | null;
}

export class Overdue {
  @IntegerProperty('int32') initialReevaluationInterval?: number | null;

  @ApiPropertyOptional({ type: () => [OverdueStateConfig] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OverdueStateConfig)
  overdueStates?: OverdueStateConfig[] | null;
}

export class OverdueState {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) externalMessage!: string | null;
  @ApiProperty() isDisableEntitlementAndChangesBlocked!: boolean;
  @ApiProperty() isBlockChanges!: boolean;
  @ApiProperty() isClearState!: boolean;
  @ApiProperty({ type: 'integer', format: 'int32', nullable: true }) reevaluationIntervalDays!: number | null;
}

