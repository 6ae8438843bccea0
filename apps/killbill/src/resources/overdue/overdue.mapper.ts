/** A text/xml body arrives as a string; anything else is no document at all. */
export function toXmlBody(body: unknown): string {
  return typeof body === 'string' ? body : '';
}
