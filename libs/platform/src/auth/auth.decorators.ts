import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiSecurity } from '@nestjs/swagger';

export const ACCESS_METADATA = 'kb:access';

export type AccessRule =
  { readonly mode: 'public' } | { readonly mode: 'user'; readonly permission?: string } | { readonly mode: 'tenant'; readonly permission?: string };

export const BASIC_AUTH_SCHEME = 'basicAuth';
export const API_KEY_SCHEME = 'Killbill Api Key';
export const API_SECRET_SCHEME = 'Killbill Api Secret';

/** No credentials at all (health checks). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_METADATA, { mode: 'public' } satisfies AccessRule);

/** Basic auth only, no tenant headers (tenant creation, security). Optionally a permission. */
export const NoTenant = (permission?: string): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ACCESS_METADATA, { mode: 'user', permission } satisfies AccessRule), ApiSecurity(BASIC_AUTH_SCHEME));

/** Basic auth plus X-Killbill-ApiKey/ApiSecret; the request acts for that tenant. Optionally a permission. */
export const TenantScoped = (permission?: string): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_METADATA, { mode: 'tenant', permission } satisfies AccessRule),
    ApiSecurity(BASIC_AUTH_SCHEME),
    ApiSecurity(API_KEY_SCHEME),
    ApiSecurity(API_SECRET_SCHEME),
  );

export const CALL_CONTEXT_METADATA = 'kb:callContext';

/**
 * A state-changing call: Kill Bill builds a call context from X-Killbill-CreatedBy (required),
 * X-Killbill-Reason and X-Killbill-Comment, and records them in the audit log.
 */
export const AuditedCall = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(CALL_CONTEXT_METADATA, true),
    ApiHeader({ name: 'X-Killbill-CreatedBy', required: true }),
    ApiHeader({ name: 'X-Killbill-Reason', required: false }),
    ApiHeader({ name: 'X-Killbill-Comment', required: false }),
  );
