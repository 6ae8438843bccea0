import type { MigrationInterface, QueryRunner } from 'typeorm';
import { auditedTableDdl, ENTITY_COLUMNS } from '@kb/platform';

export class Security1700000000200 implements MigrationInterface {
  name = 'Security1700000000200';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      ...auditedTableDdl(
        'users',
        [
          ...ENTITY_COLUMNS,
          'username varchar(128) NOT NULL',
          'password varchar(128) NOT NULL',
          'password_salt varchar(128) NOT NULL',
          'is_active boolean NOT NULL',
        ],
        { excludeFromHistory: ['password', 'password_salt'] },
      ),
      'CREATE INDEX users_username ON users (username)',
      ...auditedTableDdl('user_roles', [...ENTITY_COLUMNS, 'username varchar(128) NOT NULL', 'role_name varchar(128) NOT NULL', 'is_active boolean NOT NULL']),
      'CREATE INDEX user_roles_username ON user_roles (username)',
      ...auditedTableDdl('roles_permissions', [
        ...ENTITY_COLUMNS,
        'role_name varchar(128) NOT NULL',
        'permission varchar(255) NOT NULL',
        'is_active boolean NOT NULL',
      ]),
      'CREATE INDEX roles_permissions_role_name ON roles_permissions (role_name)',
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['roles_permissions_history', 'roles_permissions', 'user_roles_history', 'user_roles', 'users_history', 'users']) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
