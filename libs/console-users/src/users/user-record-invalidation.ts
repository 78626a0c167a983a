import type { DataSource, EntityMetadata, EntitySubscriberInterface, InsertEvent, QueryRunner, RemoveEvent, TransactionCommitEvent, TransactionRollbackEvent, UpdateEvent } from 'typeorm';
import { RoleBindingEntity } from '../rbac/role-binding.entity';
import { UserRecordCache } from './user-record-cache';
import { UserEntity } from './user.entity';

/** Marks a query runner whose open transaction wrote users or bindings. */
const WROTE_USERS = 'console-users:wrote-user-records';

/**
 * Drops the {@link UserRecordCache} on every insert, update or delete of a user or a role
 * binding that goes through TypeORM (entity operations and query builders alike), and again when
 * the transaction that made it commits: on PostgreSQL another request may read the old row
 * between the write and the commit, and that read must not stay cached.
 */
export class UserRecordInvalidation implements EntitySubscriberInterface {
  constructor(private readonly cache: UserRecordCache) {}

  /** Subscribes to `db`'s writes. */
  static install(db: DataSource, cache: UserRecordCache): UserRecordInvalidation {
    const subscriber = new UserRecordInvalidation(cache);
    db.subscribers.push(subscriber);
    return subscriber;
  }

  afterInsert(event: InsertEvent<unknown>): void {
    this.wrote(event.metadata, event.queryRunner);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    this.wrote(event.metadata, event.queryRunner);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    this.wrote(event.metadata, event.queryRunner);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (wroteUsers(event.queryRunner)) {
      this.cache.dropAll();
      forgetWhenEnded(event.queryRunner);
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    forgetWhenEnded(event.queryRunner);
  }

  private wrote(metadata: EntityMetadata, queryRunner: QueryRunner): void {
    if (metadata.target !== UserEntity && metadata.target !== RoleBindingEntity) {
      return;
    }
    this.cache.dropAll();
    if (queryRunner.isTransactionActive) {
      (queryRunner.data as Record<string, unknown>)[WROTE_USERS] = true;
    }
  }
}

function wroteUsers(queryRunner: QueryRunner): boolean {
  return (queryRunner.data as Record<string, unknown> | undefined)?.[WROTE_USERS] === true;
}

/** The mark stays through a savepoint's end: the enclosing transaction has yet to commit. */
function forgetWhenEnded(queryRunner: QueryRunner): void {
  if (!queryRunner.isTransactionActive) {
    delete (queryRunner.data as Record<string, unknown> | undefined)?.[WROTE_USERS];
  }
}
