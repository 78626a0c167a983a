import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { In, Not } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { EntityUpdate } from '../database/entity-update';
import { EntityByColumn } from '../database/entity-by-column';
import { runSql } from '../database/sql';
import { RoleBindingEntity } from '../rbac/role-binding.entity';
import type { NewUser } from './new-user';
import { UserEntity } from './user.entity';
import { PageAnchorCache } from './page-anchors';
import { SYSTEM_USER_NAMES } from './system-users';
import { excludedNamesOnly, USER_SORT_COLUMNS, UserCriteriaSql, UserListCriteria } from './user-list-criteria';

export type { NewUser } from './new-user';
export { USER_FILTER_FIELDS, USER_SORT_COLUMNS } from './user-list-criteria';
export type { UserListCriteria, UserFilterField } from './user-list-criteria';

/** Columns a caller may change; the derived ones follow by themselves. */
export type UserChanges = Partial<Omit<UserEntity, 'id' | 'name' | 'version' | 'createdAt' | 'displayNameLower' | 'emailLower' | 'verifiedEmail'>>;

/** A page of users and the number of all matches. */
export interface UserPage {
  total: number;
  users: UserEntity[];
}

/** Fixed key of the PostgreSQL advisory lock that serializes changes to who holds super-role. */
const ADMIN_SET_LOCK_KEY = 7_363_112_011;

/** Queries on users. Password hashes are only loaded by the methods that say so. */
@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserEntity>;

  private readonly criteriaSql: UserCriteriaSql;

  private readonly pageAnchors: PageAnchorCache;

  private readonly byColumn: EntityByColumn<UserEntity>;

  private readonly withPasswordByColumn: EntityByColumn<UserEntity>;

  private readonly updates: EntityUpdate<UserEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.users = db.getRepository(UserEntity);
    this.criteriaSql = new UserCriteriaSql(db);
    this.pageAnchors = new PageAnchorCache(db);
    this.byColumn = new EntityByColumn(db, UserEntity);
    this.withPasswordByColumn = new EntityByColumn(db, UserEntity, ['passwordHash']);
    this.updates = new EntityUpdate(db, UserEntity, 'version');
  }

  repository(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }

  // Every authenticated request reads the caller's user: by a statement prepared once.
  findByName(name: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.byColumn.findOne('name', name, manager);
  }

  findById(id: number, manager?: EntityManager): Promise<UserEntity | null> {
    return this.byColumn.findOne('id', id, manager);
  }

  findByNames(names: string[]): Promise<UserEntity[]> {
    return names.length === 0 ? Promise.resolve([]) : this.users.find({ where: { name: In(names) } });
  }

  /**
   * The user and its password hash, for credential checks only. By a prepared statement: every
   * login reads it, too rarely for V8 to optimize the query builder.
   */
  findWithPasswordByName(name: string): Promise<UserEntity | null> {
    return this.withPasswordByColumn.findOne('name', name);
  }

  /** The user holding `emailLower` as a verified address, with its password hash. */
  findWithPasswordByVerifiedEmail(emailLower: string): Promise<UserEntity | null> {
    return this.withPasswordByColumn.findOne('verifiedEmail', emailLower);
  }

  /** The user holding `emailLower` as its verified address, if any. */
  findByVerifiedEmail(emailLower: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOne({ where: { verifiedEmail: emailLower } });
  }

  findPasswordHash(id: number): Promise<string | null> {
    return this.users
      .createQueryBuilder('u')
      .select('u.id')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne()
      .then((u) => u?.passwordHash ?? null);
  }

  /**
   * Swaps the password hash for another form of the same password (an imported hash rehashed at
   * login), only if it is still `expected`: a password changed meanwhile is never overwritten.
   * Not a change of the user: version and sessions stay as they are.
   */
  async replacePasswordHash(id: number, expected: string, next: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(UserEntity)
      .set({ passwordHash: next })
      .where('id = :id AND password_hash = :expected', { id, expected })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * The user row, locked for the rest of the transaction on PostgreSQL (SQLite transactions are
   * already serialized by the TransactionRunner).
   */
  findForUpdate(manager: EntityManager, name: string, locking: boolean): Promise<UserEntity | null> {
    const qb = manager.getRepository(UserEntity).createQueryBuilder('u').where('u.name = :name', { name });
    if (locking) {
      qb.setLock('pessimistic_write');
    }
    return qb.getOne();
  }

  /** {@link findForUpdate} by id. */
  findByIdForUpdate(manager: EntityManager, id: number, locking: boolean): Promise<UserEntity | null> {
    const qb = manager.getRepository(UserEntity).createQueryBuilder('u').where('u.id = :id', { id });
    if (locking) {
      qb.setLock('pessimistic_write');
    }
    return qb.getOne();
  }

  /**
   * Serializes, on PostgreSQL, every transaction that may shrink the set of enabled super-role
   * users, so two of them cannot each leave the other as the last one.
   */
  async lockAdministratorSet(manager: EntityManager, locking: boolean): Promise<void> {
    if (locking) {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK_KEY]);
    }
  }

  /** Enabled users other than `exceptName` that are bound to `roleName`. */
  async countEnabledWithRole(manager: EntityManager, roleName: string, exceptName: string): Promise<number> {
    const rows = await runSql<{ count: string | number }>(
      manager,
      `SELECT COUNT(*) AS count FROM users u JOIN role_bindings b ON b.subject_name = u.name
        WHERE b.role_name = :roleName AND u.disabled = :no AND u.name <> :exceptName`,
      { roleName, exceptName, no: false },
    );
    return Number(rows[0]?.count ?? 0);
  }

  async deleteById(manager: EntityManager, id: number): Promise<void> {
    await manager.getRepository(UserEntity).delete({ id });
  }

  /**
   * One page of a filtered, sorted user list and the number of all matches. Only ids are read in
   * index order (an index-only walk, even for deep pages); the rows are then loaded by id. A page
   * past the middle is read from the other end in reversed order, so no page walks more than half
   * of the matches.
   */
  async list(criteria: UserListCriteria): Promise<UserPage> {
    let read: Promise<{ rows: number; changes: number }> | undefined;
    const counter = () => (read ??= this.counter());
    const total = await this.countMatching(criteria, counter);
    const start = criteria.offset;
    if (start >= total || criteria.limit <= 0) {
      return { total, users: [] };
    }
    const end = Math.min(start + criteria.limit, total);
    const qb = this.users.createQueryBuilder('u').select('u.id', 'id');
    await this.criteriaSql.apply(qb, criteria);
    const anchor = start >= this.anchorStep ? await this.pageAnchors.anchorFor(criteria, start, counter) : undefined;
    const fromEnd = !anchor && total - end < start;
    for (const order of criteria.sort) {
      const direction = (order.direction === 'asc') !== fromEnd ? 'ASC' : 'DESC';
      qb.addOrderBy(`u.${USER_SORT_COLUMNS[order.key]}`, direction);
    }
    if (anchor) {
      // Start the walk at the anchor's row instead of the first one. The plain `<=` is redundant
      // but gives PostgreSQL an index bound (it cannot derive one from the OR).
      qb.andWhere(
        '(u.created_at <= :anchorCreatedAt AND (u.created_at < :anchorCreatedAt OR u.name >= :anchorName))',
        {
          anchorCreatedAt: anchor.createdAt,
          anchorName: anchor.name,
        },
      );
      qb.offset(start - anchor.position).limit(end - start);
    } else {
      qb.offset(fromEnd ? total - end : start).limit(end - start);
    }
    const ids = (await qb.getRawMany<{ id: number | string }>()).map((row) => Number(row.id));
    if (fromEnd) {
      ids.reverse();
    }
    const rows = ids.length === 0 ? [] : await this.users.find({ where: { id: In(ids) } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return { total, users: ids.map((id) => byId.get(id)).filter((u): u is UserEntity => u !== undefined) };
  }

  /** Number of users, read from the trigger-maintained counter. */
  async rowCount(): Promise<number> {
    return (await this.counter()).rows;
  }

  /** The trigger-maintained number of users and change counter. */
  private async counter(): Promise<{ rows: number; changes: number }> {
    const rows = await runSql<{ row_count: string | number; change_count: string | number }>(
      this.db,
      `SELECT row_count, change_count FROM row_counts WHERE table_name = :table`,
      { table: 'users' },
    );
    return rows.length > 0
      ? { rows: Number(rows[0]!.row_count), changes: Number(rows[0]!.change_count) }
      : { rows: await this.users.count(), changes: Number.NaN };
  }

  private async countMatching(criteria: UserListCriteria, counter: () => Promise<{ rows: number }>): Promise<number> {
    const excluded = excludedNamesOnly(criteria);
    if (excluded && criteria.role === undefined) {
      // The console's default list (`name!=anonymousUser`, `name!=ghost`) costs two lookups, not a scan.
      const all = (await counter()).rows;
      const present = excluded.length === 0 ? 0 : await this.users.count({ where: { name: In(excluded) } });
      return all - present;
    }
    if (excluded) {
      // Every binding names an existing user (foreign key), so the bindings index alone counts a role.
      const qb = this.db
        .getRepository(RoleBindingEntity)
        .createQueryBuilder('rb')
        .select('COUNT(*)', 'count')
        .where('rb.role_name = :role', { role: criteria.role });
      if (excluded.length > 0) {
        qb.andWhere('rb.subject_name NOT IN (:...excluded)', { excluded });
      }
      return Number((await qb.getRawOne<{ count: string | number }>())?.count ?? 0);
    }
    const qb = this.users.createQueryBuilder('u').select('COUNT(*)', 'count');
    await this.criteriaSql.apply(qb, criteria);
    const row = await qb.getRawOne<{ count: string | number }>();
    return Number(row?.count ?? 0);
  }

  /** Waits for anchor rebuilds in progress (tests and benchmarks use it to reach a steady state). */
  settleAnchors(): Promise<void> {
    return this.pageAnchors.settle();
  }

  /** Rows between two page anchors; smaller in tests so a few hundred users exercise them. */
  get anchorStep(): number {
    return this.pageAnchors.step;
  }

  set anchorStep(step: number) {
    this.pageAnchors.step = step;
  }

  /** Least time between two rebuilds of one anchor set; 0 in tests. */
  get anchorRebuildIntervalMs(): number {
    return this.pageAnchors.rebuildIntervalMs;
  }

  set anchorRebuildIntervalMs(ms: number) {
    this.pageAnchors.rebuildIntervalMs = ms;
  }

  /** Number of real (non-system) users. */
  countRealUsers(): Promise<number> {
    return this.users.count({ where: { name: Not(In([...SYSTEM_USER_NAMES])) } });
  }

  async insert(user: NewUser, now: Date, manager?: EntityManager): Promise<UserEntity> {
    const repo = this.repository(manager);
    const entity = repo.create({
      ...user,
      ...derivedColumns(user),
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(entity);
    return (await this.findByName(user.name, manager))!;
  }

  /**
   * Writes changed fields, keeps the derived columns in step, bumps `version` and `updated_at`.
   * With `expectedVersion`, the write only happens if nobody changed the row meanwhile
   * (optimistic lock); returns whether it happened.
   */
  update(
    manager: EntityManager | undefined,
    current: UserEntity,
    changes: UserChanges,
    now: Date,
    expectedVersion?: number,
  ): Promise<boolean> {
    const merged = { ...current, ...changes };
    // A statement prepared once per set of changed columns (the query builder rebuilt it per call).
    return this.updates.update(manager, current.id, { ...changes, ...changedDerivedColumns(merged, changes), updatedAt: now }, expectedVersion);
  }

  /** Inserts unless a user with that name exists (several instances may boot at once). */
  async insertIfAbsent(user: NewUser, now: Date): Promise<void> {
    await this.users
      .createQueryBuilder()
      .insert()
      .values({ ...user, ...derivedColumns(user), version: 0, createdAt: now, updatedAt: now })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}

/**
 * The derived columns whose sources are among `changes`. Only those are written: assigning an
 * indexed column, even to the value it has, rewrites its index entries on SQLite, and assigning
 * `display_name_lower` re-tokenizes the name for the trigram search (a trigger). A change of
 * annotations or a login's timestamps touches none of them.
 */
export function changedDerivedColumns(
  merged: Pick<UserEntity, 'displayName' | 'email' | 'emailVerified'>,
  changes: object,
): Partial<Pick<UserEntity, 'displayNameLower' | 'emailLower' | 'verifiedEmail'>> {
  const derived = derivedColumns(merged);
  return {
    ...('displayName' in changes ? { displayNameLower: derived.displayNameLower } : {}),
    ...('email' in changes || 'emailVerified' in changes ? { emailLower: derived.emailLower, verifiedEmail: derived.verifiedEmail } : {}),
  };
}

/** The columns computed from others, kept in one place so every write keeps them in step. */
export function derivedColumns(user: Pick<UserEntity, 'displayName' | 'email' | 'emailVerified'>): Pick<
  UserEntity,
  'displayNameLower' | 'emailLower' | 'verifiedEmail'
> {
  const emailLower = user.email ? user.email.toLowerCase() : null;
  return {
    displayNameLower: user.displayName.toLowerCase(),
    emailLower,
    verifiedEmail: user.emailVerified && emailLower ? emailLower : null,
  };
}

