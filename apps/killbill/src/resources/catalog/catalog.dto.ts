import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BILLING_MODES, BILLING_PERIODS, CURRENCIES, PRODUCT_CATEGORIES, TIME_UNITS } from '@kb/catalog';
import { CurrencyProperty, MoneyProperty } from '@kb/platform';
import type Big from 'big.js';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

/** Kill Bill's catalog JSON shapes (swagger definitions of the same names). Money is a JSON number, read into a Big. */

export class Price {
  @ApiProperty({ enum: CURRENCIES }) currency!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
}

export class Duration {
  @ApiProperty({ enum: TIME_UNITS }) unit!: string;
  @ApiProperty({ type: 'integer', format: 'int32' }) number!: number;
}

export class Limit {
  @ApiProperty() unit!: string;
  @ApiProperty() max!: string;
  @ApiProperty() min!: string;
}

export class TieredBlock {
  @ApiProperty() unit!: string;
  @ApiProperty() size!: string;
  @ApiProperty() max!: string;
  @ApiProperty({ type: () => [Price] }) prices!: Price[];
}

export class Tier {
  @ApiProperty({ type: () => [Limit] }) limits!: Limit[];
  @ApiProperty({ type: () => [Price] }) fixedPrice!: Price[];
  @ApiProperty({ type: () => [Price] }) recurringPrice!: Price[];
  @ApiProperty({ type: () => [TieredBlock] }) blocks!: TieredBlock[];
}

export class Usage {
  @ApiProperty() billingPeriod!: string;
  @ApiProperty({ type: () => [Tier] }) tiers!: Tier[];
}

export class Phase {
  @ApiProperty() type!: string;
  @ApiProperty({ type: () => [Price] }) prices!: Price[];
  @ApiProperty({ type: () => [Price] }) fixedPrices!: Price[];
  @ApiProperty({ type: () => Duration }) duration!: Duration;
  @ApiProperty({ type: () => [Usage] }) usages!: Usage[];
}

export class Plan {
  @ApiProperty() name!: string;
  @ApiProperty() prettyName!: string;
  @ApiPropertyOptional({ enum: BILLING_MODES }) recurringBillingMode?: string;
  @ApiProperty({ enum: BILLING_PERIODS }) billingPeriod!: string;
  @ApiProperty({ type: () => [Phase] }) phases!: Phase[];
}

export class Product {
  @ApiProperty() type!: string;
  @ApiProperty() name!: string;
  @ApiProperty() prettyName!: string;
  @ApiProperty({ type: () => [Plan] }) plans!: Plan[];
  @ApiProperty({ type: [String] }) included!: string[];
  @ApiProperty({ type: [String] }) available!: string[];
}

export class Unit {
  @ApiProperty() name!: string;
  @ApiProperty() prettyName!: string;
}

export class PriceList {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) plans!: string[];
}

export class Catalog {
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) effectiveDate!: string;
  @ApiProperty({ enum: CURRENCIES, isArray: true }) currencies!: string[];
  @ApiProperty({ type: () => [Unit] }) units!: Unit[];
  @ApiProperty({ type: () => [Product] }) products!: Product[];
  @ApiProperty({ type: () => [PriceList] }) priceLists!: PriceList[];
}

export class PlanDetail {
  @ApiProperty({ type: String, nullable: true }) product!: string | null;
  @ApiProperty() plan!: string;
  @ApiProperty() priceList!: string;
  @ApiProperty({ enum: BILLING_PERIODS }) finalPhaseBillingPeriod!: string;
  @ApiProperty({ type: () => [Price] }) finalPhaseRecurringPrice!: Price[];
}

export class CatalogValidationError {
  @ApiProperty() errorDescription!: string;
}

export class CatalogValidation {
  @ApiProperty({ type: () => [CatalogValidationError] }) catalogValidationErrors!: CatalogValidationError[];
}

/** Body of `POST /catalog/simplePlan`; the engine checks the descriptor itself (CAT_INVALID_SIMPLE_PLAN_DESCRIPTOR). */
export class SimplePlan {
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(255) planId?: string | null;
  @ApiPropertyOptional({ type: String }) @IsOptional() @IsString() @MaxLength(255) productName?: string | null;
  @ApiPropertyOptional({ enum: PRODUCT_CATEGORIES }) @IsOptional() @IsIn([...PRODUCT_CATEGORIES]) productCategory?: (typeof PRODUCT_CATEGORIES)[number] | null;
  @CurrencyProperty() currency?: (typeof CURRENCIES)[number] | null;
  @MoneyProperty() amount?: Big | null;
  @ApiPropertyOptional({ enum: BILLING_PERIODS }) @IsOptional() @IsIn([...BILLING_PERIODS]) billingPeriod?: (typeof BILLING_PERIODS)[number] | null;
  @ApiPropertyOptional({ type: 'integer', format: 'int32' }) @IsOptional() @IsInt() trialLength?: number | null;
  @ApiPropertyOptional({ enum: TIME_UNITS }) @IsOptional() @IsIn([...TIME_UNITS]) trialTimeUnit?: (typeof TIME_UNITS)[number] | null;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  availableBaseProducts?: string[] | null;
}
