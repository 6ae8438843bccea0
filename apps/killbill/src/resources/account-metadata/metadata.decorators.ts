import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { AuditLevel, DEFAULT_PAGE_LIMIT } from '@kb/platform';
import { OBJECT_TYPES } from '@kb/tag';

/** `audit=NONE|MINIMAL|FULL` as the contract declares it. */
export const AuditQuery = (): MethodDecorator =>
  ApiQuery({ name: 'audit', required: false, enum: [AuditLevel.FULL, AuditLevel.MINIMAL, AuditLevel.NONE], schema: { default: AuditLevel.NONE } });

export const IncludedDeletedQuery = (): MethodDecorator => ApiQuery({ name: 'includedDeleted', required: false, type: Boolean, schema: { default: false } });

export const ObjectTypeQuery = (required = false): MethodDecorator => ApiQuery({ name: 'objectType', required, enum: OBJECT_TYPES });

/** `offset` / `limit` of the paginated listings and searches. */
export const PaginationQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'offset', required: false, type: Number, schema: { type: 'integer', format: 'int64', default: 0 } }),
    ApiQuery({ name: 'limit', required: false, type: Number, schema: { type: 'integer', format: 'int64', default: DEFAULT_PAGE_LIMIT } }),
  );
