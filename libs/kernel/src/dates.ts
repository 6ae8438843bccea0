import { Instant, LocalDate, LocalDateTime, LocalTime, ZonedDateTime, ZoneId, ZoneOffset } from '@js-joda/core';
import '@js-joda/timezone';

/**
 * Kill Bill's date forms, as its REST layer reads them. Dates (`LOCAL_DATE_FORMATTER`, `yyyy-MM-dd`)
 * and date-times (Joda's `ISODateTimeFormat.dateTimeParser()`): a date, optionally `T` and a time
 * `HH[:mm[:ss[.SSS]]]` (`,` also separates the fraction; digits beyond milliseconds are dropped),
 * optionally an offset `Z`, `±HH`, `±HH:mm` or `±HHmm`. No offset means UTC (Kill Bill runs in UTC).
 * Years have four digits, so every value is a valid JS Date too.
 */
const DATE_OR_DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

export type DateOrDateTime = { readonly kind: 'date'; readonly date: LocalDate } | { readonly kind: 'dateTime'; readonly instant: Instant };

/**
 * The one parser: a local date (`2013-08-01`) or a date-time (`2013-08-01T06:00:00.000Z`,
 * `2013-08-01T08:00+02:00`…). An invalid calendar date or time (2021-02-30, 25:00) is undefined,
 * never a shifted or NaN value.
 */
export function parseDateOrDateTime(text: string): DateOrDateTime | undefined {
  const m = DATE_OR_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [m[1], m[2], m[3]].map(Number);
  const date = localDateOf(year, month, day);
  if (!date) return undefined;
  const hasTime = m[4] !== undefined;
  if (!hasTime) return { kind: 'date', date };
  const [hour, minute, second] = [m[4], m[5], m[6]].map((part) => Number(part ?? 0));
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offset = offsetOf(m[8]);
  if (!offset) return undefined;
  const local = LocalDateTime.of(date, LocalTime.of(hour, minute, second, millis * 1_000_000));
  return { kind: 'dateTime', instant: local.toInstant(offset) };
}

/** A date-time as Kill Bill's DATE_TIME_FORMATTER reads it; a bare date is that day's start in UTC. */
export function parseDateTime(text: string): Instant | undefined {
  const parsed = parseDateOrDateTime(text);
  if (!parsed) return undefined;
  return parsed.kind === 'dateTime' ? parsed.instant : parsed.date.atStartOfDay(ZoneOffset.UTC).toInstant();
}

/** A local date (`yyyy-MM-dd`, Kill Bill's LOCAL_DATE_FORMATTER); a date-time is refused. */
export function parseLocalDate(text: string): LocalDate | undefined {
  const parsed = parseDateOrDateTime(text);
  return parsed?.kind === 'date' ? parsed.date : undefined;
}

function localDateOf(year: number, month: number, day: number): LocalDate | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  if (day > LocalDate.of(year, month, 1).lengthOfMonth()) return undefined;
  return LocalDate.of(year, month, day);
}

function offsetOf(text: string | undefined): ZoneOffset | undefined {
  if (text === undefined || text === 'Z') return ZoneOffset.UTC;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || 0);
  if (hours > 18 || minutes > 59 || (hours === 18 && minutes > 0)) return undefined;
  return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
}

/** js-joda's Instant from a JS Date, and back (millisecond precision, as Kill Bill stores). */
export function instantOf(date: Date): Instant {
  return Instant.ofEpochMilli(date.getTime());
}

export function toJsDate(instant: Instant): Date {
  return new Date(instant.toEpochMilli());
}

/** An instant as Kill Bill writes it in JSON: UTC with milliseconds (`2013-08-01T06:00:00.000Z`). */
export function formatDateTime(instant: Instant): string {
  return toJsDate(instant).toISOString();
}

/** A zone id as Joda's DateTimeZone.forID accepts it (IANA name, `UTC`, or an offset); undefined if unknown. */
export function zoneOf(id: string): ZoneId | undefined {
  if (id.trim() === '') return undefined;
  try {
    return ZoneId.of(id);
  } catch {
    return undefined;
  }
}

/** The calendar date an instant falls on in a zone (DST-aware). */
export function localDateIn(instant: Instant, zone: ZoneId): LocalDate {
  return LocalDate.ofInstant(instant, zone);
}

/**
 * An account's time, as Kill Bill's TimeAwareContext holds it: the fixed offset the account's zone
 * had at its reference time (AccountDateTimeUtils.getFixedOffsetTimeZone, so a later DST change
 * does not move billing dates) and the reference time's local time of day in that offset.
 */
export interface AccountTime {
  readonly fixedOffset: ZoneOffset;
  readonly referenceLocalTime: LocalTime;
}

export function accountTime(timeZone: ZoneId, referenceTime: Instant): AccountTime {
  const fixedOffset = timeZone.rules().offset(referenceTime);
  return { fixedOffset, referenceLocalTime: ZonedDateTime.ofInstant(referenceTime, fixedOffset).toLocalTime() };
}

/** TimeAwareContext.toLocalDate: the account's local date of an instant (ClockUtil.toLocalDate in the fixed offset). */
export function toAccountLocalDate(instant: Instant, time: AccountTime): LocalDate {
  return LocalDate.ofInstant(instant, time.fixedOffset);
}

/**
 * TimeAwareContext.toUTCDateTime: a local date at the reference time of day (hours, minutes and
 * seconds; Joda's constructor drops the milliseconds) in the account's fixed offset, as an instant.
 */
export function toAccountInstant(date: LocalDate, time: AccountTime): Instant {
  const t = time.referenceLocalTime;
  return LocalDateTime.of(date, LocalTime.of(t.hour(), t.minute(), t.second())).toInstant(time.fixedOffset);
}
