import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { runSql } from '../database/sql';
import { DISPLAY_NAME_FTS_TABLE } from '../database/user-listing-objects';
import type { UserEntity } from './user.entity';

/** One filter term on a field or label: present, absent, equal, unequal or one of some values. */
export type FilterTerm<K extends string = string> =
  | { key: K; operator: 'exists' | 'notExists' }
  | { key: K; operator: 'equals' | 'notEquals'; value: string }
  | { key: K; operator: 'in'; values: string[] };

/** The user fields a list can be filtered on (values compared as their text: `true`, an ISO instant…). */
export const USER_FILTER_FIELDS = ['name', 'createdAt', 'deletedAt', 'displayName', 'email', 'emailVerified', 'disabled', 'roles'] as const;

/** A field a user list can be filtered on. */
export type UserFilterField = (typeof USER_FILTER_FIELDS)[number];

/** Keys a user list can be sorted on, and the entity property behind each. */
export const USER_SORT_COLUMNS = {
  name: 'name',
  createdAt: 'createdAt',
  displayName: 'displayName',
  email: 'emailLower',
  emailVerified: 'emailVerified',
  disabled: 'disabled',
} as const satisfies Record<string, keyof UserEntity>;

/** A key a user list can be sorted on. */
export type UserSortKey = keyof typeof USER_SORT_COLUMNS;

/** One sort key and its direction. */
export interface UserSort {
  key: UserSortKey;
  direction: 'asc' | 'desc';
}

/** The default order, appended to every requested one: newest first, then by name. */
export const DEFAULT_USER_ORDER: readonly UserSort[] = [
  { key: 'createdAt', direction: 'desc' },
  { key: 'name', direction: 'asc' },
];

/** A validated user list request, in the core's terms. */
export interface UserListCriteria {
  fields: FilterTerm<UserFilterField>[];
  /** Terms on the users' labels (keys are label keys). */
  labels: FilterTerm[];
  /** Matches an exact email (case-insensitively), a display-name substring or an exact name. */
  keyword?: string;
  /** Only users bound to this role. */
  role?: string;
  /** Must end with a unique key (`name`) for stable pages; see {@link withDefaultUserOrder}. */
  sort: UserSort[];
  offset: number;
  limit: number;
}

/** Appends the default order's keys not already sorted on, so every order is total. */
export function withDefaultUserOrder(orders: readonly UserSort[]): UserSort[] {
  const seen = new Set(orders.map((o) => o.key));
  return [...orders, ...DEFAULT_USER_ORDER.filter((d) => !seen.has(d.key))];
}

/** A display-name keyword needs this many characters for the trigram index to apply. */
const TRIGRAM_MIN_LENGTH = 3;

/** True for the default order, the only one page anchors are kept for. */
export function isDefaultOrder(sort: readonly UserSort[]): boolean {
  return (
    sort.length === 2 &&
    sort[0]!.key === 'createdAt' &&
    sort[0]!.direction === 'desc' &&
    sort[1]!.key === 'name' &&
    sort[1]!.direction === 'asc'
  );
}

/**
 * Turns a validated list criteria (field and label terms, keyword, role) into SQL
 * conditions on `users u`.
 */
export class UserCriteriaSql {
  constructor(private readonly db: DataSource) {}

  async apply(qb: SelectQueryBuilder<UserEntity>, criteria: UserListCriteria): Promise<void> {
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

}

/** Hands out unique parameter names for one query. */
class ParameterNames {
  private counter = 0;

  next(): string {
    return `p${this.counter++}`;
  }
}

/** The column behind a filter field, and how its values are compared. */
interface FieldColumn {
  column: string;
  nullable: boolean;
  /** Converts a term's value to the stored value; `undefined` when it cannot match anything. */
  parse: (value: string) => unknown;
}

const asString = (value: string): string => value;
const asBoolean = (value: string): boolean | undefined => (value === 'true' ? true : value === 'false' ? false : undefined);
const asInstant = (value: string): number | undefined => {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

const FIELD_COLUMNS: Record<Exclude<UserFilterField, 'roles' | 'deletedAt'>, FieldColumn> = {
  name: { column: 'u.name', nullable: false, parse: asString },
  createdAt: { column: 'u.created_at', nullable: false, parse: asInstant },
  displayName: { column: 'u.display_name', nullable: false, parse: asString },
  // Addresses match case-insensitively (as Halo's index of lower-cased addresses does).
  email: { column: 'u.email_lower', nullable: true, parse: (v) => v.toLowerCase() },
  emailVerified: { column: 'u.email_verified', nullable: false, parse: asBoolean },
  disabled: { column: 'u.disabled', nullable: false, parse: asBoolean },
};

const NEVER = '1 = 0';
const ALWAYS = '1 = 1';

function fieldCondition(term: FilterTerm<UserFilterField>, params: ParameterNames): [string, Record<string, unknown>] {
  const field = term.key;
  if (field === 'roles') {
    return existsCondition(
      'SELECT 1 FROM role_bindings rb WHERE rb.subject_name = u.name AND rb.role_name',
      term,
      params,
    );
  }
  if (field === 'deletedAt') {
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

function labelCondition(term: FilterTerm, params: ParameterNames): [string, Record<string, unknown>] {
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
function existsCondition(prefix: string, term: FilterTerm, params: ParameterNames): [string, Record<string, unknown>] {
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
 * (`name` notEquals terms), else undefined.
 */
export function excludedNamesOnly(criteria: UserListCriteria): string[] | undefined {
  if (criteria.labels.length > 0 || criteria.keyword !== undefined) {
    return undefined;
  }
  const names: string[] = [];
  for (const term of criteria.fields) {
    if (term.key !== 'name' || term.operator !== 'notEquals') {
      return undefined;
    }
    names.push(term.value);
  }
  return [...new Set(names)];
}
