import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const instant = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const json = (name: string): TableColumnOptions => ({ name, type: 'text' });
const flag = (name: string, defaultValue: boolean | null): TableColumnOptions => ({
  name,
  type: 'boolean',
  isNullable: defaultValue === null,
  ...(defaultValue === null ? {} : { default: defaultValue }),
});
const integer = (name: string, defaultValue?: number): TableColumnOptions => ({
  name,
  type: 'integer',
  isNullable: defaultValue === undefined,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});

/**
 * Users, roles, role bindings, sessions, personal access tokens and rate-limit buckets.
 * Written with TypeORM's schema API so one migration serves SQLite and PostgreSQL.
 */
export class InitialSchema1763791200000 implements MigrationInterface {
  name = 'InitialSchema1763791200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          text('name', 63),
          text('display_name', 255),
          text('display_name_lower', 255),
          text('email', 254, true),
          text('email_lower', 254, true),
          flag('email_verified', false),
          text('verified_email', 254, true),
          text('avatar', 1024, true),
          text('phone', 64, true),
          { name: 'bio', type: 'text', isNullable: true },
          text('password_hash', 255, true),
          text('totp_encrypted_secret', 512, true),
          flag('two_factor_auth_enabled', null),
          flag('disabled', false),
          instant('registered_at', true),
          integer('login_history_limit'),
          text('language', 16, true),
          json('labels'),
          json('annotations'),
          integer('version', 0),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'ux_users_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'ix_users_display_name_lower', columnNames: ['display_name_lower'] }),
          new TableIndex({ name: 'ix_users_email_lower', columnNames: ['email_lower'] }),
          new TableIndex({ name: 'ux_users_verified_email', columnNames: ['verified_email'], isUnique: true }),
          new TableIndex({ name: 'ix_users_disabled', columnNames: ['disabled'] }),
          new TableIndex({ name: 'ix_users_created_at', columnNames: ['created_at'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'roles',
        columns: [id, text('name', 253), json('labels'), json('annotations'), json('rules'), integer('version', 0), instant('created_at')],
        indices: [new TableIndex({ name: 'ux_roles_name', columnNames: ['name'], isUnique: true })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'role_bindings',
        columns: [id, text('name', 253), text('role_name', 253), text('subject_name', 63), instant('created_at')],
        indices: [
          new TableIndex({ name: 'ux_role_bindings_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'ix_role_bindings_role_name', columnNames: ['role_name'] }),
          new TableIndex({
            name: 'ux_role_bindings_subject_role',
            columnNames: ['subject_name', 'role_name'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id,
          text('token_hash', 64),
          { name: 'user_id', type: 'integer' },
          instant('created_at'),
          instant('last_seen_at'),
          instant('expires_at'),
          instant('revoked_at', true),
          text('ip', 64, true),
          text('user_agent', 512, true),
        ],
        indices: [
          new TableIndex({ name: 'ux_sessions_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_sessions_user_id', columnNames: ['user_id'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'personal_access_tokens',
        columns: [
          id,
          text('name', 253),
          { name: 'user_id', type: 'integer' },
          text('username', 63),
          text('display_name', 255),
          { name: 'description', type: 'text', isNullable: true },
          json('roles'),
          json('scopes'),
          text('token_hash', 64),
          instant('expires_at', true),
          flag('revoked', false),
          instant('revokes_at', true),
          instant('last_used', true),
          integer('version', 0),
          instant('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ux_pats_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'ix_pats_user_id', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ux_pats_token_hash', columnNames: ['token_hash'], isUnique: true }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'rate_limit_buckets',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'hits', type: 'integer' },
          instant('expires_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['rate_limit_buckets', 'personal_access_tokens', 'sessions', 'role_bindings', 'roles', 'users']) {
      await queryRunner.dropTable(table);
    }
  }
}
