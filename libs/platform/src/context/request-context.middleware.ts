import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { newRequestContext, runWithContext } from './request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opens the request context. `X-Request-Id` (legacy `X-Killbill-Request-Id-Req`), when it is a UUID,
 * becomes the user token recorded in audit logs and carried by events; it is echoed back.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const supplied = request.header('X-Request-Id') ?? request.header('X-Killbill-Request-Id-Req');
    const context = newRequestContext();
    if (supplied && UUID.test(supplied)) context.userToken = supplied.toLowerCase();
    response.setHeader('X-Request-Id', supplied ?? context.requestId);
    runWithContext(context, next);
  }
}
