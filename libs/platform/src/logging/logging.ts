import { type DynamicModule, Global, type LoggerService, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';
import { contextInProgress } from '../context/request-context';

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

/** Request id (of a request), tenant (record id and api key, never the secret) and account of the request or job in progress. */
function callContextFields(): Record<string, unknown> {
  const context = contextInProgress();
  if (!context || context.outsideRequestOrJob) return {};
  const fields: Record<string, unknown> = {};
  if (context.logsRequestId) fields.requestId = context.requestId;
  if (context.tenant) {
    fields.tenantRecordId = context.tenant.recordId;
    if (context.tenant.apiKey) fields.apiKey = context.tenant.apiKey;
  }
  if (context.accountId) fields.accountId = context.accountId;
  return fields;
}

/** The injection token of the application's root logger (the access line and Nest's own lines go to it). */
export const ROOT_LOGGER = Symbol('kb.rootLogger');

/** Makes the root logger injectable everywhere; the access line is written by `HttpRequestMiddleware`. */
export function loggingModule(logger: Logger): DynamicModule {
  @Global()
  @Module({ providers: [{ provide: ROOT_LOGGER, useValue: logger }], exports: [ROOT_LOGGER] })
  class LoggingModule {}
  return { module: LoggingModule };
}

export type AccessLogLevel = 'error' | 'info' | 'debug';

/**
 * One line per request once its response is done (or abandoned): method, path, status, duration,
 * request id, and the tenant and account it acted for. Written through the root logger itself, no
 * child logger per request: its fields are given here, the rest of a line's fields by the mixin.
 */
export function logAccess(
  logger: Logger,
  request: IncomingMessage,
  response: ServerResponse,
  fields: { requestId: string; tenantRecordId?: number; apiKey?: string; accountId?: string },
  durationMs: number,
): void {
  const aborted = !response.writableFinished;
  const path = pathOf(request);
  const failed = aborted || response.statusCode >= 500;
  const level: AccessLogLevel = failed ? 'error' : PROBE_PATHS.has(path) ? 'debug' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = { ...fields, req: { method: request.method, path }, res: { status: response.statusCode }, durationMs };
  if (failed) {
    line.err = { message: aborted ? 'request aborted' : `failed with status code ${response.statusCode}` };
    logger[level](line, `${request.method} ${path} ${response.statusCode} failed`);
  } else {
    logger[level](line, `${request.method} ${path} ${response.statusCode} ${durationMs}ms`);
  }
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
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optional: unknown[]): void {
    if (!isQuiet(optional)) this.write('info', message, optional);
  }

  error(message: unknown, ...optional: unknown[]): void {
    this.write('error', message, optional);
  }

  warn(message: unknown, ...optional: unknown[]): void {
    this.write('warn', message, optional);
  }

  debug(message: unknown, ...optional: unknown[]): void {
    if (!isQuiet(optional)) this.write('debug', message, optional);
  }

  verbose(message: unknown, ...optional: unknown[]): void {
    if (!isQuiet(optional)) this.write('trace', message, optional);
  }

  fatal(message: unknown, ...optional: unknown[]): void {
    this.write('fatal', message, optional);
  }

  /** Nest's contract: the last optional argument is the context; an error's stack may come as a string. */
  private write(level: pino.Level, message: unknown, optional: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = optional.length ? optional.slice(0, -1) : [];
    if (optional.length) fields.context = optional[optional.length - 1];
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, ...(rest as []));
    } else if (message !== null && typeof message === 'object') {
      this.logger[level](Object.assign(fields, message), ...(rest as []));
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      const error = new Error(String(message));
      error.stack = rest[0];
      fields.err = error;
      this.logger.error(fields);
    } else {
      this.logger[level](fields, String(message), ...(rest as []));
    }
  }
}

function isQuiet(optional: unknown[]): boolean {
  const context = optional[optional.length - 1];
  return typeof context === 'string' && QUIET_CONTEXTS.has(context);
}
