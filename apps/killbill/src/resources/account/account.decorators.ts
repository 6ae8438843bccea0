import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** `accountWithBalance` / `accountWithBalanceAndCBA`: the account balance, and the balance with the account credit. */
export const BalanceQueries = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'accountWithBalance', required: false, schema: { type: 'boolean', default: false } }),
    ApiQuery({ name: 'accountWithBalanceAndCBA', required: false, schema: { type: 'boolean', default: false } }),
  );

/** A repeatable query parameter, also accepting comma-separated values. */
export function queryList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
