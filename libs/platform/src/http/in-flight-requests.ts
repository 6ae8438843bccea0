import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '../errors/error-body';

/**
 * Knows the requests in progress, so that a shutdown can let them finish. Once draining, a request
 * arriving on a kept-alive connection is refused with a 503 (it was never started, the client may
 * retry elsewhere), and every response closes its connection, so no connection outlives its request.
 */
@Injectable()
export class InFlightRequests {
  private readonly active = new Set<Response>();
  private draining = false;
  private onIdle?: () => void;

  /** Express middleware; mounted first, before anything else sees the request. */
  readonly middleware = (_request: Request, response: Response, next: NextFunction): void => {
    if (this.draining) {
      response.setHeader('Connection', 'close');
      response.setHeader('Retry-After', '1');
      response.status(503).json(errorBody('ServiceUnavailable', null, 'The server is shutting down'));
      return;
    }
    this.active.add(response);
    response.once('close', () => {
      this.active.delete(response);
      if (this.active.size === 0) this.onIdle?.();
    });
    next();
  };

  get count(): number {
    return this.active.size;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Refuses new requests and waits for the ones in progress, at most `graceMillis`; true when all finished. */
  drain(graceMillis: number): Promise<boolean> {
    this.draining = true;
    for (const response of this.active) if (!response.headersSent) response.setHeader('Connection', 'close');
    if (this.active.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMillis);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
