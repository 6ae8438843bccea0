import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One active user per username, one active grant per role and permission, per user and role. */
export class SecurityUnique1700000000500 implements MigrationInterface {
  name = 'SecurityUnique1700000000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE UNIQUE INDEX users_active_username ON users (username) WHERE is_active');
    await runner.query('CREATE UNIQUE INDEX roles_permissions_active ON roles_permissions (role_name, permission) WHERE is_active');
    await runner.query('CREATE UNIQUE INDEX user_roles_active ON user_roles (username, role_name) WHERE is_active');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const index of ['user_roles_active', 'roles_permissions_active', 'users_active_username']) await runner.query(`DROP INDEX ${index}`);
  }
}
