import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from './data-source.token';
import { serializeSqliteAccess } from './sqlite-access-serializer';

/** Work waiting for the commit of the outermost transaction a manager belongs to. */
const pendingHooks = new WeakMap<EntityManager, Set<() => void>>();

/**
 * Runs `work` in a transaction of `db`, then the after-commit hooks registered on its manager.
 * A rollback drops them. Where a nested call shares the enclosing transaction's manager (a
 * savepoint: TypeORM's SQLite drivers without {@link serializeSqliteAccess}), its hooks wait for
 * the outermost commit. Under that serializer, work nests through the manager it was given, not
 * through another call here, which would wait for the enclosing transaction to end.
 */
export async function runTransaction<T>(db: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  let own: Set<() => void> | undefined;
  const result = await db.transaction(async (manager) => {
    if (pendingHooks.has(manager)) {
      return work(manager);
    }
    own = new Set();
    pendingHooks.set(manager, own);
    try {
      return await work(manager);
    } finally {
      pendingHooks.delete(manager);
    }
  });
  for (const hook of own ?? []) {
    try {
      hook();
    } catch {
      // The change is committed: a failing hook (a wake-up call) must not report it as failed.
    }
  }
  return result;
}

/**
 * Runs `hook` once the transaction of `manager` has committed (once per transaction for the
 * same function). A manager outside any transaction of {@link runTransaction} has nothing to wait
 * for: the hook runs at once.
 */
export function afterCommit(manager: EntityManager | undefined, hook: () => void): void {
  const hooks = manager ? pendingHooks.get(manager) : undefined;
  if (hooks) {
    hooks.add(hook);
  } else {
    hook();
  }
}

/**
 * The one way the library opens a transaction. On SQLite the DataSource's access is serialized
 * by {@link serializeSqliteAccess}, so every transaction is really alone there too; its work uses
 * the manager it is given (a nested `manager.transaction` is a savepoint). Work that must wait for the commit (waking the
 * outbox worker) hangs on {@link afterCommit} instead of on every caller's memory.
 */
@Injectable()
export class TransactionRunner {
  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    // Idempotent; also covers a runner built outside the module (integration tests, scripts).
    serializeSqliteAccess(db);
  }

  /** True on PostgreSQL, where row locks and advisory locks exist. */
  get supportsLocking(): boolean {
    return this.db.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return runTransaction(this.db, work);
  }

  /** See {@link afterCommit}. */
  afterCommit(manager: EntityManager | undefined, hook: () => void): void {
    afterCommit(manager, hook);
  }
}

export { isUniqueViolation } from './unique-violation';

/** True when PostgreSQL aborted the transaction to resolve a deadlock or a serialization conflict. */
export function isConcurrencyFailure(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '40P01' || code === '40001';
}
