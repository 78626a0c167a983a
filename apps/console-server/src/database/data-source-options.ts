import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { CONSOLE_USERS_ENTITIES, CONSOLE_USERS_MIGRATIONS } from '../console-users';
import type { DatabaseConfig } from '../config/app-config';

/**
 * The one set of DataSource settings, used by the server and by `ormconfig.ts` for the
 * TypeORM CLI. Migrations run at boot; the schema is never synchronized.
 */
export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
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
      // WAL lets readers run while a writer commits; busy_timeout makes writers queue instead of failing.
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return { ...common, type: 'postgres', url: database.url, extra: { max: 10 } };
}
