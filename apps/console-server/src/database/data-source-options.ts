import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { CONSOLE_USERS_ENTITIES, CONSOLE_USERS_MIGRATIONS } from '../console-users';
import type { DatabaseConfig } from '../config/app-config';
import type { CircuitBreaker } from './circuit-breaker';
import { guardedPg } from './guarded-pg';
import { checkpointInBackground, SqliteConnection } from './wal-checkpointer';

/** How much longer than `statement_timeout` the client waits before it gives up on its own. */
const CLIENT_TIMEOUT_MARGIN_MS = 250;

/**
 * The one set of DataSource settings, used by the server and by `ormconfig.ts` for the
 * TypeORM CLI. Migrations run at boot; the schema is never synchronized.
 */
export function dataSourceOptions(database: DatabaseConfig, breaker?: CircuitBreaker): DataSourceOptions {
  const common = {
    entities: [...CONSOLE_USERS_ENTITIES],
    migrations: [...CONSOLE_USERS_MIGRATIONS],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  };
  if (database.type === 'sqlite') {
    if (database.path !== ':memory:') {
      // Private: the file holds password hashes and session hashes.
      mkdirSync(dirname(database.path), { recursive: true, mode: 0o700 });
    }
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL lets readers run while a writer commits; busy_timeout makes writers queue instead of
      // failing; checkpoints run in a worker thread, not inside a request's commit.
      prepareDatabase: (db: SqliteConnection) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        if (database.path !== ':memory:') {
          checkpointInBackground(db);
        }
      },
    };
  }
  const pool = database.pool;
  return {
    ...common,
    type: 'postgres',
    url: database.url,
    // With a breaker, pg's Pool refuses checkouts at once while the database is known to be down.
    ...(breaker ? { driver: guardedPg(breaker) } : {}),
    ...(pool ? { connectTimeoutMS: pool.connectTimeoutMs } : {}),
    extra: pool
      ? {
          max: pool.size,
          idleTimeoutMillis: pool.idleTimeoutMs,
          // Server side: a statement that runs too long is cancelled (SQLSTATE 57014 → 503).
          statement_timeout: pool.statementTimeoutMs,
          // Client side: a server that is frozen (stopped, or behind a network black hole) never
          // answers, so the client stops waiting itself; its connection is then dropped.
          query_timeout: pool.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
          // A transaction left open by a crashed request must not hold its locks forever.
          idle_in_transaction_session_timeout: Math.max(10_000, pool.statementTimeoutMs * 4),
        }
      : { max: 10 },
  };
}
