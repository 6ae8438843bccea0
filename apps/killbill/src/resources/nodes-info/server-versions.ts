import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version of Kill Bill's API this server implements (the reference contract's `info.version`). */
export const KILLBILL_API_VERSION = '0.24.10';

/** This server's own version: the `version` of the package.json above this file (in the sources or in dist/). */
export function serverVersion(from: string = __dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown');
    if (dirname(directory) === directory) return 'unknown';
  }
}
