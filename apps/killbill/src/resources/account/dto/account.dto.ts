import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditLog, BooleanProperty, CurrencyProperty, DateTimeProperty, IntegerProperty, TextProperty, UuidProperty } from '@kb/platform';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * Kill Bill's Account JSON. On input every field is optional (shell accounts); semantic checks
 * (currency, time zone, BCD range, locale, external key length) are the service's, so they hold for
 * every caller. `accountBalance` / `accountCBA` are only filled when invoices exist.
 */
export class Account {
  @UuidProperty()
  accountId?: string | null;

  @TextProperty({ maxLength: 100 })
  name?: string | null;

  @IntegerProperty('int32')
  firstNameLength?: number | null;

  @TextProperty()
  externalKey?: string | null;

  @TextProperty({ maxLength: 128 })
  email?: string | null;

  @IntegerProperty('int32')
  billCycleDayLocal?: number | null;

  @CurrencyProperty()
  currency?: string | null;

  @UuidProperty()
  parentAccountId?: string | null;

  @BooleanProperty()
  isPaymentDelegatedToParent?: boolean | null;

  @UuidProperty()
  paymentMethodId?: string | null;

  @DateTimeProperty()
  referenceTime?: string | null;

  @TextProperty()
  timeZone?: string | null;

  @TextProperty({ maxLength: 100 })
  address1?: string | null;

  @TextProperty({ maxLength: 100 })
  address2?: string | null;

  @TextProperty({ maxLength: 16 })
  postalCode?: string | null;

  @TextProperty({ maxLength: 50 })
  company?: string | null;

  @TextProperty({ maxLength: 50 })
  city?: string | null;

  @TextProperty({ maxLength: 50 })
  state?: string | null;

  @TextProperty({ maxLength: 50 })
  country?: string | null;

  @TextProperty()
  locale?: string | null;

  @TextProperty({ maxLength: 25 })
  phone?: string | null;

  @TextProperty({ maxLength: 4096 })
  notes?: string | null;

  @BooleanProperty()
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
  @MaxLength(128)
  email!: string | null;

  @ApiPropertyOptional({ type: () => [AuditLog] })
  auditLogs?: AuditLog[];
}

export class BlockingState {
  @UuidProperty()
  blockedId?: string | null;

  @TextProperty({ maxLength: 50 })
  stateName?: string | null;

  @TextProperty({ maxLength: 20 })
  service?: string | null;

  @BooleanProperty()
  isBlockChange?: boolean | null;

  @BooleanProperty()
  isBlockEntitlement?: boolean | null;

  @BooleanProperty()
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
