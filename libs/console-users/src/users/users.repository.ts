import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { In, Not } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { runSql } from '../database/sql';
import { DISPLAY_NAME_FTS_TABLE } from '../database/user-listing-objects';
import type { SelectorTerm, SortOrder } from '../faces/halo/halo-list-query';
import { RoleBindingEntity } from '../rbac/role-binding.entity';
import { UserEntity } from './user.entity';
import { SYSTEM_USER_NAMES } from './system-users';

/** Halo's indexed user fields usable in a field selector (`name` is normalized to `metadata.name`). */
export const USER_SELECTOR_FIELDS = [
  'metadata.name',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'spec.displayName',
  'spec.email',
  'spec.emailVerified',
  'spec.disabled',
  'roles',
] as const;

/** A field a user list can be filtered on. */
export type UserSelectorField = (typeof USER_SELECTOR_FIELDS)[number];

/** Properties a user list can be sorted on, and the entity property behind each. */
export const USER_SORT_PROPERTIES: Record<string, keyof UserEntity> = {
  'metadata.name': 'name',
  'metadata.creationTimestamp': 'createdAt',
  'spec.displayName': 'displayName',
  'spec.email': 'emailLower',
  'spec.emailVerified': 'emailVerified',
  'spec.disabled': 'disabled',
};

/** A validated ListUsers query, in the terms of this repository. */
export interface UserListCriteria {
  /** Field-selector terms whose keys are {@link UserSelectorField}s. */
  fields: SelectorTerm[];
  labels: SelectorTerm[];
  /** Matches an exact email (case-insensitively), a display-name substring or an exact name. */
  keyword?: string;
  /** Only users bound to this role. */
  role?: string;
  /** Keys of {@link USER_SORT_PROPERTIES}; must end with a unique key (`metadata.name`) for stable pages. */
  sort: SortOrder[];
  offset: number;
  limit: number;
}

/** Columns a caller may change; the derived ones follow by themselves. */
export type UserChanges = Partial<Omit<UserEntity, 'id' | 'name' | 'version' | 'createdAt' | 'displayNameLower' | 'emailLower' | 'verifiedEmail'>>;

/** A page of users and the number of all matches. */
export interface UserPage {
  total: number;
  users: UserEntity[];
}

/** Rows between two page anchors of the console's default list. */
const DEFAULT_ANCHOR_STEP = 1000;

/** Least wall-clock time between two rebuilds of one anchor set. */
const DEFAULT_ANCHOR_REBUILD_INTERVAL_MS = 10_000;

/** Anchor sets kept (one per set of excluded names; the console always sends the same one). */
const MAX_ANCHOR_SETS = 8;

/** Order keys of every `step`-th row of one list, labelled with the change counter they match. */
interface PageAnchors {
  changes: number;
  step: number;
  keys: { createdAt: number; name: string }[];
}

/** The order key of the row at `position`. */
interface PageAnchor {
  createdAt: number;
  name: string;
  position: number;
}

/** True for Halo's default order, the only one page anchors are kept for. */
function isDefaultOrder(sort: SortOrder[]): boolean {
  return (
    sort.length === 2 &&
    sort[0]!.property === 'metadata.creationTimestamp' &&
    sort[0]!.direction === 'desc' &&
    sort[1]!.property === 'metadata.name' &&
    sort[1]!.direction === 'asc'
  );
}

/** A display-name keyword needs this many characters for the trigram index to apply. */
const TRIGRAM_MIN_LENGTH = 3;

/** Fixed key of the PostgreSQL advisory lock that serializes changes to who holds super-role. */
const ADMIN_SET_LOCK_KEY = 7_363_112_011;

/** Fields needed to insert a user. */
export type NewUser = Omit<UserEntity, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'displayNameLower' | 'emailLower' | 'verifiedEmail'>;

/** Queries on users. Password hashes are only loaded by the methods that say so. */
@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserEntity>;

  private readonly logger = new Logger('UsersRepository');

  /** Page anchors per filter, valid while the users' change counter has not moved. */
  private readonly anchors = new Map<string, PageAnchors>();

  /** Anchor sets being computed in the background, per filter. */
  private readonly rebuilding = new Map<string, Promise<void>>();

  /** When each filter's anchors were last (re)built, wall-clock ms. */
  private readonly rebuiltAt = new Map<string, number>();

  /** Rows between two page anchors; smaller in tests so a few hundred users exercise them. */
  anchorStep = DEFAULT_ANCHOR_STEP;

  /**
   * Least time between two rebuilds of one anchor set, so a steady stream of writes costs at most
   * one index pass per interval; deep pages in between take the plain path. 0 in tests.
   */
  anchorRebuildIntervalMs = DEFAULT_ANCHOR_REBUILD_INTERVAL_MS;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {
    this.users = db.getRepository(UserEntity);
  }

  repository(manager?: EntityManager): Repository<UserEntity> {
    return manager ? manager.getRepository(UserEntity) : this.users;
  }

  findByName(name: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOne({ where: { name } });
  }

  findById(id: number, manager?: EntityManager): Promise<UserEntity | null> {
    return this.repository(manager).findOne({ where: { id } });
  }

  findByNames(names: string[]): Promise<UserEntity[]> {
    return names.length === 0 ? Promise.resolve([]) : this.users.find({ where: { name: In(names) } });
  }

  /** The user and its password hash, for credential checks only. */
  findWithPasswordByName(name: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.name = :name', { name })
      .getOne();
  }

  /** The user holding `emailLower` as a verified address, with its password hash. */
  findWithPasswordByVerifiedEmail(emailLower: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.verified_email = :email', { email: emailLower })
      .getOne();
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
    await this.applyCriteria(qb, criteria);
    const anchor = start >= this.anchorStep ? await this.anchorFor(criteria, start, counter) : undefined;
    const fromEnd = !anchor && total - end < start;
    for (const order of criteria.sort) {
      const direction = (order.direction === 'asc') !== fromEnd ? 'ASC' : 'DESC';
      qb.addOrderBy(`u.${USER_SORT_PROPERTIES[order.property]}`, direction);
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

  /**
   * The nearest anchor at or before `offset` for a list in Halo's default order that only excludes
   * names (the console's own list), or undefined for other lists. Anchors are the order keys of
   * every `anchorStep`-th row, computed in one pass and reused until `change_count` moves, so a
   * deep page walks at most `anchorStep` index entries.
   */
  private async anchorFor(
    criteria: UserListCriteria,
    offset: number,
    counter: () => Promise<{ changes: number }>,
  ): Promise<PageAnchor | undefined> {
    const excluded = excludedNamesOnly(criteria);
    if (!excluded || criteria.role !== undefined || !isDefaultOrder(criteria.sort)) {
      return undefined;
    }
    const { changes } = await counter();
    if (Number.isNaN(changes)) {
      return undefined;
    }
    const key = JSON.stringify([...excluded].sort());
    const cached = this.anchors.get(key);
    if (!cached || cached.changes !== changes || cached.step !== this.anchorStep) {
      // Stale or missing: this request walks without anchors (at most half the list) while the
      // anchors are rebuilt off the request path.
      this.scheduleRebuild(key, excluded, changes);
      return undefined;
    }
    const index = Math.floor(offset / cached.step);
    const found = cached.keys[index];
    return found ? { ...found, position: index * cached.step } : undefined;
  }

  /** Waits for anchor rebuilds in progress (tests and benchmarks use it to reach a steady state). */
  async settleAnchors(): Promise<void> {
    await Promise.all(this.rebuilding.values());
  }

  private scheduleRebuild(key: string, excluded: string[], changes: number): void {
    const last = this.rebuiltAt.get(key);
    if (this.rebuilding.has(key) || (last !== undefined && Date.now() - last < this.anchorRebuildIntervalMs)) {
      return;
    }
    this.rebuiltAt.set(key, Date.now());
    const step = this.anchorStep;
    const rebuild = this.computeAnchors(excluded, step)
      .then((keys) => {
        // `changes` was read before the anchors: if a write slipped in between, the anchors are
        // newer than their label and are merely rebuilt once more, never used stale.
        if (this.anchors.size >= MAX_ANCHOR_SETS && !this.anchors.has(key)) {
          this.anchors.delete(this.anchors.keys().next().value!);
        }
        this.anchors.set(key, { changes, step, keys });
      })
      .catch((error: unknown) => this.logger.warn(`Page anchors not rebuilt: ${(error as Error).message}`))
      .finally(() => this.rebuilding.delete(key));
    this.rebuilding.set(key, rebuild);
  }

  private async computeAnchors(excluded: string[], step: number): Promise<{ createdAt: number; name: string }[]> {
    const exclusion = excluded.length > 0 ? 'WHERE u.name NOT IN (:...excluded)' : '';
    const rows = await runSql<{ created_at: string | number; name: string }>(
      this.db,
      `SELECT ranked.created_at, ranked.name FROM (
         SELECT u.created_at, u.name, ROW_NUMBER() OVER (ORDER BY u.created_at DESC, u.name ASC) AS position
           FROM users u ${exclusion}
       ) ranked WHERE (ranked.position - 1) % :step = 0 ORDER BY ranked.position`,
      { excluded, step },
    );
    return rows.map((row) => ({ createdAt: Number(row.created_at), name: row.name }));
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
    await this.applyCriteria(qb, criteria);
    const row = await qb.getRawOne<{ count: string | number }>();
    return Number(row?.count ?? 0);
  }

  private async applyCriteria(qb: SelectQueryBuilder<UserEntity>, criteria: UserListCriteria): Promise<void> {
    const params = new ParameterNames();
    for (const term of criteria.fields) {
      qb.andWhere(...fieldCondition(term, params));
    }
    for (const term of criteria.labels) {
      qb.andWhere(...labelCondition(term, params));
    }
    if (criteria.role !== undefined) {
      const role = params.next();
      qb.andWhere(`EXISTS (SELECT 1 FROM role_bindings rb WHERE rb.subject_name = u.name AND rb.role_name = :${role})`, {
        [role]: criteria.role,
      });
    }
    if (criteria.keyword !== undefined) {
      qb.andWhere(...(await this.keywordCondition(criteria.keyword, params)));
    }
  }

  private async keywordCondition(keyword: string, params: ParameterNames): Promise<[string, Record<string, unknown>]> {
    const lower = keyword.toLowerCase();
    const [email, name, text] = [params.next(), params.next(), params.next()];
    let displayName: string;
    let textValue: string;
    if (this.db.options.type === 'postgres') {
      // With pg_trgm the GIN index serves this LIKE; without it, it scans.
      displayName = `u.display_name_lower LIKE :${text} ESCAPE '\\'`;
      textValue = `%${lower.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    } else if ([...lower].length >= TRIGRAM_MIN_LENGTH && (await this.hasDisplayNameFts())) {
      displayName = `u.id IN (SELECT rowid FROM ${DISPLAY_NAME_FTS_TABLE} WHERE ${DISPLAY_NAME_FTS_TABLE} MATCH :${text})`;
      textValue = `"${lower.replace(/"/g, '""')}"`;
    } else {
      displayName = `instr(u.display_name_lower, :${text}) > 0`;
      textValue = lower;
    }
    return [
      `(u.email_lower = :${email} OR u.name = :${name} OR ${displayName})`,
      { [email]: lower, [name]: keyword, [text]: textValue },
    ];
  }

  private ftsProbe?: Promise<boolean>;

  /** Whether the SQLite FTS5 trigram table exists (the migration skips it when FTS5 is missing). */
  private hasDisplayNameFts(): Promise<boolean> {
    this.ftsProbe ??= runSql(this.db, `SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = :name`, {
      name: DISPLAY_NAME_FTS_TABLE,
    }).then((rows) => rows.length > 0);
    return this.ftsProbe;
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
  async update(
    manager: EntityManager | undefined,
    current: UserEntity,
    changes: UserChanges,
    now: Date,
    expectedVersion?: number,
  ): Promise<boolean> {
    const merged = { ...current, ...changes };
    const query = this.repository(manager)
      .createQueryBuilder()
      .update(UserEntity)
      .set({ ...changes, ...derivedColumns(merged), version: () => 'version + 1', updatedAt: now })
      .where('id = :id', { id: current.id });
    if (expectedVersion !== undefined) {
      query.andWhere('version = :expectedVersion', { expectedVersion });
    }
    const result = await query.execute();
    return (result.affected ?? 0) === 1;
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

/** Hands out unique parameter names for one query. */
class ParameterNames {
  private counter = 0;

  next(): string {
    return `p${this.counter++}`;
  }
}

/** The column behind a selector field, and how its values are compared. */
interface FieldColumn {
  column: string;
  nullable: boolean;
  /** Converts a selector value to the stored value; `undefined` when it cannot match anything. */
  parse: (value: string) => unknown;
}

const asString = (value: string): string => value;
const asBoolean = (value: string): boolean | undefined => (value === 'true' ? true : value === 'false' ? false : undefined);
const asInstant = (value: string): number | undefined => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

const FIELD_COLUMNS: Record<Exclude<UserSelectorField, 'roles' | 'metadata.deletionTimestamp'>, FieldColumn> = {
  'metadata.name': { column: 'u.name', nullable: false, parse: asString },
  'metadata.creationTimestamp': { column: 'u.created_at', nullable: false, parse: asInstant },
  'spec.displayName': { column: 'u.display_name', nullable: false, parse: asString },
  // Halo's index holds the lower-cased address; we lower-case the selector value too.
  'spec.email': { column: 'u.email_lower', nullable: true, parse: (v) => v.toLowerCase() },
  'spec.emailVerified': { column: 'u.email_verified', nullable: false, parse: asBoolean },
  'spec.disabled': { column: 'u.disabled', nullable: false, parse: asBoolean },
};

const NEVER = '1 = 0';
const ALWAYS = '1 = 1';

function fieldCondition(term: SelectorTerm, params: ParameterNames): [string, Record<string, unknown>] {
  const field = term.key as UserSelectorField;
  if (field === 'roles') {
    return existsCondition(
      'SELECT 1 FROM role_bindings rb WHERE rb.subject_name = u.name AND rb.role_name',
      term,
      params,
    );
  }
  if (field === 'metadata.deletionTimestamp') {
    // Deletion is immediate here, so no stored user has a deletion timestamp.
    return [term.operator === 'notEquals' ? ALWAYS : NEVER, {}];
  }
  const { column, nullable, parse } = FIELD_COLUMNS[field];
  switch (term.operator) {
    case 'equals': {
      const value = parse(term.value);
      if (value === undefined) {
        return [NEVER, {}];
      }
      const p = params.next();
      return [`${column} = :${p}`, { [p]: value }];
    }
    case 'notEquals': {
      const value = parse(term.value);
      if (value === undefined) {
        return [ALWAYS, {}];
      }
      const p = params.next();
      return [nullable ? `(${column} IS NULL OR ${column} <> :${p})` : `${column} <> :${p}`, { [p]: value }];
    }
    case 'in': {
      const values = term.values.map(parse).filter((v) => v !== undefined);
      if (values.length === 0) {
        return [NEVER, {}];
      }
      const p = params.next();
      return [`${column} IN (:...${p})`, { [p]: values }];
    }
    default:
      return [NEVER, {}];
  }
}

function labelCondition(term: SelectorTerm, params: ParameterNames): [string, Record<string, unknown>] {
  const key = params.next();
  const lookup = `SELECT 1 FROM user_labels l WHERE l.user_id = u.id AND l.label_key = :${key}`;
  const [sql, values] =
    term.operator === 'exists'
      ? [`EXISTS (${lookup})`, {}]
      : term.operator === 'notExists'
        ? [`NOT EXISTS (${lookup})`, {}]
        : existsCondition(`${lookup} AND l.label_value`, term, params);
  return [sql, { ...values, [key]: term.key }];
}

/** `EXISTS (<prefix> = v)`, `NOT EXISTS (<prefix> = v)` or `EXISTS (<prefix> IN (…))`. */
function existsCondition(prefix: string, term: SelectorTerm, params: ParameterNames): [string, Record<string, unknown>] {
  const p = params.next();
  switch (term.operator) {
    case 'equals':
      return [`EXISTS (${prefix} = :${p})`, { [p]: term.value }];
    case 'notEquals':
      return [`NOT EXISTS (${prefix} = :${p})`, { [p]: term.value }];
    case 'in':
      return term.values.length === 0 ? [NEVER, {}] : [`EXISTS (${prefix} IN (:...${p}))`, { [p]: term.values }];
    default:
      return [NEVER, {}];
  }
}

/**
 * The names a criteria excludes when, besides the role filter, it does nothing but exclude names
 * (`metadata.name!=x` terms), else undefined.
 */
function excludedNamesOnly(criteria: UserListCriteria): string[] | undefined {
  if (criteria.labels.length > 0 || criteria.keyword !== undefined) {
    return undefined;
  }
  const names: string[] = [];
  for (const term of criteria.fields) {
    if (term.key !== 'metadata.name' || term.operator !== 'notEquals') {
      return undefined;
    }
    names.push(term.value);
  }
  return [...new Set(names)];
}
