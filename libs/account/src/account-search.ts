import { formatDateTime, isUuid, parseDateTime } from '@kb/kernel';
import { InvalidRequestException, type SqlCondition } from '@kb/platform';

/** Prefix of Kill Bill's advanced search syntax: `_q=1&col[op]=value&…` (clauses ANDed). */
export const SEARCH_QUERY_MARKER = '_q=1&';

type ColumnType = 'text' | 'uuid' | 'integer' | 'boolean' | 'instant';

/** Columns the advanced syntax may name (Kill Bill's allow-list for accounts), with their types. */
const SEARCHABLE_COLUMNS: Readonly<Record<string, ColumnType>> = {
  id: 'uuid',
  external_key: 'text',
  email: 'text',
  name: 'text',
  first_name_length: 'integer',
  currency: 'text',
  billing_cycle_day_local: 'integer',
  parent_account_id: 'uuid',
  is_payment_delegated_to_parent: 'boolean',
  payment_method_id: 'uuid',
  reference_time: 'instant',
  time_zone: 'text',
  locale: 'text',
  address1: 'text',
  address2: 'text',
  company_name: 'text',
  city: 'text',
  state_or_province: 'text',
  country: 'text',
  postal_code: 'text',
  phone: 'text',
  notes: 'text',
  migrated: 'boolean',
  created_by: 'text',
  created_date: 'instant',
  updated_by: 'text',
  updated_date: 'instant',
};

const OPERATORS: Readonly<Record<string, string>> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'LIKE' };

export type { SqlCondition } from '@kb/platform';

/**
 * The WHERE condition of an account search, as Kill Bill builds it: a plain key matches the id
 * exactly or name, email, external key or company name containing it (case-insensitively here);
 * `_q=1&…` is the advanced syntax over any column of the allow-list; another column is a 400.
 */
export function accountSearchCondition(searchKey: string, firstParameter: number): SqlCondition {
  return searchKey.startsWith(SEARCH_QUERY_MARKER) ? advancedCondition(searchKey, firstParameter) : plainCondition(searchKey, firstParameter);
}

/** The exact-match condition of the "feeling lucky" search (offset=-1&limit=1). */
export function luckySearchCondition(searchKey: string, firstParameter: number): SqlCondition {
  const p = `$${firstParameter}`;
  const byId = isUuid(searchKey) ? `id = ${p}::uuid OR ` : '';
  return { sql: `(${byId}name = ${p} OR email = ${p} OR external_key = ${p} OR company_name = ${p})`, parameters: [searchKey] };
}

function plainCondition(searchKey: string, firstParameter: number): SqlCondition {
  const like = `$${firstParameter}`;
  const byId = isUuid(searchKey) ? `id = $${firstParameter + 1}::uuid OR ` : '';
  return {
    sql: `(${byId}name ILIKE ${like} OR email ILIKE ${like} OR external_key ILIKE ${like} OR company_name ILIKE ${like})`,
    parameters: byId ? [`%${searchKey}%`, searchKey] : [`%${searchKey}%`],
  };
}

function advancedCondition(searchKey: string, firstParameter: number): SqlCondition {
  const clauses: string[] = [];
  const parameters: unknown[] = [];
  for (const param of searchKey.slice(SEARCH_QUERY_MARKER.length).split('&')) {
    if (param === '') continue;
    const [left, value] = param.split('=');
    const [column, operatorName] = left.split(/[[\]]/);
    const type = Object.hasOwn(SEARCHABLE_COLUMNS, column) ? SEARCHABLE_COLUMNS[column] : undefined;
    // A condition on a column we cannot search would be dropped, and the search answer every account.
    if (!type) throw new InvalidRequestException(`Invalid search column ${column}: searchable columns are ${Object.keys(SEARCHABLE_COLUMNS).join(', ')}`);
    const operatorKey = (operatorName || 'eq').toLowerCase();
    const operator = Object.hasOwn(OPERATORS, operatorKey) ? OPERATORS[operatorKey] : undefined;
    if (!operator) throw new InvalidRequestException(`Invalid search operator ${operatorName} for ${column}`);
    if (value === undefined) {
      if (operatorKey !== 'eq' && operatorKey !== 'neq') throw new InvalidRequestException(`Missing search value for ${column}`);
      clauses.push(`${column} IS ${operatorKey === 'eq' ? '' : 'NOT '}NULL`);
      continue;
    }
    parameters.push(typedValue(column, type, value, operator));
    const p = `$${firstParameter + parameters.length - 1}`;
    if (operator === 'LIKE' || type === 'uuid') clauses.push(`${column}::text ${operator} ${p}`);
    else clauses.push(`${column} ${operator} ${p}${cast(type)}`);
  }
  return { sql: clauses.length ? `(${clauses.join(' AND ')})` : 'TRUE', parameters };
}

function typedValue(column: string, type: ColumnType, value: string, operator: string): unknown {
  if (operator === 'LIKE' || type === 'text' || type === 'uuid') return value;
  if (type === 'boolean') return value.toLowerCase() === 'true';
  if (type === 'integer') {
    if (!/^-?\d+$/.test(value)) throw new InvalidRequestException(`Invalid integer for ${column}: ${value}`);
    return Number(value);
  }
  const instant = parseDateTime(value);
  if (!instant) throw new InvalidRequestException(`Invalid format: "${value}" for ${column}`);
  return formatDateTime(instant);
}

function cast(type: ColumnType): string {
  switch (type) {
    case 'integer':
      return '::integer';
    case 'boolean':
      return '::boolean';
    case 'instant':
      return '::timestamptz';
    default:
      return '';
  }
}
