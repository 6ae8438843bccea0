import type { Principal } from '@kb/platform';
import type { RoleDefinition, Subject, UserRoles } from './security.dto';

export function toPermissionsJson(principal: Principal | undefined): string[] {
  return [...(principal?.permissions ?? [])];
}

/** Authentication is per request (HTTP basic); no server-side session is kept. */
export function toSubjectJson(principal: Principal | undefined): Subject {
  return { principal: principal?.username, isAuthenticated: true, isRemembered: false, session: null };
}

/** Kill Bill never answers a password. */
export function toUserRolesJson(username: string, roles: string[]): UserRoles {
  return { username, password: null, roles };
}

export function toRoleDefinitionJson(role: string, permissions: string[]): RoleDefinition {
  return { role, permissions };
}
