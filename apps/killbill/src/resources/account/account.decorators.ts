import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** `audit=NONE|MINIMAL|FULL` as Kill Bill declares it on its reads. */
export const AuditQuery = (): MethodDecorator => ApiQuery({ name: 'audit', required: false, enum: ['FULL', 'MINIMAL', 'NONE'] });

/** `offset` / `limit` of Kill Bill's paginated reads (defaults 0 and 100). */
export const PaginationQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'offset', required: false, type: 'integer', schema: { type: 'integer', format: 'int64', default: 0 } }),
    ApiQuery({ name: 'limit', required: false, type: 'integer', schema: { type: 'integer', format: 'int64', default: 100 } }),
  );

/** `accountWithBalance` / `accountWithBalanceAndCBA`: accepted; balances come with invoices. */
export const BalanceQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'accountWithBalance', required: false, type: Boolean }),
    ApiQuery({ name: 'accountWithBalanceAndCBA', required: false, type: Boolean }),
  );

/** A repeatable query parameter, also accepting comma-separated values. */
export function queryList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
