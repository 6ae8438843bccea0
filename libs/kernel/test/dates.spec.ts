import { Instant, LocalDate, ZoneId } from '@js-joda/core';
import {
  accountTime,
  formatDateTime,
  instantOf,
  localDateIn,
  parseDateOrDateTime,
  parseDateTime,
  parseLocalDate,
  toAccountInstant,
  toAccountLocalDate,
  toJsDate,
  zoneOf,
} from '@kb/kernel';

const at = (iso: string) => Instant.parse(iso);

describe('parseDateTime (Joda ISODateTimeFormat.dateTimeParser, UTC without offset)', () => {
  it.each([
    ['2013-08-01T06:00:00.000Z', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T06:00:00Z', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T06:00Z', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T06Z', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T06:00:00', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T08:00:00.000+02:00', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T08:00:00+0200', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T01:00:00-05', '2013-08-01T06:00:00.000Z'],
    ['2013-08-01T06:00:00.5Z', '2013-08-01T06:00:00.500Z'],
    ['2013-08-01T06:00:00,123456789Z', '2013-08-01T06:00:00.123Z'],
    ['2013-08-01', '2013-08-01T00:00:00.000Z'],
    ['2013-8-1', '2013-08-01T00:00:00.000Z'],
    ['2020-02-29T23:59:59.999Z', '2020-02-29T23:59:59.999Z'],
    ['2013-08-01T00:30:00+01:00', '2013-07-31T23:30:00.000Z'],
  ])('%s is %s', (text, expected) => {
    expect(formatDateTime(parseDateTime(text)!)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2020-13-45',
    '2021-02-30',
    '2019-02-29',
    '2013-00-10',
    '2013-08-00',
    '275760-09-13',
    '275760-09-13T00:00:00.000Z',
    '2013-08-01T24:00:00Z',
    '2013-08-01T10:60:00Z',
    '2013-08-01T10:00:60Z',
    '2013-08-01T10:00:00+19:00',
    '2013-08-01 10:00:00',
    '2013-08-01T',
    '2013-08-01T10:00:00ZZ',
    '13-08-01',
    ' 2013-08-01',
  ])('refuses %j', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
    expect(parseDateOrDateTime(text)).toBeUndefined();
  });

  it('tells a date from a date-time', () => {
    expect(parseDateOrDateTime('2013-08-01')).toEqual({ kind: 'date', date: LocalDate.of(2013, 8, 1) });
    expect(parseDateOrDateTime('2013-08-01T00:00:00Z')).toEqual({ kind: 'dateTime', instant: at('2013-08-01T00:00:00Z') });
  });
});

describe('parseLocalDate (yyyy-MM-dd)', () => {
  it('reads dates only', () => {
    expect(parseLocalDate('2013-08-01')?.toString()).toBe('2013-08-01');
    expect(parseLocalDate('2024-02-29')?.toString()).toBe('2024-02-29');
    expect(parseLocalDate('2013-08-01T00:00:00Z')).toBeUndefined();
    expect(parseLocalDate('2021-02-30')).toBeUndefined();
  });
});

describe('JS Date bridge', () => {
  it('round-trips milliseconds', () => {
    const date = new Date('2013-08-01T06:00:00.123Z');
    expect(toJsDate(instantOf(date)).getTime()).toBe(date.getTime());
  });
});

describe('zones', () => {
  it('accepts IANA ids, UTC and offsets; refuses unknown ones', () => {
    expect(zoneOf('Europe/Paris')?.id()).toBe('Europe/Paris');
    expect(zoneOf('UTC')).toBeDefined();
    expect(zoneOf('+05:30')).toBeDefined();
    expect(zoneOf('Mars/Olympus')).toBeUndefined();
    expect(zoneOf('')).toBeUndefined();
  });

  it.each([
    ['2013-08-01T22:30:00Z', 'Europe/Paris', '2013-08-02'],
    ['2013-08-01T03:00:00Z', 'America/Los_Angeles', '2013-07-31'],
    ['2013-08-01T12:00:00Z', 'Pacific/Kiritimati', '2013-08-02'],
    ['2013-08-01T23:59:59Z', 'UTC', '2013-08-01'],
  ])('%s is on %s local date %s', (instant, zone, expected) => {
    expect(localDateIn(at(instant), ZoneId.of(zone)).toString()).toBe(expected);
  });
});

describe("account time (Kill Bill's TimeAwareContext / ClockUtil)", () => {
  // Reference times in and out of DST: Kill Bill fixes the offset the zone had at the reference time.
  it.each([
    // zone, referenceTime, local date, expected instant
    ['UTC', '2013-08-01T06:00:00.000Z', '2013-09-01', '2013-09-01T06:00:00Z'],
    ['Europe/Paris', '2013-08-01T06:00:00.000Z', '2013-09-01', '2013-09-01T06:00:00Z'], // summer +02:00, 08:00 local
    ['Europe/Paris', '2013-08-01T06:00:00.000Z', '2013-12-01', '2013-12-01T06:00:00Z'], // still +02:00: not 07:00Z
    ['Europe/Paris', '2013-01-15T06:00:00.000Z', '2013-07-15', '2013-07-15T06:00:00Z'], // winter +01:00 kept in summer
    ['America/Los_Angeles', '2013-03-01T07:30:00.000Z', '2013-03-10', '2013-03-11T07:30:00Z'], // 23:30 local, DST starts that day: -08:00 kept (not 06:30Z)
    ['America/Los_Angeles', '2013-03-01T07:30:45.999Z', '2013-04-02', '2013-04-03T07:30:45Z'], // millis dropped
    ['Asia/Kolkata', '2013-08-01T20:00:00.000Z', '2013-08-05', '2013-08-04T20:00:00Z'], // 01:30 local the next day
  ])('%s, reference %s: %s is %s', (zone, referenceTime, localDate, expected) => {
    const time = accountTime(ZoneId.of(zone), at(referenceTime));
    expect(toAccountInstant(LocalDate.parse(localDate), time).toString()).toBe(expected);
  });

  it.each([
    ['Europe/Paris', '2013-08-01T06:00:00.000Z', '2013-08-01T22:30:00Z', '2013-08-02'],
    ['Europe/Paris', '2013-08-01T06:00:00.000Z', '2013-12-01T22:30:00Z', '2013-12-02'], // fixed +02:00, not +01:00
    ['Europe/Paris', '2013-01-01T06:00:00.000Z', '2013-08-01T22:30:00Z', '2013-08-01'], // fixed +01:00
    ['America/New_York', '2013-08-01T12:00:00.000Z', '2013-08-02T03:00:00Z', '2013-08-01'],
  ])('%s, reference %s: %s is on %s', (zone, referenceTime, instant, expected) => {
    const time = accountTime(ZoneId.of(zone), at(referenceTime));
    expect(toAccountLocalDate(at(instant), time).toString()).toBe(expected);
  });

  it('maps the reference date back onto the reference instant (to the second)', () => {
    const referenceTime = at('2013-08-01T06:07:08Z');
    const time = accountTime(ZoneId.of('Australia/Sydney'), referenceTime);
    expect(toAccountInstant(toAccountLocalDate(referenceTime, time), time).equals(referenceTime)).toBe(true);
  });
});
