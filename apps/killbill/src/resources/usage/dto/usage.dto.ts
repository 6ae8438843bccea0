import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type Big from 'big.js';
import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsNotEmpty, ValidateNested } from 'class-validator';
import { DateTimeProperty, MoneyProperty, TextProperty, UuidProperty } from '@kb/platform';
import { RolledUpUsageRow } from '@kb/usage';

/** Kill Bill's usage JSON shapes (swagger definitions of the same names). */
export class UsageRecord {
  @DateTimeProperty({ required: true }) recordDate!: string;
  @MoneyProperty({ required: true }) amount!: Big;
}

export class UnitUsageRecord {
  @IsNotEmpty()
  @TextProperty({ required: true, column: [RolledUpUsageRow, 'unitType'] })
  unitType!: string;

  @ApiProperty({ type: [UsageRecord] })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => UsageRecord)
  usageRecords!: UsageRecord[];
}

export class SubscriptionUsageRecord {
  @UuidProperty({ required: true }) subscriptionId!: string;
  @TextProperty({ column: [RolledUpUsageRow, 'trackingId'] }) trackingId?: string | null;

  @ApiProperty({ type: [UnitUsageRecord] })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => UnitUsageRecord)
  unitUsageRecords!: UnitUsageRecord[];
}

export class RolledUpUnit {
  @ApiPropertyOptional({ type: String }) unitType!: string;
  @ApiPropertyOptional({ type: 'number' }) amount!: number;
}

export class RolledUpUsage {
  @ApiPropertyOptional({ type: String, format: 'uuid' }) subscriptionId!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) startDate!: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) endDate!: string;
  @ApiPropertyOptional({ type: [RolledUpUnit] }) rolledUpUnits!: RolledUpUnit[];
}
