import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from '@kb/kernel';
import { AuditLevel } from '../audit/audit-level';
import { InvalidRequestException } from '../errors/killbill.exception';

/** Path/query UUIDs: a malformed one is a 400 naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string | undefined, string | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined || value === '') return undefined;
    if (!isUuid(value)) throw new InvalidRequestException(`Invalid UUID for ${metadata.data ?? 'parameter'}: ${value}`);
    return value.toLowerCase();
  }
}

/** A UUID the operation cannot do without: absent is a 400 naming it. */
@Injectable()
export class RequiredUuidPipe implements PipeTransform<string | undefined, string> {
  private readonly uuid = new UuidPipe();

  transform(value: string | undefined, metadata: ArgumentMetadata): string {
    const parsed = this.uuid.transform(value, metadata);
    if (parsed === undefined) throw new InvalidRequestException(`${metadata.data ?? 'parameter'} needs to be specified`);
    return parsed;
  }
}

/** `audit=NONE|MINIMAL|FULL`, NONE by default. */
@Injectable()
export class AuditLevelPipe implements PipeTransform<string | undefined, AuditLevel> {
  transform(value: string | undefined): AuditLevel {
    if (value === undefined || value === '') return AuditLevel.NONE;
    const level = value.toUpperCase() as AuditLevel;
    if (!Object.values(AuditLevel).includes(level)) throw new InvalidRequestException(`Invalid audit level: ${value}`);
    return level;
  }
}

/** Query booleans as Kill Bill reads them: `true` (any case) is true, absent takes the default. */
export class BooleanPipe implements PipeTransform<string | boolean | undefined, boolean> {
  constructor(private readonly defaultValue: boolean) {}

  transform(value: string | boolean | undefined, metadata: ArgumentMetadata): boolean {
    if (typeof value === 'boolean') return value; // the global ValidationPipe may have converted it already
    if (value === undefined || value === '') return this.defaultValue;
    const normalized = value.toLowerCase();
    if (normalized === 'true') return true;
    if (normalized === 'false') return false;
    throw new InvalidRequestException(`Invalid boolean for ${metadata.data ?? 'parameter'}: ${value}`);
  }
}

/** An optional integer query parameter; anything but digits is a 400 naming it. */
@Injectable()
export class OptionalIntPipe implements PipeTransform<string | undefined, number | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): number | undefined {
    if (value === undefined || value === '') return undefined;
    if (!/^-?\d+$/.test(value)) throw new InvalidRequestException(`Invalid integer for ${metadata.data ?? 'parameter'}: ${value}`);
    return Number(value);
  }
}
