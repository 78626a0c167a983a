import type { QueryRunner } from 'typeorm';

/** Name of the SQLite FTS5 trigram table that indexes `users.display_name_lower` for substring search. */
export const DISPLAY_NAME_FTS_TABLE = 'users_display_name_fts';

/** True when the query runner talks to PostgreSQL (everything else supported is SQLite). */
export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.driver.options.type === 'postgres';
}

/**
 * (Re)creates, idempotently, the objects of the `users` table that TypeORM's schema API cannot
 * express: the descending sort index, the triggers that keep `user_labels`, `row_counts` and the
 * display-name search index in step, and the search index itself. `row_counts.change_count` moves
 * whenever the set of users or their order keys (`created_at`, `name`) change.
 *
 * **Call this at the end of any later migration that alters `users` on SQLite**: TypeORM's SQLite
 * runner rebuilds the table for `addColumn`/`changeColumn`, which drops its triggers and loses the
 * index's sort order. The backfills are not repeated here; a rebuild keeps ids, so the label and
 * count tables stay valid.
 */
export async function ensureUserListingObjects(queryRunner: QueryRunner): Promise<void> {
  if (isPostgres(queryRunner)) {
    await ensurePostgres(queryRunner);
  } else {
    await ensureSqlite(queryRunner);
  }
}

async function ensurePostgres(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    'CREATE INDEX IF NOT EXISTS ix_users_created_name ON users (created_at DESC, name ASC) INCLUDE (id)',
  );
  await queryRunner.query(`
    CREATE OR REPLACE FUNCTION console_users_sync_labels() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM user_labels WHERE user_id = OLD.id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO user_labels (user_id, label_key, label_value)
          SELECT NEW.id, l.key, l.value FROM json_each_text(NEW.labels::json) AS l;
      END IF;
      RETURN NULL;
    END $$`);
  await queryRunner.query('DROP TRIGGER IF EXISTS users_sync_labels ON users');
  await queryRunner.query(`
    CREATE TRIGGER users_sync_labels AFTER INSERT OR DELETE OR UPDATE OF labels ON users
      FOR EACH ROW EXECUTE FUNCTION console_users_sync_labels()`);

  // Statement-level with transition tables: a bulk insert moves the counter once, not per row.
  await queryRunner.query(`
    CREATE OR REPLACE FUNCTION console_users_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE row_counts SET row_count = row_count + (SELECT COUNT(*) FROM inserted_rows), change_count = change_count + 1
        WHERE table_name = 'users';
      RETURN NULL;
    END $$`);
  await queryRunner.query(`
    CREATE OR REPLACE FUNCTION console_users_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE row_counts SET row_count = row_count - (SELECT COUNT(*) FROM deleted_rows), change_count = change_count + 1
        WHERE table_name = 'users';
      RETURN NULL;
    END $$`);
  await queryRunner.query('DROP TRIGGER IF EXISTS users_count_inserted ON users');
  await queryRunner.query(`
    CREATE TRIGGER users_count_inserted AFTER INSERT ON users REFERENCING NEW TABLE AS inserted_rows
      FOR EACH STATEMENT EXECUTE FUNCTION console_users_count_inserted()`);
  await queryRunner.query('DROP TRIGGER IF EXISTS users_count_deleted ON users');
  await queryRunner.query(`
    CREATE TRIGGER users_count_deleted AFTER DELETE ON users REFERENCING OLD TABLE AS deleted_rows
      FOR EACH STATEMENT EXECUTE FUNCTION console_users_count_deleted()`);
  await queryRunner.query(`
    CREATE OR REPLACE FUNCTION console_users_count_reordered() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE row_counts SET change_count = change_count + 1 WHERE table_name = 'users';
      RETURN NULL;
    END $$`);
  await queryRunner.query('DROP TRIGGER IF EXISTS users_count_reordered ON users');
  await queryRunner.query(`
    CREATE TRIGGER users_count_reordered AFTER UPDATE OF created_at, name ON users
      FOR EACH STATEMENT EXECUTE FUNCTION console_users_count_reordered()`);

  // pg_trgm is a trusted extension (PostgreSQL ≥ 13), but a host may not ship it or may deny
  // CREATE: the savepoint keeps the migration alive, and display-name search then scans.
  await queryRunner.query('SAVEPOINT console_users_trgm');
  try {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS ix_users_display_name_trgm ON users USING gin (display_name_lower gin_trgm_ops)',
    );
    await queryRunner.query('RELEASE SAVEPOINT console_users_trgm');
  } catch {
    await queryRunner.query('ROLLBACK TO SAVEPOINT console_users_trgm');
  }
}

async function ensureSqlite(queryRunner: QueryRunner): Promise<void> {
  // A rebuilt table keeps the index name but not its DESC column: always recreate it.
  await queryRunner.query('DROP INDEX IF EXISTS ix_users_created_name');
  await queryRunner.query('CREATE INDEX ix_users_created_name ON users (created_at DESC, name ASC)');

  await queryRunner.query(`
    CREATE TRIGGER IF NOT EXISTS users_labels_inserted AFTER INSERT ON users BEGIN
      INSERT INTO user_labels (user_id, label_key, label_value)
        SELECT new.id, key, value FROM json_each(new.labels);
    END`);
  await queryRunner.query(`
    CREATE TRIGGER IF NOT EXISTS users_labels_updated AFTER UPDATE OF labels ON users BEGIN
      DELETE FROM user_labels WHERE user_id = old.id;
      INSERT INTO user_labels (user_id, label_key, label_value)
        SELECT new.id, key, value FROM json_each(new.labels);
    END`);
  await queryRunner.query(`
    CREATE TRIGGER IF NOT EXISTS users_labels_deleted AFTER DELETE ON users BEGIN
      DELETE FROM user_labels WHERE user_id = old.id;
    END`);

  await queryRunner.query(`
    CREATE TRIGGER IF NOT EXISTS users_count_inserted AFTER INSERT ON users BEGIN
      UPDATE row_counts SET row_count = row_count + 1, change_count = change_count + 1 WHERE table_name = 'users';
    END`);
  await queryRunner.query(`
    CREATE TRIGGER IF NOT EXISTS users_count_deleted AFTER DELETE ON users BEGIN
      UPDATE row_counts SET row_count = row_count - 1, change_count = change_count + 1 WHERE table_name = 'users';
    END`);
  await queryRunner.query(`
    CREATE TRIGGER IF NOT EXISTS users_count_reordered AFTER UPDATE OF created_at, name ON users BEGIN
      UPDATE row_counts SET change_count = change_count + 1 WHERE table_name = 'users';
    END`);

  // FTS5 ships with better-sqlite3; another SQLite build may lack it, and search then scans.
  await queryRunner.query('SAVEPOINT console_users_fts');
  try {
    await queryRunner.query(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${DISPLAY_NAME_FTS_TABLE} USING fts5(display_name_lower, content='users', content_rowid='id', tokenize='trigram')`,
    );
    await queryRunner.query(`
      CREATE TRIGGER IF NOT EXISTS users_display_name_fts_inserted AFTER INSERT ON users BEGIN
        INSERT INTO ${DISPLAY_NAME_FTS_TABLE} (rowid, display_name_lower) VALUES (new.id, new.display_name_lower);
      END`);
    await queryRunner.query(`
      CREATE TRIGGER IF NOT EXISTS users_display_name_fts_deleted AFTER DELETE ON users BEGIN
        INSERT INTO ${DISPLAY_NAME_FTS_TABLE} (${DISPLAY_NAME_FTS_TABLE}, rowid, display_name_lower) VALUES ('delete', old.id, old.display_name_lower);
      END`);
    await queryRunner.query(`
      CREATE TRIGGER IF NOT EXISTS users_display_name_fts_updated AFTER UPDATE OF display_name_lower ON users BEGIN
        INSERT INTO ${DISPLAY_NAME_FTS_TABLE} (${DISPLAY_NAME_FTS_TABLE}, rowid, display_name_lower) VALUES ('delete', old.id, old.display_name_lower);
        INSERT INTO ${DISPLAY_NAME_FTS_TABLE} (rowid, display_name_lower) VALUES (new.id, new.display_name_lower);
      END`);
    await queryRunner.query(`INSERT INTO ${DISPLAY_NAME_FTS_TABLE} (${DISPLAY_NAME_FTS_TABLE}) VALUES ('rebuild')`);
    await queryRunner.query('RELEASE SAVEPOINT console_users_fts');
  } catch {
    await queryRunner.query('ROLLBACK TO SAVEPOINT console_users_fts');
  }
}
