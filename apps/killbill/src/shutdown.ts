import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { InFlightRequests, type RootLogger } from '@kb/platform';

export interface ShutdownPlan {
  readonly app: INestApplication;
  readonly graceMillis: number;
  readonly logger: RootLogger;
  /** The embedded PostgreSQL's stop, last of all (a no-op on DATABASE_URL). */
  readonly stopDatabase: () => Promise<void>;
}

/**
 * Stops the server without cutting work: no new connection is accepted and a request arriving on an
 * open one is refused with a 503; requests in progress finish (within the grace period, after which
 * they are cut and reported); then the queue dispatcher finishes what it claimed, the pool closes and
 * the embedded PostgreSQL stops. Resolves with the process's exit code.
 */
export async function shutDown({ app, graceMillis, logger, stopDatabase }: ShutdownPlan): Promise<number> {
  const started = Date.now();
  const inFlight = app.get(InFlightRequests);
  const server = app.getHttpServer() as Server;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  logger.info(`Shutting down: ${inFlight.count} request(s) in progress, up to ${graceMillis}ms to finish them`);
  const finished = await inFlight.drain(graceMillis);
  let exitCode = 0;
  if (!finished) {
    logger.warn(`Grace period over: cutting ${inFlight.count} request(s) still in progress`);
    exitCode = 1;
  }
  // Idle kept-alive connections would hold server.close() open; every response so far closed its own.
  server.closeAllConnections();
  await closed;
  await app.close();
  await stopDatabase();
  logger.info(`Stopped in ${Date.now() - started}ms`);
  return exitCode;
}
