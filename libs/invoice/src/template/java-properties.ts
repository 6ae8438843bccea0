/** A `.properties` text Java's Properties.load refuses (the one case: a malformed `\uXXXX` escape). */
export class MalformedPropertiesError extends Error {}

const WHITESPACE = new Set([' ', '\t', '\f']);
const SEPARATORS = new Set(['=', ':']);
const HEX = /^[0-9a-fA-F]{4}$/;

/**
 * Java's `.properties` format as Properties.load reads it (what Kill Bill's PropertyResourceBundle
 * reads the uploaded translations with): `#`/`!` comments, `key=value`, `key: value` or `key value`,
 * lines continued by an odd number of trailing backslashes (the next line's leading blanks dropped),
 * escapes `\t \n \r \f \uXXXX` and `\c` for any other c. The last of two equal keys wins.
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; ) {
    const line = skipBlanks(lines[index++], 0);
    if (line.length === 0 || line.startsWith('#') || line.startsWith('!')) continue;
    let logical = line;
    while (endsWithContinuation(logical)) {
      logical = logical.slice(0, -1);
      if (index >= lines.length) break;
      logical += skipBlanks(lines[index++], 0);
    }
    const { key, value } = splitEntry(logical);
    entries.set(unescape(key), unescape(value));
  }
  return entries;
}

function skipBlanks(text: string, from: number): string {
  let start = from;
  while (start < text.length && WHITESPACE.has(text[start])) start++;
  return text.slice(start);
}

/** An odd number of trailing backslashes: the last one is not itself escaped. */
function endsWithContinuation(line: string): boolean {
  let count = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

/** The key ends at the first unescaped `=`, `:` or blank; one separator and the blanks around it are dropped. */
function splitEntry(line: string): { key: string; value: string } {
  let end = 0;
  while (end < line.length && !SEPARATORS.has(line[end]) && !WHITESPACE.has(line[end])) end += line[end] === '\\' ? 2 : 1;
  end = Math.min(end, line.length);
  const key = line.slice(0, end);
  let rest = skipBlanks(line, end);
  if (rest.length > 0 && SEPARATORS.has(rest[0])) rest = skipBlanks(rest, 1);
  return { key, value: rest };
}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '\\') {
      out += char;
      continue;
    }
    const escaped = text[++i];
    if (escaped === undefined) break;
    if (escaped === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!HEX.test(hex)) throw new MalformedPropertiesError('Malformed \\uxxxx encoding.');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += CONTROL_ESCAPES[escaped] ?? escaped;
    }
  }
  return out;
}
