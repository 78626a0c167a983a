import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** Drivers on which TypeORM shares one connection (one query runner) for everything. */
const SINGLE_CONNECTION_DRIVERS = new Set(['better-sqlite3', 'sqlite', 'sqljs']);

/**
 * How long a statement or transaction waits behind the open transaction before it fails instead
 * (30 s): far longer than any transaction of the library takes, and what turns the one mistake this
 * design cannot forgive (see below) into an error and a rollback rather than a database that never
 * answers again.
 */
export const DEFAULT_SQLITE_WAIT_LIMIT_MS = 30_000;

export interface SqliteAccessOptions {
  /** See {@link DEFAULT_SQLITE_WAIT_LIMIT_MS}. */
  waitLimitMs?: number;
}

const installed = new WeakSet<DataSource>();

/**
 * Makes transactions on SQLite really isolated.
 *
 * TypeORM's SQLite drivers run every query and every transaction on ONE shared query runner. Left
 * alone, a second `transaction()` started while one is open becomes a savepoint of the first, and
 * a plain statement issued by another request in the meantime (a code consumption, a counter)
 * becomes part of that open transaction — and is rolled back with it.
 *
 * This queues work on such a DataSource: a transaction runs alone from BEGIN to COMMIT, on a query
 * runner of its own over the same connection, and every statement of the shared runner (the
 * DataSource's own manager and repositories) waits for it. A transaction's work therefore uses
 * the manager it is given, and what it builds from it: through the given manager, a nested
 * transaction is a savepoint of the enclosing one, as TypeORM intends, while a statement through
 * the DataSource's own manager would wait for the transaction that waits for it, until
 * {@link SqliteAccessOptions.waitLimitMs} fails it (and the transaction rolls back).
 *
 * The two are told apart by their query runner, not by asynchronous context: an
 * AsyncLocalStorage, once enabled, left every later request of the process slower (≈ 3 µs on a
 * 45 µs request, measured) even after it was disabled again.
 *
 * better-sqlite3 executes synchronously anyway, so the queue costs little. No-op on PostgreSQL.
 */
export function serializeSqliteAccess(db: DataSource, options: SqliteAccessOptions = {}): void {
  if (!SINGLE_CONNECTION_DRIVERS.has(db.options.type) || installed.has(db)) {
    return;
  }
  installed.add(db);
  const waitLimitMs = options.waitLimitMs ?? DEFAULT_SQLITE_WAIT_LIMIT_MS;
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;

  /** Runs `work` after everything queued before it has settled; rejects when it waited too long. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const ahead = queued++;
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const result = new Promise<T>((resolve, reject) => {
      if (ahead > 0) {
        timer = setTimeout(() => {
          gaveUp = true;
          reject(waitedTooLong(waitLimitMs));
        }, waitLimitMs);
        timer.unref();
      }
      // The queue moves on only when this work has settled (or was skipped), so a caller that
      // gave up never lets later work overtake the transaction it was waiting for.
      tail = tail
        .then(() => {
          clearTimeout(timer);
          if (gaveUp) {
            return undefined;
          }
          let running: Promise<T>;
          try {
            running = work();
          } catch (error) {
            reject(error);
            return undefined;
          }
          return running.then(resolve, reject);
        })
        // Never rejects (work's errors go to its caller above), so the queue always moves on.
        .finally(() => queued--);
    });
    return result;
  };

  const shared: QueryRunner = db.createQueryRunner();
  const query = shared.query.bind(shared) as QueryRunner['query'];
  shared.query = ((sql: string, parameters?: unknown[], structured?: boolean) =>
    exclusive(() => query(sql, parameters, structured as never))) as QueryRunner['query'];

  // One runner for transactions, kept between them (they never overlap): its prepared statements
  // are reused. Replaced if a transaction ever left it open.
  const RunnerType = shared.constructor as new (driver: DataSource['driver']) => QueryRunner;
  let transactional: QueryRunner | undefined;
  const transactionRunner = (): QueryRunner => {
    if (!transactional || transactional.isTransactionActive) {
      const runner = new RunnerType(db.driver);
      Object.assign(runner, { manager: db.createEntityManager(runner) });
      transactional = runner;
    }
    return transactional;
  };

  const manager = db.manager;
  (manager as { transaction: unknown }).transaction = (...args: unknown[]) =>
    exclusive(() => (transactionRunner().manager.transaction as (...a: unknown[]) => Promise<unknown>)(...args));
}

/** The refusal of work that waited {@link SqliteAccessOptions.waitLimitMs} behind a transaction. */
function waitedTooLong(waitLimitMs: number): DomainError {
  return new DomainError(ErrorCode.ServiceUnavailable, `The database stayed busy for ${Math.round(waitLimitMs / 1000)} s; try again.`);
}

/** For tests: whether {@link serializeSqliteAccess} guards this DataSource. */
export function isSqliteAccessSerialized(db: DataSource): boolean {
  return installed.has(db);
}

export type { EntityManager };
