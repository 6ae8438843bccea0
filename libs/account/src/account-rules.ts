import { zoneOf } from '@kb/kernel';
import { InvalidRequestException, isCurrency, KillBillException, requireDateTime } from '@kb/platform';

/** What a caller may say about an account (Kill Bill's AccountData); null and absent mean the same. */
export interface AccountInput {
  readonly externalKey?: string | null;
  readonly name?: string | null;
  readonly firstNameLength?: number | null;
  readonly email?: string | null;
  readonly billCycleDayLocal?: number | null;
  readonly currency?: string | null;
  readonly parentAccountId?: string | null;
  readonly isPaymentDelegatedToParent?: boolean | null;
  readonly paymentMethodId?: string | null;
  /** ISO-8601 date-time. */
  readonly referenceTime?: string | null;
  readonly timeZone?: string | null;
  readonly address1?: string | null;
  readonly address2?: string | null;
  readonly postalCode?: string | null;
  readonly companyName?: string | null;
  readonly city?: string | null;
  readonly stateOrProvince?: string | null;
  readonly country?: string | null;
  readonly locale?: string | null;
  readonly phone?: string | null;
  readonly notes?: string | null;
  readonly isMigrated?: boolean | null;
}

/** The stored state of an account, as the rules see it. */
export interface AccountFields {
  externalKey: string;
  name: string | null;
  firstNameLength: number | null;
  email: string | null;
  billingCycleDayLocal: number;
  currency: string | null;
  parentAccountId: string | null;
  isPaymentDelegatedToParent: boolean | null;
  paymentMethodId: string | null;
  referenceTime: Date;
  timeZone: string;
  address1: string | null;
  address2: string | null;
  postalCode: string | null;
  companyName: string | null;
  city: string | null;
  stateOrProvince: string | null;
  country: string | null;
  locale: string | null;
  phone: string | null;
  notes: string | null;
  migrated: boolean | null;
}

/** Fields Kill Bill's update statement writes (external key, reference time and `migrated` are never updated). */
export const UPDATABLE_FIELDS = [
  'email',
  'name',
  'firstNameLength',
  'currency',
  'billingCycleDayLocal',
  'parentAccountId',
  'isPaymentDelegatedToParent',
  'paymentMethodId',
  'timeZone',
  'locale',
  'address1',
  'address2',
  'companyName',
  'city',
  'stateOrProvince',
  'country',
  'postalCode',
  'phone',
  'notes',
] as const satisfies readonly (keyof AccountFields)[];

export interface ChangedField {
  readonly fieldName: string;
  readonly oldValue: string | null;
  readonly newValue: string | null;
}

const EXTERNAL_KEY_MAX = 255;
const DEFAULT_BCD = 0;
const LOCALE = /^[a-zA-Z]{2,3}([_-]([a-zA-Z]{2}|[0-9]{3}))?([_-][a-zA-Z0-9]{1,8})?$/;

/** The account a create makes: Kill Bill's defaults (external key = id, UTC, reference time = now, BCD 0). */
export function accountForCreate(id: string, input: AccountInput, now: Date): AccountFields {
  validateInput(input);
  return {
    externalKey: input.externalKey ?? id,
    name: input.name ?? null,
    firstNameLength: input.firstNameLength ?? null,
    email: input.email ?? null,
    billingCycleDayLocal: input.billCycleDayLocal ?? DEFAULT_BCD,
    currency: input.currency ?? null,
    parentAccountId: input.parentAccountId ?? null,
    isPaymentDelegatedToParent: input.isPaymentDelegatedToParent ?? false,
    paymentMethodId: input.paymentMethodId ?? null,
    referenceTime: input.referenceTime ? parseInstant(input.referenceTime, 'referenceTime') : now,
    timeZone: input.timeZone ?? 'UTC',
    address1: input.address1 ?? null,
    address2: input.address2 ?? null,
    postalCode: input.postalCode ?? null,
    companyName: input.companyName ?? null,
    city: input.city ?? null,
    stateOrProvince: input.stateOrProvince ?? null,
    country: input.country ?? null,
    locale: input.locale ?? null,
    phone: input.phone ?? null,
    notes: input.notes ?? null,
    migrated: input.isMigrated ?? null,
  };
}

/**
 * Kill Bill's update rules (AccountModelDao.validateAccountUpdateInput + mergeWithDelegate): external
 * key, currency and time zone cannot change once set, the BCD can only be set while it is 0, the
 * reference time may only be resent with the same date. With `treatNullAsReset` null fields are
 * cleared, so the immutable ones must be repeated; otherwise null keeps the current value.
 * Returns the new values of the updatable fields and what changed.
 */
export function accountForUpdate(
  current: AccountFields,
  input: AccountInput,
  treatNullAsReset: boolean,
  allowBcdUpdate = false,
): { fields: Pick<AccountFields, (typeof UPDATABLE_FIELDS)[number]>; changes: ChangedField[] } {
  validateInput(input);
  const externalKey = input.externalKey ?? null;
  const currency = input.currency ?? null;
  const timeZone = input.timeZone ?? null;
  const bcd = input.billCycleDayLocal ?? DEFAULT_BCD;
  if ((treatNullAsReset || externalKey !== null) && current.externalKey !== externalKey) {
    throw new InvalidRequestException(`Killbill doesn't support updating the account external key: new=${externalKey}, current=${current.externalKey}`);
  }
  if ((treatNullAsReset || currency !== null) && current.currency !== null && current.currency !== currency) {
    throw new InvalidRequestException(`Killbill doesn't support updating the account currency: new=${currency}, current=${current.currency}`);
  }
  // killbill.features.account.allowBCDUpdate: no check, and the given BCD is taken as is (DefaultAccountDao.update).
  const bcdMoves = allowBcdUpdate;
  if (!bcdMoves && (treatNullAsReset || bcd !== DEFAULT_BCD) && current.billingCycleDayLocal !== DEFAULT_BCD && current.billingCycleDayLocal !== bcd) {
    throw new InvalidRequestException(`Killbill doesn't support updating the account BCD: new=${bcd}, current=${current.billingCycleDayLocal}`);
  }
  if ((treatNullAsReset || timeZone !== null) && current.timeZone !== timeZone) {
    throw new InvalidRequestException(`Killbill doesn't support updating the account timeZone: new=${timeZone}, current=${current.timeZone}`);
  }
  if (input.referenceTime) {
    const referenceTime = parseInstant(input.referenceTime, 'referenceTime');
    if (utcDate(referenceTime) !== utcDate(current.referenceTime)) {
      throw new InvalidRequestException(
        `Killbill doesn't support updating the account referenceTime: new=${referenceTime.toISOString()}, current=${current.referenceTime.toISOString()}`,
      );
    }
  }

  const requested: Pick<AccountFields, (typeof UPDATABLE_FIELDS)[number]> = {
    email: input.email ?? null,
    name: input.name ?? null,
    firstNameLength: input.firstNameLength ?? null,
    currency,
    billingCycleDayLocal: bcd,
    parentAccountId: input.parentAccountId ?? null,
    isPaymentDelegatedToParent: input.isPaymentDelegatedToParent ?? null,
    paymentMethodId: input.paymentMethodId ?? null,
    timeZone: timeZone ?? current.timeZone,
    locale: input.locale ?? null,
    address1: input.address1 ?? null,
    address2: input.address2 ?? null,
    companyName: input.companyName ?? null,
    city: input.city ?? null,
    stateOrProvince: input.stateOrProvince ?? null,
    country: input.country ?? null,
    postalCode: input.postalCode ?? null,
    phone: input.phone ?? null,
    notes: input.notes ?? null,
  };
  const fields = { ...requested };
  if (!treatNullAsReset) {
    // The BCD is taken only when none is set yet (or when it may move); every other null keeps the current value.
    if (!bcdMoves && !(current.billingCycleDayLocal === DEFAULT_BCD && bcd !== DEFAULT_BCD)) fields.billingCycleDayLocal = current.billingCycleDayLocal;
    // As Kill Bill's mergeWithDelegate: the currency always stays the stored one (set it with treatNullAsReset).
    fields.currency = current.currency;
    for (const field of UPDATABLE_FIELDS) {
      if (field === 'billingCycleDayLocal' || field === 'currency') continue;
      if (fields[field] === null) (fields as Record<string, unknown>)[field] = current[field];
    }
  }
  const changes: ChangedField[] = [];
  for (const field of UPDATABLE_FIELDS) {
    const before = current[field];
    const after = fields[field];
    if (before !== after) changes.push({ fieldName: field, oldValue: asText(before), newValue: asText(after) });
  }
  return { fields, changes };
}

function validateInput(input: AccountInput): void {
  if (input.externalKey != null && input.externalKey.length > EXTERNAL_KEY_MAX) throw new KillBillException('EXTERNAL_KEY_LIMIT_EXCEEDED');
  if (input.currency != null && !isCurrency(input.currency)) throw new InvalidRequestException(`Invalid currency for currency: ${input.currency}`);
  if (input.timeZone != null && !isTimeZone(input.timeZone)) {
    throw new InvalidRequestException(`The datetime zone id '${input.timeZone}' is not recognised`);
  }
  const bcd = input.billCycleDayLocal;
  if (bcd != null && (!Number.isInteger(bcd) || bcd < 0 || bcd > 31)) {
    throw new InvalidRequestException(`Invalid billCycleDayLocal ${bcd}: expected a day of month between 1 and 31 (0 = not set)`);
  }
  if (input.locale != null && !LOCALE.test(input.locale)) throw new InvalidRequestException(`Invalid locale: ${input.locale}`);
  if (input.firstNameLength != null && input.name != null && input.firstNameLength > input.name.length) {
    throw new InvalidRequestException(`firstNameLength ${input.firstNameLength} is longer than the name`);
  }
  if (input.referenceTime) parseInstant(input.referenceTime, 'referenceTime');
}

/** A valid IANA zone id or offset, as Joda's DateTimeZone.forID accepts it. */
export function isTimeZone(value: string): boolean {
  return zoneOf(value) !== undefined;
}

export function parseInstant(value: string, field: string): Date {
  return requireDateTime(value, field);
}

function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}
