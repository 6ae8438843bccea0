import { ApiQuery } from '@nestjs/swagger';
import { OBJECT_TYPES } from '@kb/tag';

export const IncludedDeletedQuery = (): MethodDecorator => ApiQuery({ name: 'includedDeleted', required: false, schema: { type: 'boolean', default: false } });

export const ObjectTypeQuery = (required = false): MethodDecorator => ApiQuery({ name: 'objectType', required, enum: OBJECT_TYPES });
