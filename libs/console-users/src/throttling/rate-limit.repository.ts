import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { runSql } from '../database/sql';

/** The state of a fixed-window counter after a hit or a peek. */
export interface BucketState {
  hits: number;
  resetAt: Date;
}

/** Fixed-window counters in the database, each hit one atomic upsert. */
@Injectable()
export class RateLimitRepository {
  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource) {}

  /**
   * Counts one hit on `key` in a window of `windowMs` starting at the first hit. Inside the
   * caller's transaction when given one, so a rolled-back request leaves no count behind.
   */
  async hit(key: string, windowMs: number, now: Date, manager?: EntityManager): Promise<BucketState> {
    const rows = await runSql<{ hits: number | string; expires_at: number | string }>(
      manager ?? this.db,
      `INSERT INTO rate_limit_buckets ("key", hits, expires_at) VALUES (:key, 1, :expires)
       ON CONFLICT ("key") DO UPDATE SET
         hits = CASE WHEN rate_limit_buckets.expires_at <= :now THEN 1 ELSE rate_limit_buckets.hits + 1 END,
         expires_at = CASE WHEN rate_limit_buckets.expires_at <= :now THEN :expires ELSE rate_limit_buckets.expires_at END
       RETURNING hits, expires_at`,
      { key, now: now.getTime(), expires: now.getTime() + windowMs },
    );
    const row = rows[0]!;
    return { hits: Number(row.hits), resetAt: new Date(Number(row.expires_at)) };
  }

  /**
   * Counts one hit on each of several keys in ONE statement (a multi-row upsert), each in its own
   * window; the states come back in the order of `entries`. Keys must be distinct.
   */
  async hitMany(entries: { key: string; windowMs: number }[], now: Date, manager?: EntityManager): Promise<BucketState[]> {
    const params: Record<string, unknown> = { now: now.getTime() };
    const values = entries.map((entry, i) => {
      params[`k${i}`] = entry.key;
      params[`e${i}`] = now.getTime() + entry.windowMs;
      return `(:k${i}, 1, :e${i})`;
    });
    const rows = await runSql<{ key: string; hits: number | string; expires_at: number | string }>(
      manager ?? this.db,
      `INSERT INTO rate_limit_buckets ("key", hits, expires_at) VALUES ${values.join(', ')}
       ON CONFLICT ("key") DO UPDATE SET
         hits = CASE WHEN rate_limit_buckets.expires_at <= :now THEN 1 ELSE rate_limit_buckets.hits + 1 END,
         expires_at = CASE WHEN rate_limit_buckets.expires_at <= :now THEN excluded.expires_at ELSE rate_limit_buckets.expires_at END
       RETURNING "key", hits, expires_at`,
      params,
    );
    const byKey = new Map(rows.map((row) => [row.key, { hits: Number(row.hits), resetAt: new Date(Number(row.expires_at)) }]));
    return entries.map((entry) => byKey.get(entry.key)!);
  }

  /**
   * Takes back one hit counted on `key` in its current window (a reservation that turned out not
   * to be a failure); nothing when the window is over.
   */
  async release(key: string, now: Date, manager?: EntityManager): Promise<void> {
    await runSql(
      manager ?? this.db,
      `UPDATE rate_limit_buckets SET hits = hits - 1 WHERE "key" = :key AND expires_at > :now AND hits > 0`,
      { key, now: now.getTime() },
    );
  }

  /** {@link release} for several distinct keys in one statement. */
  async releaseMany(keys: string[], now: Date, manager?: EntityManager): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    await runSql(
      manager ?? this.db,
      `UPDATE rate_limit_buckets SET hits = hits - 1 WHERE "key" IN (:...keys) AND expires_at > :now AND hits > 0`,
      { keys, now: now.getTime() },
    );
  }

  /** The current count of `key` without counting a hit; zero when the window is over. */
  async peek(key: string, now: Date, manager?: EntityManager): Promise<BucketState> {
    const rows = await runSql<{ hits: number | string; expires_at: number | string }>(
      manager ?? this.db,
      `SELECT hits, expires_at FROM rate_limit_buckets WHERE "key" = :key AND expires_at > :now`,
      { key, now: now.getTime() },
    );
    const row = rows[0];
    return row ? { hits: Number(row.hits), resetAt: new Date(Number(row.expires_at)) } : { hits: 0, resetAt: now };
  }

  /** Deletes the counter `key` (a limit an operator lifts). */
  async forget(key: string, manager?: EntityManager): Promise<void> {
    await runSql(manager ?? this.db, `DELETE FROM rate_limit_buckets WHERE "key" = :key`, { key });
  }

  /** Deletes every counter whose key starts with `prefix` (a limit an operator lifts). */
  async forgetPrefix(prefix: string, manager?: EntityManager): Promise<void> {
    await runSql(manager ?? this.db, `DELETE FROM rate_limit_buckets WHERE substr("key", 1, :length) = :prefix`, { prefix, length: prefix.length });
  }

  /** Deletes windows that ended before `now` (housekeeping). */
  async purgeExpired(now: Date): Promise<void> {
    await runSql(this.db, `DELETE FROM rate_limit_buckets WHERE expires_at <= :now`, { now: now.getTime() });
  }
}
