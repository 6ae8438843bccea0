export * from './security.entities';
export * from './security.service';
export * from './security.module';
export * from './permission-sanitizer';
import { RolePermissionRow, UserRoleRow, UserRow } from './security.entities';
import { Security1700000000200 } from './migrations/1700000000200-security';

export const SECURITY_ENTITIES = [UserRow, UserRoleRow, RolePermissionRow];
export const SECURITY_MIGRATIONS = [Security1700000000200];
