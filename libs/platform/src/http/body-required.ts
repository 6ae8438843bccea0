import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { InvalidRequestException } from '../errors/killbill.exception';

interface BodyParameter {
  /** The DTO class or Array (JSON routes); Object or String for text bodies (XML, configs). */
  readonly type: Function | undefined;
  readonly json: boolean;
}

const cache = new WeakMap<Function, BodyParameter | null>();
const OPTIONAL_BODY = 'kb:optionalBody';

/** A route whose JSON body may be absent (Kill Bill's `@Nullable` body, e.g. the dry-run spec): none reads as an empty object. */
export const OptionalBody = (): MethodDecorator => SetMetadata(OPTIONAL_BODY, true);

/**
 * A route that reads a body gets one, as Kill Bill's JAX-RS resources require: no Content-Type (or
 * a non-JSON one on a JSON route) is a 415, an empty JSON body a 400 (`AccountJson body should be
 * specified`), instead of an empty object validated into an empty account. A guard running after the
 * access and call context guards (an unauthenticated call is a 401 first), before the pipes.
 */
@Injectable()
export class BodyRequiredGuard implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    if (execution.getType() !== 'http') return true;
    const body = bodyParameterOf(execution.getClass(), execution.getHandler());
    if (body) {
      const request = execution.switchToHttp().getRequest<Request>();
      const json = body.json;
      if (Reflect.getMetadata(OPTIONAL_BODY, execution.getHandler()) === true && isEmpty(request)) return true;
      if (!request.headers['content-type'] || (json && !request.is('application/json'))) {
        throw new HttpException(`Unsupported Media Type: ${request.headers['content-type'] ?? 'none'}; expected ${json ? 'application/json' : 'a text body'}`, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
      }
      // Text resources judge an empty document themselves (an empty catalog is Kill Bill's 2080).
      if (json && isEmpty(request)) throw new InvalidRequestException(`${body.type !== Array ? `${body.type?.name}Json` : 'Request'} body should be specified`);
    }
    return true;
  }
}

function bodyParameterOf(controller: Function, handler: Function): BodyParameter | undefined {
  let found = cache.get(handler);
  if (found === undefined) {
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<string, { index: number }>;
    const key = Object.keys(args).find((name) => Number(name.split(':')[0]) === RouteParamtypes.BODY);
    const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler.name) ?? []) as Function[];
    const type = key === undefined ? undefined : types[args[key].index];
    found = key === undefined ? null : { type, json: type !== undefined && type !== Object && type !== String };
    cache.set(handler, found);
  }
  return found ?? undefined;
}

function isEmpty(request: Request): boolean {
  const declaredLength = request.headers['content-length'];
  return request.body === undefined || (declaredLength !== undefined && Number(declaredLength) === 0);
}
