import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from './data-source.token';

/** Drivers that keep a single connection, on which TypeORM would nest concurrent transactions. */
const SINGLE_CONNECTION_DRIVERS = new Set(['better-sqlite3', 'sqlite', 'sqljs', 'capacitor', 'cordova', 'expo', 'nativescript', 'react-native']);

/**
 * Runs units of work in a database transaction.
 *
 * On SQLite TypeORM shares one connection: a second `transaction()` started while another is open
 * becomes a savepoint of the first, so the two commit or roll back together. This runner queues
 * transactions on such drivers so each one is really alone; on PostgreSQL it is a plain
 * `DataSource.transaction`.
 */
@Injectable()
export class TransactionRunner {
  private readonly serialized: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.serialized = SINGLE_CONNECTION_DRIVERS.has(db.options.type);
  }

  /** True on PostgreSQL, where row locks and advisory locks exist. */
  get supportsLocking(): boolean {
    return this.db.options.type === 'postgres';
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.serialized) {
      return this.db.transaction(work);
    }
    const result = this.tail.then(() => this.db.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
