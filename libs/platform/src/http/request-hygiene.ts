import type { Request } from 'express';
import { InvalidRequestException } from '../errors/killbill.exception';

/** The query parameters Kill Bill declares as lists (`type: array` in its contract): they may repeat. */
export const MULTI_VALUED_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'tagDef',
  'blockingStateTypes',
  'blockingStateSvcs',
  'pluginProperty',
  'customField',
  'controlPluginName',
]);

/** Kill Bill's audit columns are varchar(255). */
export const MAX_AUDIT_HEADER_LENGTH = 255;
/** Deeper JSON is no Kill Bill object: refused before validation recurses into it. */
export const MAX_JSON_DEPTH = 32;

const NUL = '\u0000';
/** A UTF-16 surrogate without its pair: PostgreSQL cannot store it (and the bytes are no valid UTF-8). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Input no Kill Bill resource can use, refused with a 400 naming where it is before any route runs:
 * NUL characters and lone surrogates anywhere (PostgreSQL would reject them mid-transaction), a
 * single-valued query parameter given twice, audit headers longer than their columns, JSON nested
 * deeper than any Kill Bill object.
 */
export function checkRequestHygiene(request: Request): void {
  // originalUrl: under a middleware mount, `path` is relative to the mount point
  checkText(safeDecode(request.originalUrl.split('?')[0]), 'the request path');
  for (const [name, value] of Object.entries(request.query)) {
    checkText(name, 'a query parameter name');
    if (Array.isArray(value) && !MULTI_VALUED_QUERY_PARAMETERS.has(name)) {
      throw new InvalidRequestException(`Query parameter ${name} is given more than once`);
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') throw new InvalidRequestException(`Query parameter ${name} is malformed`);
      checkText(item, `query parameter ${name}`);
    }
  }
  for (const header of ['X-Killbill-CreatedBy', 'X-Killbill-Reason', 'X-Killbill-Comment']) {
    const value = request.header(header);
    if (value === undefined) continue;
    checkText(value, `header ${header}`);
    if (value.length > MAX_AUDIT_HEADER_LENGTH) throw new InvalidRequestException(`Header ${header} is longer than ${MAX_AUDIT_HEADER_LENGTH} characters`);
  }
  if (typeof request.body === 'string') checkText(request.body, 'the request body');
  else if (request.body !== null && typeof request.body === 'object') checkJson(request.body, 'body', 0);
}

function checkText(text: string, where: string): void {
  if (text.includes(NUL)) throw new InvalidRequestException(`Invalid character (NUL) in ${where}`);
  if (LONE_SURROGATE.test(text)) throw new InvalidRequestException(`Invalid character (unpaired UTF-16 surrogate) in ${where}`);
}

/** Walks parsed JSON once: depth, and every key and string value. */
function checkJson(value: unknown, path: string, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw new InvalidRequestException(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (typeof value === 'string') return checkText(value, path);
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkJson(item, `${path}[${index}]`, depth + 1));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      checkText(key, `a field name of ${path}`);
      checkJson(item, `${path}.${key}`, depth + 1);
    }
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new InvalidRequestException('Malformed percent-encoding in the request path');
  }
}
