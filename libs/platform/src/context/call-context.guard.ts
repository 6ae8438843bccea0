import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { CALL_CONTEXT_METADATA } from '../auth/auth.decorators';
import { isUuid } from '@kb/kernel';
import { InvalidRequestException } from '../errors/killbill.exception';
import { currentContext } from './request-context';

const MAX_CREATED_BY = 50;

/**
 * Captures the audit headers (and, for the logs, the route's account id) into the request context. A state-changing call (@AuditedCall) without
 * X-Killbill-CreatedBy is refused with a 400, as Kill Bill refuses it. A guard, not an interceptor: it
 * runs after the access guard and before the pipes, as an interceptor would, without wrapping the
 * call in observables (the request path's profile showed each interceptor layer's cost).
 */
@Injectable()
export class CallContextGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(execution: ExecutionContext): boolean {
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
    return true;
  }
}
