import type { DynamicModule, LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, Logger as PinoNestLogger } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Options } from 'pino-http';
import { contextInProgress } from '../context/request-context';
import { requestIdOf } from '../context/request-id';

export type { Logger as RootLogger } from 'pino';

/** Secrets never reach a log line, wherever they sit: headers of a logged request, or a logged body. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-killbill-apisecret"]',
  'headers.authorization',
  'headers["x-killbill-apisecret"]',
  'password',
  'apiSecret',
  '*.password',
  '*.apiSecret',
  '*.*.password',
  '*.*.apiSecret',
];

/** Probes (load balancer, Prometheus) log their access line at debug, or they drown everything else. */
const PROBE_PATHS = new Set(['/1.0/healthcheck', '/metrics']);

/**
 * The server's one root logger: JSON lines with an ISO time, the level name, this node's name, and
 * (mixed into every line written during a request or queued job) the tenant and account it acts for.
 */
export function createRootLogger(settings: { logLevel: string; nodeName: string }, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: settings.logLevel,
    base: { node: settings.nodeName },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: callContextFields,
  };
  // Standard output written asynchronously (lines written while a write is under way go out with the
  // next one): a synchronous write per line was a system call on every request. pino flushes it on exit.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

/** Tenant (record id and api key, never the secret) and account of the request or job in progress. */
function callContextFields(): Record<string, unknown> {
  const context = contextInProgress();
  if (!context || context.outsideRequestOrJob) return {};
  const fields: Record<string, unknown> = {};
  if (context.tenant) {
    fields.tenantRecordId = context.tenant.recordId;
    if (context.tenant.apiKey) fields.apiKey = context.tenant.apiKey;
  }
  if (context.accountId) fields.accountId = context.accountId;
  return fields;
}

/** pino-http through nestjs-pino: one access line per request, and the request id on every line of it. */
export function loggingModule(logger: Logger): DynamicModule {
  const pinoHttp: Options = {
    logger,
    genReqId: (request) => requestIdOf(request),
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    // In-request lines carry the request id only; the request itself is described once, on the access line.
    quietReqLogger: true,
    serializers: {
      req: (request: { method: string; url: string }) => ({ method: request.method, path: request.url }),
      res: (response: { statusCode: number }) => ({ status: response.statusCode }),
    },
    customLogLevel: (request: IncomingMessage, response: ServerResponse, error?: Error) => {
      if (error || response.statusCode >= 500) return 'error';
      return PROBE_PATHS.has(pathOf(request)) ? 'debug' : 'info';
    },
    customSuccessMessage: (request, response, durationMs) => `${request.method} ${pathOf(request)} ${response.statusCode} ${durationMs}ms`,
    customErrorMessage: (request, response) => `${request.method} ${pathOf(request)} ${response.statusCode} failed`,
  };
  // '*' as a string, like the app's own middleware: nestjs-pino's default ({ path: '*', method: ALL })
  // becomes a catch-all route, which would hide the 405 answers and label every 404 with its path.
  return LoggerModule.forRoot({ pinoHttp, forRoutes: ['*'] });
}

function pathOf(request: IncomingMessage): string {
  const url = (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/**
 * Nest's own start-up chatter (a line per module and per route) stays out of the log; warnings and
 * errors from those same sources still pass, as does everything the server's code logs.
 */
const QUIET_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class ServerLogger implements LoggerService {
  constructor(private readonly delegate: PinoNestLogger) {}

  log(message: unknown, ...optional: unknown[]): void {
    if (!isQuiet(optional)) this.delegate.log(message, ...optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.delegate.error(message, ...optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.delegate.warn(message, ...optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    if (!isQuiet(optional)) this.delegate.debug(message, ...optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    if (!isQuiet(optional)) this.delegate.verbose(message, ...optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.delegate.fatal(message, ...optional);
  }
}

function isQuiet(optional: unknown[]): boolean {
  const context = optional[optional.length - 1];
  return typeof context === 'string' && QUIET_CONTEXTS.has(context);
}

export { PinoNestLogger };
