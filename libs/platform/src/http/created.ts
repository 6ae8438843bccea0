import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpCode,
  Injectable,
  type NestInterceptor,
  type Type,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { KillBillConfig } from '../config/config';

const LOCATION_METADATA = 'kb:location';

/**
 * A create: 201, empty body, `Location` pointing at the canonical GET. The template's `{name}`
 * placeholders are filled from the handler's return value, then from the route parameters.
 * `located` is what that GET answers: Kill Bill's contract gives it as the 201's schema (its clients
 * follow the Location and return it), so a generated client's create returns the right type.
 */
export const Created = (locationTemplate: string, located?: Type<unknown> | [Type<unknown>]): MethodDecorator =>
  applyDecorators(
    HttpCode(201),
    SetMetadata(LOCATION_METADATA, locationTemplate),
    UseInterceptors(LocationInterceptor),
    located
      ? ApiResponse({ status: 201, description: 'Created; the body is empty, Location answers with this', type: located })
      : ApiResponse({ status: 201, description: 'Created; Location points at the new resource' }),
  );

@Injectable()
export class LocationInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: KillBillConfig,
  ) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const template = this.reflector.get<string>(LOCATION_METADATA, execution.getHandler());
    const request = execution.switchToHttp().getRequest<Request>();
    const response = execution.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((result: unknown) => {
        const values = { ...request.params, ...(result && typeof result === 'object' ? (result as Record<string, unknown>) : {}) };
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')));
        response.location(this.config.getBoolean('org.killbill.jaxrs.location.full.url') ? `${request.protocol}://${request.get('host')}${path}` : path);
        return undefined;
      }),
    );
  }
}
