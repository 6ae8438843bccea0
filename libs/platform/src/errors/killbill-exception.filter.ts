import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethodsFor } from '../http/method-not-allowed';
import { AuthenticationRequiredError, PermissionDeniedError, TenantAuthenticationError } from './auth-errors';
import { errorBody } from './error-body';
import { KillBillError } from '@kb/kernel';
import { EmptyStatusError, httpStatusOf, IllegalStateError, InvalidRequestException } from './killbill.exception';

const ILLEGAL_ARGUMENT = 'java.lang.IllegalArgumentException';

/**
 * Turns every error into Kill Bill's answer: business errors into the error JSON with their mapped
 * status, bad input into a 400 naming the problem, authentication failures into 401. Anything
 * unexpected is a clean 500: no stack trace, no SQL text.
 */
@Catch()
export class KillBillExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    // A Content-Type set for the success body (`@Header('Content-Type', 'text/xml')`) does not describe the error's.
    response.removeHeader('Content-Type');

    if (exception instanceof KillBillError) {
      const cause = exception.cause instanceof KillBillError ? { className: exception.cause.className, message: exception.cause.message } : undefined;
      response.status(httpStatusOf(exception)).json(errorBody(exception.className, exception.errorCode.code, exception.message, cause));
      return;
    }
    if (exception instanceof InvalidRequestException) {
      response.status(400).json(errorBody(ILLEGAL_ARGUMENT, null, exception.message));
      return;
    }
    if (exception instanceof EmptyStatusError) {
      response.status(exception.status).end();
      return;
    }
    if (exception instanceof IllegalStateError) {
      response.status(500).json(errorBody('java.lang.IllegalStateException', null, exception.message));
      return;
    }
    if (exception instanceof TenantAuthenticationError) {
      response.status(401).type('text/plain').send(exception.message);
      return;
    }
    if (exception instanceof AuthenticationRequiredError) {
      response.status(401).setHeader('WWW-Authenticate', 'BASIC realm="application"');
      response.type('text/plain').send(exception.message);
      return;
    }
    if (exception instanceof PermissionDeniedError) {
      response.status(401).json(errorBody('org.apache.shiro.authz.UnauthorizedException', null, exception.message));
      return;
    }
    if (exception instanceof NotFoundException) {
      // No route for this method: a path served with other methods is a 405, as JAX-RS answers it.
      const allowed = allowedMethodsFor(host.switchToHttp().getRequest<Request>());
      if (allowed) {
        response.status(405).setHeader('Allow', allowed.join(', '));
        response.json(errorBody('javax.ws.rs.NotAllowedException', null, 'HTTP 405 Method Not Allowed'));
        return;
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      response.status(status).json(errorBody(status === 404 ? 'javax.ws.rs.NotFoundException' : ILLEGAL_ARGUMENT, null, httpExceptionMessage(exception)));
      return;
    }
    const clientError = bodyParserError(exception);
    if (clientError) {
      response.status(clientError.status).json(errorBody(ILLEGAL_ARGUMENT, null, clientError.message));
      return;
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(500).json(errorBody('java.lang.RuntimeException', null, 'Internal server error'));
  }
}

function httpExceptionMessage(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/** body-parser errors (malformed JSON, wrong charset, too large) carry a 4xx `status` and `expose`. */
function bodyParserError(exception: unknown): { status: number; message: string } | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, expose, type } = exception as Error & { status?: number; expose?: boolean; type?: string };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose) {
    return { status, message: type === 'entity.parse.failed' ? `Malformed request body: ${exception.message}` : exception.message };
  }
  return undefined;
}
