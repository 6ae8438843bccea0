import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { AuditLevel } from '../audit/audit-level';
import { InvalidRequestException } from '../errors/killbill.exception';

/** One page of a listing, counted in SQL: `total` matches the query, `maxNbRecords` is all rows of the type. */
export interface Page<T> {
  readonly items: T[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly maxNbRecords: number;
  /** An answer other than the list of items, where Kill Bill streams one (the admin's `{accountId: status}` map). */
  readonly body?: unknown;
}

export const DEFAULT_PAGE_LIMIT = 100;

/**
 * Kill Bill's pagination headers: CurrentOffset, TotalNbRecords, MaxNbRecords, and NextOffset +
 * NextPageUri (relative, keeping the request's other query parameters) only when a next page exists.
 */
export function setPaginationHeaders(request: Request, response: Response, page: Page<unknown>): void {
  response.setHeader('X-Killbill-Pagination-CurrentOffset', String(page.offset));
  response.setHeader('X-Killbill-Pagination-TotalNbRecords', String(page.total));
  response.setHeader('X-Killbill-Pagination-MaxNbRecords', String(page.maxNbRecords));
  const nextOffset = page.offset + page.limit;
  if (nextOffset < page.total) {
    response.setHeader('X-Killbill-Pagination-NextOffset', String(nextOffset));
    const url = new URL(request.originalUrl, 'http://placeholder');
    url.searchParams.set('offset', String(nextOffset));
    url.searchParams.set('limit', String(page.limit));
    response.setHeader('X-Killbill-Pagination-NextPageUri', `${url.pathname}${url.search}`);
  }
}

/** `offset` / `limit` of a paginated read. */
export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

/** The same page with its items mapped (entities → JSON). */
export function mapPage<T, R>(page: Page<T>, map: (item: T) => R): Page<R> {
  return { ...page, items: page.items.map(map) };
}

/** Options of @PageParams. */
export interface PageParamsOptions {
  /** Kill Bill's "feeling lucky" account search: `offset=-1&limit=1` asks for the one exact match. */
  readonly allowExactMatch?: boolean;
}

/**
 * A page bound as Kill Bill takes it (a Long), kept to what SQL and a JS number hold exactly: digits
 * only, at most Number.MAX_SAFE_INTEGER. Anything else is a 400 naming the parameter.
 */
export function parsePageBound(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new InvalidRequestException(`Invalid ${name}: ${String(value)} (a non-negative integer is expected)`);
  const bound = Number(value);
  if (!Number.isSafeInteger(bound)) throw new InvalidRequestException(`Invalid ${name}: ${value} (at most ${Number.MAX_SAFE_INTEGER})`);
  return bound;
}

/** The `offset` and `limit` query parameters of a request, validated. */
export function pageRequestOf(query: Record<string, unknown>, options: PageParamsOptions = {}): PageRequest {
  if (options.allowExactMatch && query.offset === '-1' && query.limit === '1') return { offset: -1, limit: 1 };
  return { offset: parsePageBound('offset', query.offset, 0), limit: parsePageBound('limit', query.limit, DEFAULT_PAGE_LIMIT) };
}

/** The `offset` (default 0) and `limit` (default 100) query parameters; a negative, non-numeric or huge one is a 400. */
export const PageParams = createParamDecorator((options: PageParamsOptions | undefined, execution: ExecutionContext): PageRequest =>
  pageRequestOf(execution.switchToHttp().getRequest<Request>().query as Record<string, unknown>, options ?? {}),
);

/** Answers a returned Page with its items as the body and Kill Bill's pagination headers. */
@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = execution.switchToHttp();
    return next.handle().pipe(
      map((page: Page<unknown>) => {
        setPaginationHeaders(http.getRequest<Request>(), http.getResponse<Response>(), page);
        return page.body ?? page.items;
      }),
    );
  }
}

/** A paginated listing or search: documents `offset`/`limit` and turns the returned Page into the answer. */
export const Paginated = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({ name: 'offset', required: false, type: Number, schema: { type: 'integer', format: 'int64', default: 0 } }),
    ApiQuery({ name: 'limit', required: false, type: Number, schema: { type: 'integer', format: 'int64', default: DEFAULT_PAGE_LIMIT } }),
    UseInterceptors(PaginationInterceptor),
  );

/** `audit=NONE|MINIMAL|FULL` as the contract declares it on reads. */
export const AuditQuery = (): MethodDecorator =>
  ApiQuery({
    name: 'audit',
    required: false,
    // `type` overrides the handler's `AuditLevel` design type, which would replace the schema.
    type: String,
    schema: { type: 'string', enum: [AuditLevel.FULL, AuditLevel.MINIMAL, AuditLevel.NONE], default: AuditLevel.NONE },
  });
