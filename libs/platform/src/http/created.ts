import { applyDecorators, type CanActivate, type ExecutionContext, HttpCode, Injectable, type Type, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { KillBillConfig } from '../config/config';
import { currentContext, requireContext } from '../context/request-context';

const LOCATION_METADATA = 'kb:location';

/**
 * A create: 201, empty body, `Location` pointing at the canonical GET. The template's `{name}`
 * placeholders are filled from the handler's return value, then from the route parameters.
 * `located` is what that GET answers: Kill Bill's contract gives it as the 201's schema (its clients
 * follow the Location and return it), so a generated client's create returns the right type.
 *
 * No interceptor (an observable chain per request): `LocationGuard` prepares the header before the
 * handler runs, and the handler itself is wrapped to hand it its result and answer an empty body.
 */
export const Created = (locationTemplate: string, located?: Type<unknown> | [Type<unknown>]): MethodDecorator =>
  applyDecorators(
    answerLocated,
    HttpCode(201),
    SetMetadata(LOCATION_METADATA, locationTemplate),
    UseGuards(LocationGuard),
    located
      ? ApiResponse({ status: 201, description: 'Created; the body is empty, Location answers with this', type: located })
      : ApiResponse({ status: 201, description: 'Created; Location points at the new resource' }),
  );

/** Replaces the handler with one that sets the Location from its result and returns nothing; Nest's metadata moves with it. */
const answerLocated: MethodDecorator = (_target, _key, descriptor) => {
  const handler = descriptor.value as (...args: unknown[]) => unknown;
  const located = async function (this: unknown, ...args: unknown[]): Promise<undefined> {
    const result = await handler.apply(this, args);
    const locate = requireContext('A create').locate;
    if (!locate) throw new Error('A @Created route ran without its LocationGuard');
    locate(result);
    return undefined;
  };
  for (const key of Reflect.getOwnMetadataKeys(handler)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, handler), located);
  Object.defineProperty(located, 'name', { value: handler.name });
  (descriptor as TypedPropertyDescriptor<unknown>).value = located;
};

/** Runs after the global guards: binds the route's Location template to this request, for the handler's result. */
@Injectable()
export class LocationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: KillBillConfig,
  ) {}

  canActivate(execution: ExecutionContext): boolean {
    const template = this.reflector.get<string>(LOCATION_METADATA, execution.getHandler());
    const request = execution.switchToHttp().getRequest<Request>();
    const response = execution.switchToHttp().getResponse<Response>();
    currentContext().locate = (result: unknown) => {
      const values = { ...request.params, ...(result && typeof result === 'object' ? (result as Record<string, unknown>) : {}) };
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')));
      response.location(this.config.getBoolean('org.killbill.jaxrs.location.full.url') ? `${request.protocol}://${request.get('host')}${path}` : path);
    };
    return true;
  }
}
