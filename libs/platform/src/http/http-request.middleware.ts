import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { isUuid } from '@kb/kernel';
import { newRequestContext, type RequestContext, runWithContext } from '../context/request-context';
import { requestIdOf, suppliedRequestId } from '../context/request-id';
import { logAccess, ROOT_LOGGER, type RootLogger } from '../logging/logging';
import { Metrics } from '../metrics/metrics';
import { useLosslessJson } from './lossless-json';
import { checkRequestHygiene } from './request-hygiene';

/**
 * Everything the server does around each request, in one middleware (one layer of express's chain
 * instead of one per concern), in this order:
 *
 * 1. the request context: its request id (`requestIdOf`) is echoed in `X-Request-Id` and carried by
 *    every log line of the request; a supplied id that is a UUID also becomes the user token recorded
 *    in audit logs and carried by events;
 * 2. once the response is done: the access log line, and the request's duration by method, route
 *    template (never the raw path: ids would explode the series) and status;
 * 3. lossless JSON (`useLosslessJson`), then the request hygiene checks (`checkRequestHygiene`).
 */
@Injectable()
export class HttpRequestMiddleware implements NestMiddleware {
  constructor(
    private readonly metrics: Metrics,
    @Inject(ROOT_LOGGER) private readonly logger: RootLogger,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const start = performance.now();
    const supplied = suppliedRequestId(request);
    const context = newRequestContext({ requestId: requestIdOf(request), logsRequestId: true });
    if (supplied && isUuid(supplied)) context.userToken = supplied.toLowerCase();
    response.setHeader('X-Request-Id', context.requestId);
    response.once('close', () => this.finished(request, response, context, start));
    runWithContext(context, () => {
      useLosslessJson(request, response);
      checkRequestHygiene(request);
      next();
    });
  }

  private finished(request: Request, response: Response, context: RequestContext, start: number): void {
    const elapsed = performance.now() - start;
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    const status = response.writableFinished ? String(response.statusCode) : 'aborted';
    this.metrics.httpRequestDuration.observe({ method: request.method, route, status }, elapsed / 1000);
    logAccess(
      this.logger,
      request,
      response,
      { requestId: context.requestId, tenantRecordId: context.tenant?.recordId, apiKey: context.tenant?.apiKey, accountId: context.accountId },
      Math.round(elapsed),
    );
  }
}
