import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidRequestException, isObjectType, type ObjectType } from '@kb/platform';

export { isObjectType, OBJECT_TYPES, type ObjectType } from '@kb/platform';

/** An ObjectType query parameter: absent stays undefined, an unknown name is a 400 (Kill Bill's ObjectType.valueOf). */
@Injectable()
export class ObjectTypePipe implements PipeTransform<string | undefined, ObjectType | undefined> {
  transform(value: string | undefined, metadata: ArgumentMetadata): ObjectType | undefined {
    if (value === undefined || value === '') return undefined;
    if (!isObjectType(value)) throw new InvalidRequestException(`Invalid ${metadata.data ?? 'objectType'}: ${value}`);
    return value;
  }
}
