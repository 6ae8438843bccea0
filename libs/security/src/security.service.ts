import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hashSecret, InvalidRequestException, KillBillConfig, KillBillException, Locks, Transactions, withUniqueIndexes } from '@kb/platform';
import { AuthenticationCache } from './authentication-cache';
import { sanitizePermissions } from './permission-sanitizer';
import { RolePermissionRow, UserRoleRow, UserRow } from './security.entities';

const HASH_ITERATIONS = 'org.killbill.security.shiroNbHashIterations';

/** Users, roles and permissions stored in the database (Kill Bill's JDBC realm). */
@Injectable()
export class SecurityService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly config: KillBillConfig,
    private readonly cache: AuthenticationCache,
  ) {}

  async addUser(username: string, password: string, roles: readonly string[]): Promise<void> {
    const hashed = await hashSecret(password, this.config.getInteger(HASH_ITERATIONS));
    await withUniqueIndexes(
      () =>
        this.transactions.run(async (manager) => {
          const users = manager.getRepository(UserRow);
          if (await users.exist({ where: { username, isActive: true } })) throw new KillBillException('SECURITY_USER_ALREADY_EXISTS', [username]);
          await users.save(users.create({ id: randomUUID(), username, password: hashed.hash, passwordSalt: hashed.salt, isActive: true }));
          for (const roleName of new Set(roles)) await this.saveUserRole(username, roleName);
        }),
      { users_active_username: () => new KillBillException('SECURITY_USER_ALREADY_EXISTS', [username]) },
    );
    this.cache.clear();
  }

  /** A missing or empty password is Kill Bill's verifyNonNullOrEmpty 400. */
  async updatePassword(username: string, password: string | null | undefined): Promise<void> {
    if (!password) throw new InvalidRequestException('UserRolesJson password needs to be set');
    const hashed = await hashSecret(password, this.config.getInteger(HASH_ITERATIONS));
    await this.transactions.run(async (manager) => {
      const user = await this.activeUser(username);
      user.password = hashed.hash;
      user.passwordSalt = hashed.salt;
      await manager.getRepository(UserRow).save(user);
    });
    this.cache.clear();
  }

  async getUserRoles(username: string): Promise<string[]> {
    await this.activeUser(username);
    const roles = await this.transactions
      .manager()
      .getRepository(UserRoleRow)
      .find({ where: { username, isActive: true }, order: { recordId: 'ASC' } });
    return roles.map((role) => role.roleName);
  }

  /** Deactivates the roles no longer listed and adds the new ones; an absent list is a 400, never "no roles". */
  async updateUserRoles(username: string, roles: readonly string[] | null | undefined): Promise<void> {
    if (!roles) throw new InvalidRequestException('UserRolesJson roles needs to be set');
    // Serialised per user: the roles are read, then the missing ones inserted.
    await this.locks.withLock(userLockName(username), async (manager) => {
      await this.activeUser(username);
      const repository = manager.getRepository(UserRoleRow);
      const existing = await repository.find({ where: { username, isActive: true } });
      for (const row of existing.filter((row) => !roles.includes(row.roleName))) {
        row.isActive = false;
        await repository.save(row);
      }
      for (const roleName of new Set(roles)) {
        if (!existing.some((row) => row.roleName === roleName)) await this.saveUserRole(username, roleName);
      }
    });
    this.cache.clear();
  }

  async invalidateUser(username: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const user = await this.activeUser(username);
      user.isActive = false;
      await manager.getRepository(UserRow).save(user);
    });
    this.cache.clear();
  }

  async addRole(role: string, permissions: readonly string[]): Promise<void> {
    const sanitized = sanitizePermissions(permissions);
    // A role is several rows: only a lock on its name keeps two creates from merging into one role.
    await this.locks.withLock(roleLockName(role), async (manager) => {
      const repository = manager.getRepository(RolePermissionRow);
      if (await repository.exist({ where: { roleName: role, isActive: true } })) throw new KillBillException('SECURITY_ROLE_ALREADY_EXISTS', [role]);
      for (const permission of sanitized) await repository.save(repository.create({ id: randomUUID(), roleName: role, permission, isActive: true }));
    });
    this.cache.clear();
  }

  /** Replaces a role's permissions: drops those not listed, adds the new ones. */
  async updateRole(role: string, permissions: readonly string[]): Promise<void> {
    const sanitized = sanitizePermissions(permissions);
    await this.locks.withLock(roleLockName(role), async (manager) => {
      const repository = manager.getRepository(RolePermissionRow);
      const existing = await repository.find({ where: { roleName: role, isActive: true } });
      for (const row of existing.filter((row) => !sanitized.includes(row.permission))) {
        row.isActive = false;
        await repository.save(row);
      }
      for (const permission of sanitized.filter((permission) => !existing.some((row) => row.permission === permission))) {
        await repository.save(repository.create({ id: randomUUID(), roleName: role, permission, isActive: true }));
      }
    });
    this.cache.clear();
  }

  async getRolePermissions(role: string): Promise<string[]> {
    const rows = await this.transactions
      .manager()
      .getRepository(RolePermissionRow)
      .find({ where: { roleName: role, isActive: true }, order: { recordId: 'ASC' } });
    return rows.map((row) => row.permission);
  }

  private async saveUserRole(username: string, roleName: string): Promise<void> {
    const repository = this.transactions.manager().getRepository(UserRoleRow);
    await repository.save(repository.create({ id: randomUUID(), username, roleName, isActive: true }));
  }

  private async activeUser(username: string): Promise<UserRow> {
    const user = await this.transactions
      .manager()
      .getRepository(UserRow)
      .findOne({ where: { username, isActive: true } });
    if (!user) throw new KillBillException('SECURITY_INVALID_USER', [username]);
    return user;
  }
}

function userLockName(username: string): string {
  return `USER:${username}`;
}

function roleLockName(role: string): string {
  return `ROLE:${role}`;
}
