import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { isUuid } from '@kb/kernel';
import { newRequestContext, runWithContext } from './request-context';


/**
 * Opens the request context. `X-Request-Id` (legacy `X-Killbill-Request-Id-Req`), when it is a UUID,
 * becomes the user token recorded in audit logs and carried by events; it is echoed back.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const supplied = request.header('X-Request-Id') ?? request.header('X-Killbill-Request-Id-Req');
    const context = newRequestContext();
    if (supplied && isUuid(supplied)) context.userToken = supplied.toLowerCase();
    response.setHeader('X-Request-Id', supplied ?? context.requestId);
    runWithContext(context, next);
  }
}
