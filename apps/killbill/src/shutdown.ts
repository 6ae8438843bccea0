import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { InFlightRequests, type RootLogger } from '@kb/platform';

export interface ShutdownPlan {
  readonly app: INestApplication;
  readonly graceMillis: number;
  readonly logger: RootLogger;
  /** The embedded PostgreSQL's stop, last of all (a no-op on DATABASE_URL). */
  readonly stopDatabase: () => Promise<void>;
}

/** After the last request, how long a connection accepted just before may still send one (and get its 503). */
const SETTLE_MILLIS = 300;

/**
 * Stops the server without cutting work: no new connection is accepted and a request arriving on an
 * open one is refused with a 503; requests in progress finish (within the grace period, after which
 * they are cut and reported); then the queue dispatcher finishes what it claimed, the pool closes and
 * the embedded PostgreSQL stops. Resolves with the process's exit code.
 */
export async function shutDown({ app, graceMillis, logger, stopDatabase }: ShutdownPlan): Promise<number> {
  const started = performance.now();
  const inFlight = app.get(InFlightRequests);
  const server = app.getHttpServer() as Server;
  // Stop listening only: http.Server#close() would also drop connections that have no request yet,
  // a request on its way that the client would see cut. Those get a 503 from the draining app instead.
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  logger.info(`Shutting down: ${inFlight.count} request(s) in progress, up to ${graceMillis}ms to finish them`);
  let finished = await inFlight.drain(graceMillis);
  if (finished) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(SETTLE_MILLIS, Math.max(0, graceMillis - (performance.now() - started)))));
    finished = await inFlight.drain(Math.max(0, graceMillis - (performance.now() - started)));
  }
  let exitCode = 0;
  if (!finished) {
    logger.warn(`Grace period over: cutting ${inFlight.count} request(s) still in progress`);
    exitCode = 1;
  }
  // What is left are idle connections (every response since the drain began closed its own).
  server.closeAllConnections();
  await closed;
  await app.close();
  await stopDatabase();
  logger.info(`Stopped in ${Math.round(performance.now() - started)}ms`);
  return exitCode;
}
