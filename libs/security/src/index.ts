export * from './security.entities';
export * from './security.service';
export * from './security.module';
export * from './permission-sanitizer';
import { RolePermissionRow, UserRoleRow, UserRow } from './security.entities';
import { Security1700000000200 } from './migrations/1700000000200-security';
import { SecurityUnique1700000000500 } from './migrations/1700000000500-security-unique';

export const SECURITY_ENTITIES = [UserRow, UserRoleRow, RolePermissionRow];
export const SECURITY_MIGRATIONS = [Security1700000000200, SecurityUnique1700000000500];
