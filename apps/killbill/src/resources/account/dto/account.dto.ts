import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type Big from 'big.js';
import { AccountEmailRow, AccountRow } from '@kb/account';
import { BlockingStateRow } from '@kb/entitlement';
import { AuditLog, BooleanProperty, CurrencyProperty, DateTimeProperty, FitsColumn, IntegerProperty, TextProperty, UuidProperty } from '@kb/platform';
import { IsOptional, IsString } from 'class-validator';

/**
 * Kill Bill's Account JSON. On input every field is optional (shell accounts); semantic checks
 * (currency, time zone, BCD range, locale, external key length) are the service's, so they hold for
 * every caller. `accountBalance` / `accountCBA` (output only) are filled when the read asks for them.
 */
export class Account {
  @UuidProperty()
  accountId?: string | null;

  @TextProperty({ column: [AccountRow, 'name'] })
  name?: string | null;

  @IntegerProperty('int32')
  firstNameLength?: number | null;

  @TextProperty()
  externalKey?: string | null;

  @TextProperty({ column: [AccountRow, 'email'] })
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

  @TextProperty({ column: [AccountRow, 'timeZone'] })
  timeZone?: string | null;

  @TextProperty({ column: [AccountRow, 'address1'] })
  address1?: string | null;

  @TextProperty({ column: [AccountRow, 'address2'] })
  address2?: string | null;

  @TextProperty({ column: [AccountRow, 'postalCode'] })
  postalCode?: string | null;

  @TextProperty({ column: [AccountRow, 'companyName'] })
  company?: string | null;

  @TextProperty({ column: [AccountRow, 'city'] })
  city?: string | null;

  @TextProperty({ column: [AccountRow, 'stateOrProvince'] })
  state?: string | null;

  @TextProperty({ column: [AccountRow, 'country'] })
  country?: string | null;

  @TextProperty({ column: [AccountRow, 'locale'] })
  locale?: string | null;

  @TextProperty({ column: [AccountRow, 'phone'] })
  phone?: string | null;

  @TextProperty({ column: [AccountRow, 'notes'] })
  notes?: string | null;

  @BooleanProperty()
  isMigrated?: boolean | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  accountBalance?: Big | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  accountCBA?: Big | null;

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

  @TextProperty({ column: [BlockingStateRow, 'state'] })
  stateName?: string | null;

  @TextProperty({ column: [BlockingStateRow, 'service'] })
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
