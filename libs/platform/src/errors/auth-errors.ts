/** Missing or wrong basic credentials (Kill Bill: Shiro's basic-auth filter, bare 401). */
export class AuthenticationRequiredError extends Error {
  override readonly name = 'AuthenticationRequiredError';
}

/** The user lacks a permission (Kill Bill: Shiro AuthorizationException, 401 with the error JSON). */
export class PermissionDeniedError extends Error {
  override readonly name = 'PermissionDeniedError';
}

/** Missing or wrong tenant key/secret (Kill Bill: servlet filter `sendError(401)`, no JSON body). */
export class TenantAuthenticationError extends Error {
  override readonly name = 'TenantAuthenticationError';
}
