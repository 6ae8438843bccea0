import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { InvalidRequestException } from '@kb/platform';

/** A query parameter Kill Bill checks with Preconditions.checkNotNull: absent is a 400 naming it. */
@Injectable()
export class RequiredQueryPipe implements PipeTransform<string | undefined, string> {
  transform(value: string | undefined, metadata: ArgumentMetadata): string {
    if (value === undefined) throw new InvalidRequestException(`${metadata.data ?? 'parameter'} in searchCustomFieldsByTypeName() is null`);
    return value;
  }
}
