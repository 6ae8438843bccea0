import type { Request, Response } from 'express';

/** One page of a listing, counted in SQL: `total` matches the query, `maxNbRecords` is all rows of the type. */
export interface Page<T> {
  readonly items: T[];
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly maxNbRecords: number;
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
