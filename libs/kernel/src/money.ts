import Big from 'big.js';

/**
 * Kill Bill's Currency enum (org.killbill.billing.catalog.api.Currency): ISO 4217 codes plus the few
 * non-ISO ones Kill Bill accepts (BTC, GGP, IMP, JEP, SPL, TVD). The order is Kill Bill's.
 */
export const CURRENCIES = [
  'AED',
  'AFN',
  'ALL',
  'AMD',
  'ANG',
  'AOA',
  'ARS',
  'AUD',
  'AWG',
  'AZN',
  'BAM',
  'BBD',
  'BDT',
  'BGN',
  'BHD',
  'BIF',
  'BMD',
  'BND',
  'BOB',
  'BRL',
  'BSD',
  'BTN',
  'BWP',
  'BYR',
  'BZD',
  'CAD',
  'CDF',
  'CHF',
  'CLP',
  'CNY',
  'COP',
  'CRC',
  'CUC',
  'CUP',
  'CVE',
  'CZK',
  'DJF',
  'DKK',
  'DOP',
  'DZD',
  'EGP',
  'ERN',
  'ETB',
  'EUR',
  'FJD',
  'FKP',
  'GBP',
  'GEL',
  'GGP',
  'GHS',
  'GIP',
  'GMD',
  'GNF',
  'GTQ',
  'GYD',
  'HKD',
  'HNL',
  'HRK',
  'HTG',
  'HUF',
  'IDR',
  'ILS',
  'IMP',
  'INR',
  'IQD',
  'IRR',
  'ISK',
  'JEP',
  'JMD',
  'JOD',
  'JPY',
  'KES',
  'KGS',
  'KHR',
  'KMF',
  'KPW',
  'KRW',
  'KWD',
  'KYD',
  'KZT',
  'LAK',
  'LBP',
  'LKR',
  'LRD',
  'LSL',
  'LTL',
  'LVL',
  'LYD',
  'MAD',
  'MDL',
  'MGA',
  'MKD',
  'MMK',
  'MNT',
  'MOP',
  'MRO',
  'MUR',
  'MVR',
  'MWK',
  'MXN',
  'MYR',
  'MZN',
  'NAD',
  'NGN',
  'NIO',
  'NOK',
  'NPR',
  'NZD',
  'OMR',
  'PAB',
  'PEN',
  'PGK',
  'PHP',
  'PKR',
  'PLN',
  'PYG',
  'QAR',
  'RON',
  'RSD',
  'RUB',
  'RWF',
  'SAR',
  'SBD',
  'SCR',
  'SDG',
  'SEK',
  'SGD',
  'SHP',
  'SLL',
  'SOS',
  'SPL',
  'SRD',
  'STD',
  'SVC',
  'SYP',
  'SZL',
  'THB',
  'TJS',
  'TMT',
  'TND',
  'TOP',
  'TRY',
  'TTD',
  'TVD',
  'TWD',
  'TZS',
  'UAH',
  'UGX',
  'USD',
  'UYU',
  'UZS',
  'VEF',
  'VND',
  'VUV',
  'WST',
  'XAF',
  'XCD',
  'XDR',
  'XOF',
  'XPF',
  'YER',
  'ZAR',
  'ZMW',
  'ZWD',
  'BTC',
] as const;

export type Currency = (typeof CURRENCIES)[number];

const KNOWN = new Set<string>(CURRENCIES);

export function isCurrency(value: string): value is Currency {
  return KNOWN.has(value);
}

/**
 * Decimal places per currency where it is not 2: the ISO 4217 minor units that Joda-Money (what
 * Kill Bill's KillBillMoney rounds with) and Java's Currency report. XDR has none (-1 in ISO, read
 * as 0). The non-ISO codes: BTC to the satoshi (8); GGP, IMP, JEP, TVD follow the pound/dollar they
 * are pegged to (2); SPL (Seborga luigino) has cents (2).
 */
const MINOR_UNITS_NOT_TWO: Readonly<Partial<Record<Currency, number>>> = {
  BIF: 0,
  BYR: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XDR: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  BTC: 8,
};

/** The number of decimal places of a currency's minor unit (JPY 0, EUR 2, KWD 3). */
export function minorUnitOf(currency: Currency): number {
  return MINOR_UNITS_NOT_TWO[currency] ?? 2;
}

/** Kill Bill's KillBillMoney.of: half-up to the currency's minor unit. */
export function roundToCurrency(amount: Big, currency: Currency): Big {
  return amount.round(minorUnitOf(currency), Big.roundHalfUp);
}

/** Kill Bill's KillBillMoney.MAX_SCALE: amounts are kept with at most 9 decimals before rounding to a currency. */
export const MAX_MONEY_SCALE = 9;

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?$/;
/** An exponent beyond this is refused rather than expanded into a number of that many digits. */
const MAX_EXPONENT = 64;

/**
 * A decimal string (as Java's BigDecimal reads it: `12.50`, `-3`, `.5`, `1.5E+2`) into a Big,
 * digit for digit. NaN, Infinity, hexadecimal, separators, blanks, and exponents beyond ±64 are
 * refused (undefined).
 */
export function parseDecimal(text: string): Big | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  if (match[1] !== undefined && Math.abs(Number(match[1])) > MAX_EXPONENT) return undefined;
  return new Big(text.startsWith('+') ? text.slice(1) : text);
}

/** A Big as a plain decimal string, never in exponent notation (`1E+21` is `1000000000000000000000`). */
export function formatDecimal(amount: Big): string {
  return amount.toFixed();
}

/** An amount rounded to its currency and written with exactly the currency's decimals (`1.5` EUR is `1.50`). */
export function formatMoney(amount: Big, currency: Currency): string {
  return roundToCurrency(amount, currency).toFixed(minorUnitOf(currency));
}
