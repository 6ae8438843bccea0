import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KillBillConfig, type Principal, Transactions, type UserAuthenticator, verifySecret } from '@kb/platform';
import { In } from 'typeorm';
import { AuthenticationCache } from './authentication-cache';
import { RolePermissionRow, UserRoleRow, UserRow } from './security.entities';

/**
 * Two realms, as Kill Bill configures Shiro: the configured administrator (shiro.ini's
 * `admin = password, root` with `root = *`), then users stored in the database with their roles.
 */
@Injectable()
export class UserAuthenticatorService implements UserAuthenticator {
  constructor(
    private readonly transactions: Transactions,
    private readonly config: KillBillConfig,
    private readonly cache: AuthenticationCache,
  ) {}

  async authenticate(username: string, password: string): Promise<Principal | undefined> {
    const cached = this.cache.get(username, password);
    if (cached) return cached;
    const principal = this.configuredAdmin(username, password) ?? (await this.databaseUser(username, password));
    if (principal) this.cache.set(username, password, principal);
    return principal;
  }

  private configuredAdmin(username: string, password: string): Principal | undefined {
    const adminName = this.config.getString('org.killbill.security.admin.username');
    const adminPassword = this.config.getString('org.killbill.security.admin.password');
    if (!adminName || username !== adminName || !sameText(password, adminPassword)) return undefined;
    return { username, permissions: ['*'] };
  }

  private async databaseUser(username: string, password: string): Promise<Principal | undefined> {
    const manager = this.transactions.manager();
    const user = await manager.getRepository(UserRow).findOne({ where: { username, isActive: true } });
    if (!user) return undefined;
    const iterations = this.config.getInteger('org.killbill.security.shiroNbHashIterations');
    if (!(await verifySecret(password, { hash: user.password, salt: user.passwordSalt }, iterations))) return undefined;
    const roles = await manager.getRepository(UserRoleRow).find({ where: { username, isActive: true } });
    const permissions = roles.length
      ? await manager.getRepository(RolePermissionRow).find({ where: { roleName: In(roles.map((role) => role.roleName)), isActive: true } })
      : [];
    return { username, permissions: permissions.map((row) => row.permission) };
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
