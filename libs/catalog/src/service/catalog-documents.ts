/**
 * The XML documents of a tenant's catalog as `GET /catalog/xml` answers them: Kill Bill marshals
 * its VersionedCatalog as `<catalogs><versions><version>…</version></versions><catalogName>…`.
 * Each `<version>` here carries the children of the stored `<catalog>` document exactly as they
 * were uploaded (comments and formatting included), so what a tenant uploaded is what it reads.
 */

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** Skips the prolog (XML declaration, processing instructions, comments, DOCTYPE, blanks). */
function skipProlog(xml: string): number {
  let i = 0;
  for (;;) {
    while (i < xml.length && (/\s/.test(xml[i]) || xml.charCodeAt(i) === 0xfeff)) i++;
    const end = xml.startsWith('<?', i)
      ? xml.indexOf('?>', i) + 2
      : xml.startsWith('<!--', i)
        ? xml.indexOf('-->', i) + 3
        : xml.startsWith('<!DOCTYPE', i)
          ? xml.indexOf('>', i) + 1
          : undefined;
    if (end === undefined) return i;
    if (end <= i) return xml.length; // unterminated construct
    i = end;
  }
}

/** The children of the root `<catalog>` element of a stored document, verbatim. */
export function catalogInnerXml(document: string): string {
  const start = skipProlog(document);
  const openEnd = document.indexOf('>', start);
  const close = document.lastIndexOf('</');
  if (openEnd < 0 || close < openEnd || document[openEnd - 1] === '/') return '';
  return document.substring(openEnd + 1, close);
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `<catalogs>` with one `<version>` per document (already in effective-date order). */
export function catalogsXml(catalogName: string | undefined, innerDocuments: readonly string[]): string {
  const parts = [`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<catalogs xmlns:xsi="${XSI_NAMESPACE}">\n`];
  if (innerDocuments.length === 0) parts.push('    <versions/>\n');
  else {
    parts.push('    <versions>\n');
    for (const inner of innerDocuments) parts.push('        <version>', inner, '</version>\n');
    parts.push('    </versions>\n');
  }
  if (catalogName !== undefined) parts.push(`    <catalogName>${escapeText(catalogName)}</catalogName>\n`);
  parts.push('</catalogs>\n');
  return parts.join('');
}
