import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { CALL_CONTEXT_METADATA } from '../auth/auth.decorators';
import { isUuid } from '@kb/kernel';
import { InvalidRequestException } from '../errors/killbill.exception';
import { currentContext } from './request-context';

const MAX_CREATED_BY = 50;

/**
 * Captures the audit headers (and, for the logs, the route's account id) into the request context. A state-changing call (@AuditedCall) without
 * X-Killbill-CreatedBy is refused with a 400, as Kill Bill refuses it.
 */
@Injectable()
export class CallContextInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = execution.switchToHttp().getRequest<Request>();
    const context = currentContext();
    const createdBy = request.header('X-Killbill-CreatedBy')?.trim();
    const required = this.reflector.get<boolean | undefined>(CALL_CONTEXT_METADATA, execution.getHandler());
    if (required && !createdBy) throw new InvalidRequestException('Header X-Killbill-CreatedBy needs to be set');
    if (createdBy && createdBy.length > MAX_CREATED_BY)
      throw new InvalidRequestException(`Header X-Killbill-CreatedBy is longer than ${MAX_CREATED_BY} characters`);
    context.createdBy = createdBy || undefined;
    context.reasonCode = request.header('X-Killbill-Reason') || undefined;
    context.comments = request.header('X-Killbill-Comment') || undefined;
    const accountId = (request.params as Record<string, string | undefined>).accountId;
    if (accountId && isUuid(accountId)) context.accountId = accountId;
    return next.handle();
  }
}
