import { monotonicMs } from '../common/monotonic-time';
import { putNewest } from '../common/newest-entries';
import { SharedFills } from '../common/shared-fills';
import type { UserView } from './user-view';

/** A user as read for GetUserDetail and GetCurrentUserDetail: its view and the roles bound to it. */
export interface UserRecord {
  readonly view: UserView;
  readonly roleNames: readonly string[];
}

/** Settings of the {@link UserRecordCache}; the principal cache's, so one lifetime bounds both. */
export interface UserRecordCacheOptions {
  /** How long a record is reused (default 1 s; 0 turns the cache off). */
  ttlMs?: number;
  /** Most users kept at once (default 10 000); the oldest entry goes first. */
  maxEntries?: number;
}

interface Entry {
  record: UserRecord;
  /** End of this entry's freshness, on the monotonic clock ({@link monotonicMs}). */
  freshUntil: number;
}

/**
 * Users by name for the two reads every console page makes (the caller, a user's detail), so
 * that they cost no query while nothing changes.
 *
 * Any write to users or role bindings on this instance drops everything, at the write and again
 * at its commit ({@link UserRecordInvalidation}); a fill whose reads began before a drop is thrown
 * away, so a read racing a write cannot put the old row back. Changes made elsewhere (another
 * instance, a script) show within the lifetime.
 */
export class UserRecordCache {
  private readonly entries = new Map<string, Entry>();
  private readonly fills = new SharedFills<UserRecord | null>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: UserRecordCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The cached record of `name`, if still fresh. */
  get(name: string): UserRecord | undefined {
    const entry = this.entries.get(name);
    if (!entry) {
      return undefined;
    }
    if (entry.freshUntil <= monotonicMs()) {
      this.entries.delete(name);
      return undefined;
    }
    return entry.record;
  }

  /** Runs `load` (which reads and {@link store}s) once for all concurrent misses of `name`. */
  fill(name: string, load: () => Promise<UserRecord | null>): Promise<UserRecord | null> {
    return this.fills.run(name, load);
  }

  /** Take before reading the database for a fill; pass to {@link store}. */
  ticket(): number {
    return this.fills.ticket();
  }

  /** Keeps `record` unless something was dropped since `ticket` was taken. */
  store(name: string, record: UserRecord, ticket: number): void {
    if (this.ttlMs <= 0 || !this.fills.isCurrent(ticket)) {
      return;
    }
    putNewest(this.entries, name, { record: Object.freeze(record), freshUntil: monotonicMs() + this.ttlMs }, this.maxEntries);
  }

  /** Drops every record (users and bindings change rarely; finer tracking is not worth a stale read). */
  dropAll(): void {
    this.fills.detachAll();
    this.entries.clear();
  }
}
