import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { DISPLAY_NAME_FTS_TABLE, ensureUserListingObjects, isPostgres } from '../user-listing-objects';

/**
 * What ListUsers needs to stay fast as users grow (issue 3):
 *
 * - `ix_users_created_name`: Halo's default order (`creationTimestamp desc, name asc`) straight from
 *   one index, covering the id so deep pages walk the index only;
 * - `ix_role_bindings_role_subject`: the role filter and its count from the bindings index;
 * - `fk_role_bindings_subject`: every binding names an existing user (deleted with it), so counting
 *   a role's holders needs the bindings index only;
 * - `user_labels`: the label index behind `labelSelector`, kept in step with `users.labels` by triggers;
 * - `row_counts`: the number of users and a change counter, kept by triggers, so the unfiltered total
 *   costs one row read instead of a scan, and page anchors cached by the repository know when they
 *   are stale;
 * - display-name substring search: a `pg_trgm` GIN index on PostgreSQL, an FTS5 trigram table on
 *   SQLite (both optional: when the extension or module is missing the query falls back to a scan).
 *
 * Tables and plain indexes use TypeORM's schema API; triggers, the descending index and the text
 * search pieces have no portable form: {@link ensureUserListingObjects} writes them per dialect.
 */
export class UserListingIndexes1763791300000 implements MigrationInterface {
  name = 'UserListingIndexes1763791300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = isPostgres(queryRunner);

    await queryRunner.dropIndex('users', 'ix_users_created_at');

    await queryRunner.dropIndex('role_bindings', 'ix_role_bindings_role_name');
    await queryRunner.createIndex(
      'role_bindings',
      new TableIndex({ name: 'ix_role_bindings_role_subject', columnNames: ['role_name', 'subject_name'] }),
    );
    // Halo could leave bindings behind for users that never existed; they bind nobody.
    await queryRunner.query('DELETE FROM role_bindings WHERE subject_name NOT IN (SELECT name FROM users)');
    await queryRunner.createForeignKey(
      'role_bindings',
      new TableForeignKey({
        name: 'fk_role_bindings_subject',
        columnNames: ['subject_name'],
        referencedTableName: 'users',
        referencedColumnNames: ['name'],
        onDelete: 'CASCADE',
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'user_labels',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'label_key', type: 'varchar', length: '317', isPrimary: true },
          { name: 'label_value', type: 'text' },
        ],
        indices: [new TableIndex({ name: 'ix_user_labels_key_value', columnNames: ['label_key', 'label_value'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'row_counts',
        columns: [
          { name: 'table_name', type: 'varchar', length: '63', isPrimary: true },
          { name: 'row_count', type: 'bigint' },
          { name: 'change_count', type: 'bigint', default: 0 },
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO row_counts (table_name, row_count) SELECT 'users', COUNT(*) FROM users`);

    await queryRunner.query(
      postgres
        ? `INSERT INTO user_labels (user_id, label_key, label_value)
             SELECT u.id, l.key, l.value FROM users u, json_each_text(u.labels::json) AS l`
        : `INSERT INTO user_labels (user_id, label_key, label_value)
             SELECT u.id, l.key, l.value FROM users u, json_each(u.labels) AS l`,
    );

    await ensureUserListingObjects(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (isPostgres(queryRunner)) {
      await queryRunner.query('DROP INDEX IF EXISTS ix_users_display_name_trgm');
      await queryRunner.query('DROP TRIGGER IF EXISTS users_count_reordered ON users');
      await queryRunner.query('DROP TRIGGER IF EXISTS users_count_deleted ON users');
      await queryRunner.query('DROP TRIGGER IF EXISTS users_count_inserted ON users');
      await queryRunner.query('DROP TRIGGER IF EXISTS users_sync_labels ON users');
      await queryRunner.query('DROP FUNCTION IF EXISTS console_users_count_reordered()');
      await queryRunner.query('DROP FUNCTION IF EXISTS console_users_count_deleted()');
      await queryRunner.query('DROP FUNCTION IF EXISTS console_users_count_inserted()');
      await queryRunner.query('DROP FUNCTION IF EXISTS console_users_sync_labels()');
    } else {
      for (const trigger of [
        'users_display_name_fts_updated',
        'users_display_name_fts_deleted',
        'users_display_name_fts_inserted',
        'users_count_reordered',
        'users_count_deleted',
        'users_count_inserted',
        'users_labels_deleted',
        'users_labels_updated',
        'users_labels_inserted',
      ]) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS ${trigger}`);
      }
      await queryRunner.query(`DROP TABLE IF EXISTS ${DISPLAY_NAME_FTS_TABLE}`);
    }
    await queryRunner.dropTable('row_counts');
    await queryRunner.dropTable('user_labels');
    await queryRunner.dropForeignKey('role_bindings', 'fk_role_bindings_subject');
    await queryRunner.dropIndex('role_bindings', 'ix_role_bindings_role_subject');
    await queryRunner.createIndex('role_bindings', new TableIndex({ name: 'ix_role_bindings_role_name', columnNames: ['role_name'] }));
    await queryRunner.query('DROP INDEX ix_users_created_name');
    await queryRunner.createIndex('users', new TableIndex({ name: 'ix_users_created_at', columnNames: ['created_at'] }));
  }
}
