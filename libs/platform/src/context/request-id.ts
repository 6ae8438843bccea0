import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID = Symbol('kb.requestId');
/** Longer ids, or ids with characters outside this set, are replaced: they end up in logs and headers. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The one id of a request: the caller's `X-Request-Id` (legacy `X-Killbill-Request-Id-Req`) when it is
 * a sane token, else a new UUID. Computed once and kept on the request, so the access log, the
 * request context and the echoed header all carry the same id whichever middleware asks first.
 */
export function requestIdOf(request: IncomingMessage): string {
  const carrier = request as IncomingMessage & { [REQUEST_ID]?: string };
  const known = carrier[REQUEST_ID];
  if (known) return known;
  const supplied = suppliedRequestId(request);
  const id = supplied && ACCEPTABLE_ID.test(supplied) ? supplied : randomUUID();
  carrier[REQUEST_ID] = id;
  return id;
}

export function suppliedRequestId(request: IncomingMessage): string | undefined {
  const header = request.headers['x-request-id'] ?? request.headers['x-killbill-request-id-req'];
  return Array.isArray(header) ? header[0] : header;
}
