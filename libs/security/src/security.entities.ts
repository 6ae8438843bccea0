import { Column, Entity, Index } from 'typeorm';
import { Audited, KillBillEntity } from '@kb/platform';

/** Users, roles and permissions are global (not per tenant): their audit rows carry tenant 0. */
const GLOBAL = () => 0;

@Entity({ name: 'users' })
@Index('users_active_username', ['username'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'USER', excludeFromHistory: ['password', 'password_salt'], tenantRecordIdOf: GLOBAL })
export class UserRow extends KillBillEntity {
  @Index('users_username')
  @Column({ type: 'varchar', length: 128 })
  username!: string;

  @Column({ type: 'varchar', length: 128 })
  password!: string;

  @Column({ type: 'varchar', length: 128 })
  passwordSalt!: string;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}

@Entity({ name: 'user_roles' })
@Index('user_roles_active', ['username', 'roleName'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'USER_ROLE', tenantRecordIdOf: GLOBAL })
export class UserRoleRow extends KillBillEntity {
  @Index('user_roles_username')
  @Column({ type: 'varchar', length: 128 })
  username!: string;

  @Column({ type: 'varchar', length: 128 })
  roleName!: string;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}

@Entity({ name: 'roles_permissions' })
@Index('roles_permissions_active', ['roleName', 'permission'], { unique: true, where: 'is_active' })
@Audited({ objectType: 'ROLE_DEFINITION', tenantRecordIdOf: GLOBAL })
export class RolePermissionRow extends KillBillEntity {
  @Index('roles_permissions_role_name')
  @Column({ type: 'varchar', length: 128 })
  roleName!: string;

  @Column({ type: 'varchar', length: 255 })
  permission!: string;

  @Column({ type: 'boolean' })
  isActive!: boolean;
}
