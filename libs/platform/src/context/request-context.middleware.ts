import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isUuid } from '@kb/kernel';
import { newRequestContext, runWithContext } from './request-context';
import { requestIdOf, suppliedRequestId } from './request-id';

/**
 * Opens the request context. Its request id is the one the logs carry (`requestIdOf`), echoed in
 * `X-Request-Id`; a supplied id that is a UUID also becomes the user token recorded in audit logs and
 * carried by events.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const supplied = suppliedRequestId(request);
    const context = newRequestContext({ requestId: requestIdOf(request) });
    if (supplied && isUuid(supplied)) context.userToken = supplied.toLowerCase();
    response.setHeader('X-Request-Id', context.requestId);
    runWithContext(context, next);
  }
}
