import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from '@kb/kernel';
import { InvalidRequestException } from '@kb/platform';
import type { CustomFieldChange, NewCustomField } from '@kb/custom-field';
import { toCustomFieldChanges, toNewCustomFields } from '../custom-field/custom-field.mapper';

/** A repeated UUID query parameter (`?tagDef=a&tagDef=b`, commas accepted too); absent is an empty list. */
@Injectable()
export class UuidListPipe implements PipeTransform<unknown, string[]> {
  transform(value: unknown, metadata: ArgumentMetadata): string[] {
    if (value === undefined || value === null || value === '') return [];
    const values = (Array.isArray(value) ? value : [value])
      .flatMap((item) => String(item).split(','))
      .map((item) => item.trim())
      .filter(Boolean);
    return values.map((item) => {
      if (!isUuid(item)) throw new InvalidRequestException(`Invalid UUID for ${metadata.data ?? 'parameter'}: ${item}`);
      return item.toLowerCase();
    });
  }
}

/** A JSON body that is an array of UUID strings (tag definition ids). */
@Injectable()
export class UuidArrayBodyPipe implements PipeTransform<unknown, string[]> {
  transform(value: unknown): string[] {
    if (!Array.isArray(value)) throw new InvalidRequestException('The body must be a JSON array of tag definition ids');
    return value.map((item) => {
      if (typeof item !== 'string' || !isUuid(item)) throw new InvalidRequestException(`Invalid UUID in body: ${String(item)}`);
      return item.toLowerCase();
    });
  }
}

/** A JSON body that is an array of objects (custom fields); their fields are checked by the service. */
@Injectable()
export class ObjectArrayBodyPipe implements PipeTransform<unknown, Record<string, unknown>[]> {
  transform(value: unknown): Record<string, unknown>[] {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
      throw new InvalidRequestException('The body must be a JSON array of objects');
    }
    return value as Record<string, unknown>[];
  }
}

/** A POST …/customFields body as the service reads it; non-string names/values are left for its checks to refuse. */
@Injectable()
export class NewCustomFieldsBodyPipe implements PipeTransform<unknown, NewCustomField[]> {
  transform(value: unknown): NewCustomField[] {
    return toNewCustomFields(new ObjectArrayBodyPipe().transform(value));
  }
}

/** A PUT …/customFields body as the service reads it. */
@Injectable()
export class CustomFieldChangesBodyPipe implements PipeTransform<unknown, CustomFieldChange[]> {
  transform(value: unknown): CustomFieldChange[] {
    return toCustomFieldChanges(new ObjectArrayBodyPipe().transform(value));
  }
}
