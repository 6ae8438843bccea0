import Big from 'big.js';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/**
 * Every number a double cannot hold has 16 significant digits or more, or an exponent: text with no
 * such run (false positives in strings are harmless) needs no scan. Most bodies hold none.
 */
const MAYBE_INEXACT = /\d[\d.]{15}|\d[eE]/;

/**
 * JSON text with every number a double cannot hold exactly (12345678901234567.89, 1e400) turned
 * into a string of its source digits; undefined when every number is exact. JSON.parse then loses
 * nothing: an exact number prints back to its decimal value, an inexact one arrives as its text.
 */
export function quoteInexactJsonNumbers(json: string): string | undefined {
  if (!MAYBE_INEXACT.test(json)) return undefined;
  let out = '';
  let copiedUpTo = 0;
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      i++;
      while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(json)?.[0];
      if (!token) return undefined; // not JSON: leave it to the parser's verdict
      if (!isExactDouble(token)) {
        out += `${json.slice(copiedUpTo, i)}"${token}"`;
        copiedUpTo = i + token.length;
      }
      i += token.length;
      continue;
    }
    i++;
  }
  return copiedUpTo === 0 ? undefined : out + json.slice(copiedUpTo);
}

function isExactDouble(token: string): boolean {
  const double = Number(token);
  return Number.isFinite(double) && new Big(String(double)).eq(new Big(token));
}

/** JSON text in which every Big is a JSON number with exactly its digits (Big's own toJSON writes a string). */
export function stringifyWithExactNumbers(value: unknown): string {
  const marker = `kb-exact-number:${randomUUID()}:`;
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    const original = this[key];
    return original instanceof Big ? `${marker}${original.toFixed()}` : replaced;
  });
  return text
    .split(`"${marker}`)
    .map((part, index) => (index === 0 ? part : part.replace(/^(-?[0-9.]+)"/, '$1')))
    .join('');
}

function containsBig(value: unknown, depth = 0): boolean {
  if (value instanceof Big) return true;
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  return Object.values(value).some((child) => containsBig(child, depth + 1));
}

/**
 * Money never passes through a JS number: a JSON request body is re-read from its raw text when it
 * holds numbers a double would round, and a response holding Bigs writes them as exact numbers.
 * Needs the raw body (`rawBody: true` on the Nest application).
 */
export function useLosslessJson(request: Request & { rawBody?: Buffer }, response: Response): void {
  if (request.rawBody && request.body !== null && typeof request.body === 'object' && request.is('json')) {
    const rewritten = quoteInexactJsonNumbers(request.rawBody.toString('utf8'));
    if (rewritten !== undefined) request.body = JSON.parse(rewritten);
  }
  const json = response.json.bind(response);
  response.json = (body: unknown) => {
    if (!containsBig(body)) return json(body);
    if (!response.get('Content-Type')) response.type('application/json');
    return response.send(stringifyWithExactNumbers(body));
  };
}
