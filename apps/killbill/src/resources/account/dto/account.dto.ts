import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AccountEmailRow, AccountRow } from '@kb/account';
import { BlockingStateRow } from '@kb/entitlement';
import { AuditLog, CurrencyProperty, DateTimeProperty, FitsColumn, UuidProperty } from '@kb/platform';
import { IsBoolean, IsInt, IsOptional, IsString } from 'class-validator';

/**
 * Kill Bill's Account JSON. On input every field is optional (shell accounts); semantic checks
 * (currency, time zone, BCD range, locale, external key length) are the service's, so they hold for
 * every caller. `accountBalance` / `accountCBA` are only filled when invoices exist.
 */
export class Account {
  @UuidProperty()
  accountId?: string | null;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'name')
  name?: string | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32' })
  @IsOptional()
  @IsInt()
  firstNameLength?: number | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  externalKey?: string | null;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'email')
  email?: string | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32' })
  @IsOptional()
  @IsInt()
  billCycleDayLocal?: number | null;

  @CurrencyProperty()
  currency?: string | null;

  @UuidProperty()
  parentAccountId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isPaymentDelegatedToParent?: boolean | null;

  @UuidProperty()
  paymentMethodId?: string | null;

  @DateTimeProperty()
  referenceTime?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'timeZone')
  timeZone?: string | null;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'address1')
  address1?: string | null;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'address2')
  address2?: string | null;

  @ApiPropertyOptional({ maxLength: 16 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'postalCode')
  postalCode?: string | null;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'companyName')
  company?: string | null;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'city')
  city?: string | null;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'stateOrProvince')
  state?: string | null;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'country')
  country?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'locale')
  locale?: string | null;

  @ApiPropertyOptional({ maxLength: 25 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'phone')
  phone?: string | null;

  @ApiPropertyOptional({ maxLength: 4096 })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountRow, 'notes')
  notes?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isMigrated?: boolean | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  accountBalance?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  accountCBA?: number | null;

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}

export class AccountEmail {
  @UuidProperty()
  accountId?: string | null;

  // Required by the contract; a missing email is Kill Bill's 400 "AccountEmailJson email needs to be set" (service).
  @ApiProperty({ type: String })
  @IsOptional()
  @IsString()
  @FitsColumn(AccountEmailRow, 'email')
  email!: string | null;

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}

export class BlockingState {
  @UuidProperty()
  blockedId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @FitsColumn(BlockingStateRow, 'state')
  stateName?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @FitsColumn(BlockingStateRow, 'service')
  service?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isBlockChange?: boolean | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isBlockEntitlement?: boolean | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isBlockBilling?: boolean | null;

  @DateTimeProperty()
  effectiveDate?: string | null;

  @ApiPropertyOptional({ enum: ['SUBSCRIPTION', 'SUBSCRIPTION_BUNDLE', 'ACCOUNT'] })
  @IsOptional()
  @IsString()
  type?: string | null;

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}
