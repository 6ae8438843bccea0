import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidRequestException } from '@kb/platform';

const ISO_DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * `requestedDate` as Kill Bill reads it (Joda's ISO date-time parser, UTC when no offset is given):
 * `2013-02-08`, `2013-02-08T10:00:00Z`, `2013-02-08T10:00:00.000+01:00`… Anything else is a 400.
 */
@Injectable()
export class RequestedDatePipe implements PipeTransform<string | undefined, Date | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): Date | undefined {
    if (value === undefined || value === '') return undefined;
    const date = parseIsoDateTime(value.trim());
    if (!date) throw new InvalidRequestException(`Invalid format: "${value}" for ${metadata.data ?? 'requestedDate'}`);
    return date;
  }
}

export function parseIsoDateTime(text: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(utc).getUTCDate() !== day) return undefined; // 2013-02-30
  return new Date(utc - offsetMillis(m[8]));
}

function offsetMillis(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
}
