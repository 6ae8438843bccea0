import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { parseDateTime, toJsDate } from '@kb/kernel';
import { InvalidRequestException } from '@kb/platform';

/**
 * `requestedDate` as Kill Bill reads it (Joda's ISO date-time parser, UTC when no offset is given):
 * `2013-02-08`, `2013-02-08T10:00:00Z`, `2013-02-08T10:00:00.000+01:00`… Anything else is a 400.
 */
@Injectable()
export class RequestedDatePipe implements PipeTransform<string | undefined, Date | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): Date | undefined {
    if (value === undefined || value === '') return undefined;
    const instant = parseDateTime(value.trim());
    if (!instant) throw new InvalidRequestException(`Invalid format: "${value}" for ${metadata.data ?? 'requestedDate'}`);
    return toJsDate(instant);
  }
}
