/** `audit` query parameter of Kill Bill's reads. */
export enum AuditLevel {
  NONE = 'NONE',
  MINIMAL = 'MINIMAL',
  FULL = 'FULL',
}
