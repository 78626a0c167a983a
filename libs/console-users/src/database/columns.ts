import { ValueTransformer } from 'typeorm';

/**
 * Instants are stored as epoch milliseconds in BIGINT columns: the same type, ordering and
 * arithmetic on SQLite and PostgreSQL, and atomic `WHERE expires_at > :now` updates need no
 * dialect-specific date functions.
 */
export const epochMillis: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value ?? null),
  from: (value: string | number | null | undefined) =>
    value === null || value === undefined ? null : new Date(Number(value)),
};

/** Integer counters that PostgreSQL returns as strings for BIGINT. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value ?? null,
  from: (value: string | number | null | undefined) =>
    value === null || value === undefined ? null : Number(value),
};

/**
 * Default of boolean columns, given as SQL: the migration writes `DEFAULT false`, which SQLite
 * reports back as `false` while TypeORM would normalise a plain `false` to `0` there, and the
 * schema check would then see a difference that is not one.
 */
export const sqlFalse = (): string => 'false';
