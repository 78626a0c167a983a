import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Drivers on which TypeORM shares one connection (one query runner) for everything. */
const SINGLE_CONNECTION_DRIVERS = new Set(['better-sqlite3', 'sqlite', 'sqljs']);

const installed = new WeakSet<DataSource>();

/**
 * Makes transactions on SQLite really isolated.
 *
 * TypeORM's SQLite drivers run every query and every transaction on ONE shared connection. Left
 * alone, a second `transaction()` started while one is open becomes a savepoint of the first, and
 * a plain statement issued by another request in the meantime (a code consumption, a counter)
 * becomes part of that open transaction — and is rolled back with it. This queues work on such a
 * DataSource: a transaction runs alone from BEGIN to COMMIT, statements of other requests wait
 * for it, and statements of the transaction itself (recognised through AsyncLocalStorage) pass.
 * Nested transactions become savepoints of the enclosing one, as TypeORM intends.
 *
 * better-sqlite3 executes synchronously anyway, so the queue costs little. No-op on PostgreSQL.
 */
export function serializeSqliteAccess(db: DataSource): void {
  if (!SINGLE_CONNECTION_DRIVERS.has(db.options.type) || installed.has(db)) {
    return;
  }
  installed.add(db);
  const context = new AsyncLocalStorage<symbol>();
  let active: symbol | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  const inActiveTransaction = () => active !== undefined && context.getStore() === active;
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };

  const runner: QueryRunner = db.createQueryRunner();
  const query = runner.query.bind(runner) as QueryRunner['query'];
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
    inActiveTransaction() ? query(sql, parameters, structured as never) : exclusive(() => query(sql, parameters, structured as never))) as QueryRunner['query'];

  const manager = db.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  (manager as { transaction: unknown }).transaction = (...args: unknown[]) => {
    if (inActiveTransaction()) {
      return transaction(...args);
    }
    const token = Symbol('sqlite-transaction');
    return exclusive(async () => {
      active = token;
      try {
        return await context.run(token, () => transaction(...args));
      } finally {
        active = undefined;
        // An enabled AsyncLocalStorage keeps Node's promise hooks on for every promise of the
        // process (a few % of each request's CPU); only a transaction needs them, so they are
        // off between transactions (the next run() turns them on again).
        context.disable();
      }
    });
  };
}

/** For tests: whether {@link serializeSqliteAccess} guards this DataSource. */
export function isSqliteAccessSerialized(db: DataSource): boolean {
  return installed.has(db);
}

export type { EntityManager };
