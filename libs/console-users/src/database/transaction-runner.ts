import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from './data-source.token';
import { serializeSqliteAccess } from './sqlite-access-serializer';

/**
 * Runs units of work in a database transaction. On SQLite the DataSource's access is serialized
 * by {@link serializeSqliteAccess}, so every transaction is really alone
 * there too; nested calls become savepoints of the enclosing transaction.
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
    return this.db.transaction(work);
  }
}

export { isUniqueViolation } from './unique-violation';

/** True when PostgreSQL aborted the transaction to resolve a deadlock or a serialization conflict. */
export function isConcurrencyFailure(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '40P01' || code === '40001';
}
