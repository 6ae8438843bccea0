import { applyDecorators, type ArgumentMetadata, Injectable, type PipeTransform, Query, Param } from '@nestjs/common';
import { ApiParam, ApiProperty, ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';
import { CURRENCIES, type DateOrDateTime, isCurrency, isUuid, parseDateOrDateTime, parseDateTime, parseDecimal, parseLocalDate, toJsDate } from '@kb/kernel';
import Big from 'big.js';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';
import { columnLength } from '../database/column-length';
import { InvalidRequestException } from '../errors/killbill.exception';
import { RequiredUuidPipe, UuidPipe } from './params';

/**
 * One decorator per value concept, validating and documenting together so the spec and the checks
 * cannot drift: UUIDs, local dates, date-times, currencies and money, on DTO properties and on
 * path/query parameters. Every check is the kernel's.
 */
export interface ValuePropertyOptions {
  /** Absent and null are refused (default: optional, as most Kill Bill JSON fields are). */
  readonly required?: boolean;
  readonly description?: string;
}

function documented(options: ValuePropertyOptions, schema: Record<string, unknown>): PropertyDecorator {
  const doc = { ...schema, ...(options.description ? { description: options.description } : {}) };
  return options.required ? ApiProperty(doc) : applyDecorators(ApiPropertyOptional(doc), IsOptional());
}

function checked(name: string, isValid: (value: unknown) => boolean, message: (args: ValidationArguments) => string): PropertyDecorator {
  return ValidateBy({ name, validator: { validate: isValid, defaultMessage: message } });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

export function UuidProperty(options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, format: 'uuid' }),
    checked(
      'isKillBillUuid',
      (value) => typeof value === 'string' && isUuid(value),
      (args) => `${args.property} must be a UUID`,
    ),
  );
}

/**
 * Plain JSON values. `@nestjs/swagger` reads the property's design type, which is `Object` for
 * `string | null` and the like, so the type is always given here: a DTO field never reaches the
 * contract as an untyped `object`.
 */
export interface TextPropertyOptions extends ValuePropertyOptions {
  readonly maxLength?: number;
  /** The entity column the value is stored in: its length is documented and checked (`FitsColumn`). */
  readonly column?: readonly [entity: abstract new (...args: never[]) => unknown, property: string];
}

export function TextProperty(options: TextPropertyOptions = {}): PropertyDecorator {
  const { column } = options;
  const maxLength = column ? columnLength(column[0], column[1] as never) : options.maxLength;
  const lengthCheck = column ? FitsColumn(column[0], column[1] as never) : maxLength !== undefined ? MaxLength(maxLength) : undefined;
  // Applied in the order a stack `@Doc @IsString @MaxLength` applies them, so messages keep their order.
  return applyDecorators(
    ...(lengthCheck ? [lengthCheck] : []),
    IsString(),
    documented(options, { type: String, ...(maxLength !== undefined ? { maxLength } : {}) }),
  );
}

export function BooleanProperty(options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(IsBoolean(), documented(options, { type: Boolean }));
}

/** A JSON integer, `int32` or `int64` as Kill Bill's contract types it. */
export function IntegerProperty(format: 'int32' | 'int64', options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(IsInt(), documented(options, { type: 'integer', format }));
}

/** `yyyy-MM-dd`, a real calendar date; the value stays the string (services parse with the kernel). */
export function LocalDateProperty(options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, format: 'date' }),
    checked(
      'isLocalDate',
      (value) => typeof value === 'string' && parseLocalDate(value) !== undefined,
      (args) => `Invalid format: "${text(args.value)}" for ${args.property}`,
    ),
  );
}

/** One of Kill Bill's date-time forms (a date alone is that day in UTC); the value stays the string. */
export function DateTimeProperty(options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, format: 'date-time' }),
    checked(
      'isDateTime',
      (value) => typeof value === 'string' && parseDateTime(value) !== undefined,
      (args) => `Invalid format: "${text(args.value)}" for ${args.property}`,
    ),
  );
}

/** A Kill Bill currency code, an enum in the spec and in the check. */
export function CurrencyProperty(options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: String, enum: CURRENCIES }),
    checked(
      'isCurrency',
      (value) => typeof value === 'string' && isCurrency(value),
      (args) => `Invalid currency for ${args.property}: ${text(args.value)}`,
    ),
  );
}

/**
 * An amount, a JSON number in the spec, read into a Big digit for digit. The JSON number arrives
 * exact: `losslessJsonNumbers` hands a number a double cannot hold over as its source text, and a
 * double that could hold it prints back to the same decimal. A decimal string is accepted as well.
 */
export function MoneyProperty(options: ValuePropertyOptions = {}): PropertyDecorator {
  return applyDecorators(
    documented(options, { type: 'number' }),
    Transform(({ value }: { value: unknown }) => toBigOrKeep(value), { toClassOnly: true }),
    checked(
      'isMoney',
      (value) => value instanceof Big,
      (args) => `Invalid amount for ${args.property}: ${text(args.value)}`,
    ),
  );
}

function toBigOrKeep(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? (parseDecimal(String(value)) ?? value) : value;
  if (typeof value === 'string') return parseDecimal(value) ?? value;
  return value;
}

/** The one message for a date that does not parse, wherever it comes from (Joda's, with the name). */
function invalidDate(text: string, name: string): InvalidRequestException {
  return new InvalidRequestException(`Invalid format: "${text}" for ${name}`);
}

/** A date-time from the request (Kill Bill's forms, see the kernel's parser) or a 400 naming it. */
export function requireDateTime(text: string, name: string): Date {
  const instant = parseDateTime(text.trim());
  if (!instant) throw invalidDate(text, name);
  return toJsDate(instant);
}

/** A date or a date-time from the request (`requestedDate` of blocking states, entitlements…) or a 400. */
export function requireDateOrDateTime(text: string, name: string): DateOrDateTime {
  const parsed = parseDateOrDateTime(text.trim());
  if (!parsed) throw invalidDate(text, name);
  return parsed;
}

/** Path/query date-time (Kill Bill's `requestedDate` and friends): a Date, or undefined when absent. */
@Injectable()
export class DateTimePipe implements PipeTransform<string | undefined, Date | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): Date | undefined {
    if (value === undefined || value === '') return undefined;
    return requireDateTime(value, metadata.data ?? 'parameter');
  }
}

/** Path/query local date (`yyyy-MM-dd`): the string as sent, checked, or undefined when absent. */
@Injectable()
export class LocalDatePipe implements PipeTransform<string | undefined, string | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): string | undefined {
    if (value === undefined || value === '') return undefined;
    if (!parseLocalDate(value)) throw invalidDate(value, metadata.data ?? 'parameter');
    return value;
  }
}

/** A parameter decorator that also documents the parameter on its method. */
function documentedParameter(parameter: ParameterDecorator, documentation: MethodDecorator): ParameterDecorator {
  return (target, key, index) => {
    parameter(target, key, index);
    if (key !== undefined) documentation(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
}

export const UuidParam = (name: string): ParameterDecorator =>
  documentedParameter(Param(name, UuidPipe), ApiParam({ name, required: true, type: String, format: 'uuid' }));

export const UuidQuery = (name: string, options: { required?: boolean } = {}): ParameterDecorator =>
  options.required
    ? documentedParameter(Query(name, RequiredUuidPipe), ApiQuery({ name, required: true, type: String, format: 'uuid' }))
    : documentedParameter(Query(name, UuidPipe), ApiQuery({ name, required: false, type: String, format: 'uuid' }));

export const LocalDateQuery = (name: string): ParameterDecorator =>
  documentedParameter(Query(name, LocalDatePipe), ApiQuery({ name, required: false, type: String, format: 'date' }));

export const DateTimeQuery = (name: string): ParameterDecorator =>
  documentedParameter(Query(name, DateTimePipe), ApiQuery({ name, required: false, type: String, format: 'date-time' }));

export interface FitsColumnOptions {
  /** The check applies to each element of an array (role names, permissions). */
  readonly each?: boolean;
  /** The field as the message names it (Kill Bill's `TagDefinition name`); default: the property. */
  readonly label?: string;
}

/** The one message for a value longer than its column, wherever it comes from. */
function tooLong(name: string, max: number): string {
  return `${name} is longer than ${max} characters`;
}

/**
 * A string no longer than the entity column it is stored in (`@FitsColumn(UserRow, 'username')`).
 * Only the length is checked: absence and type stay the concern of the field's other decorators.
 */
export function FitsColumn<E>(entity: abstract new (...args: never[]) => E, column: keyof E & string, options: FitsColumnOptions = {}): PropertyDecorator {
  const max = columnLength(entity, column);
  return ValidateBy(
    {
      name: 'fitsColumn',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.length <= max,
        defaultMessage: (args) => tooLong(options.label ?? args?.property ?? 'value', max),
      },
    },
    { each: options.each },
  );
}

/**
 * A path or query parameter stored in a bounded column, possibly after a prefix of its own (a plugin
 * name is stored as `PLUGIN_CONFIG_<pluginName>`): longer than what is left is a 400 naming it.
 */
@Injectable()
export class FitsColumnPipe implements PipeTransform<string | undefined, string | undefined> {
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  static of<E>(entity: abstract new (...args: never[]) => E, column: keyof E & string, storedAfter = ''): FitsColumnPipe {
    return new FitsColumnPipe(columnLength(entity, column) - storedAfter.length);
  }

  transform(value: string | undefined, metadata: ArgumentMetadata): string | undefined {
    if (typeof value === 'string' && value.length > this.max) throw new InvalidRequestException(tooLong(metadata.data ?? 'parameter', this.max));
    return value;
  }
}

/** Documents a repeatable query parameter (`?name=a&name=b`, the contract's `collectionFormat: multi`). */
export const RepeatedQueryDoc = (name: string, items: { readonly type: 'string'; readonly format?: string; readonly enum?: string[] }): MethodDecorator =>
  ApiQuery({ name, required: false, style: 'form', explode: true, type: [String], schema: { type: 'array', items } });
