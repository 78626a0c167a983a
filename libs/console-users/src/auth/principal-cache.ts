import { monotonicMs } from '../common/monotonic-time';
import { putNewest } from '../common/newest-entries';
import { SharedFills } from '../common/shared-fills';
import type { UserPrincipal } from './principal';

/** Settings of the in-memory principal cache. */
export interface PrincipalCacheOptions {
  /**
   * How long a resolved credential, and a user read for a user's detail, is reused (default 1 s;
   * 0 turns both caches off). Writes on this instance, and credential and role changes on others
   * through an invalidation bus, drop entries at once; the lifetime only bounds how stale an entry
   * can be when a change reaches this instance by no other way (a profile edited on another
   * instance, a script writing to the database, a lost Redis message).
   */
  ttlMs?: number;
  /** Most credentials kept at once (default 10 000); the oldest entry goes first. */
  maxEntries?: number;
}

interface Entry {
  principal: UserPrincipal;
  userId: number;
  sessionId?: number;
  /** End of this entry's freshness, on the monotonic clock ({@link monotonicMs}). */
  freshUntil: number;
  /** The credential's own end (session expiry or idle end, PAT expiry) on the module's clock, or null. */
  validUntil: number | null;
}

/** Proof that a fill started before any invalidation that could make its data stale. */
export interface FillTicket {
  readonly generation: number;
}

/**
 * Resolved principals by credential hash (`s:<sha256 of the cookie>`, `p:<sha256 of the token>`;
 * never the credential itself), so an authenticated request costs no query.
 *
 * Revocation stays immediate through a generation counter: every invalidation bumps it, and a
 * fill whose database reads began before the bump is thrown away instead of stored, so a request
 * racing a revocation cannot put the old state back.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private readonly fills = new SharedFills<UserPrincipal | null>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: PrincipalCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 1_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The cached principal for `key`, if still fresh and its credential not expired at `now`. */
  get(key: string, now: Date): UserPrincipal | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.freshUntil <= monotonicMs() || (entry.validUntil !== null && now.getTime() >= entry.validUntil)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /**
   * Runs `load` (which reads the database and {@link store}s) once for all concurrent misses of
   * `key`: they share its answer, or its error.
   */
  fill(key: string, load: () => Promise<UserPrincipal | null>): Promise<UserPrincipal | null> {
    return this.fills.run(key, load);
  }

  /** Take before reading the database for a fill; pass to {@link store}. */
  ticket(): FillTicket {
    return { generation: this.fills.ticket() };
  }

  /**
   * Keeps `principal` under `key` unless something was invalidated since `ticket` was taken.
   * `validUntil` is when the credential itself stops being valid (ms on the module's clock).
   */
  store(key: string, principal: UserPrincipal, ticket: FillTicket, validUntil: number | null): void {
    if (this.ttlMs <= 0 || !this.fills.isCurrent(ticket.generation)) {
      return;
    }
    putNewest(
      this.entries,
      key,
      { principal, userId: principal.userId, sessionId: principal.sessionId, freshUntil: monotonicMs() + this.ttlMs, validUntil },
      this.maxEntries,
    );
  }

  /** Drops every credential of the user. */
  dropUser(userId: number): void {
    this.fills.detachAll();
    for (const [key, entry] of this.entries) {
      if (entry.userId === userId) {
        this.entries.delete(key);
      }
    }
  }

  /** Drops the cached cookie of one session (logout). */
  dropSession(sessionId: number): void {
    this.fills.detachAll();
    for (const [key, entry] of this.entries) {
      if (entry.sessionId === sessionId) {
        this.entries.delete(key);
      }
    }
  }

  /** Drops everything (roles changed: PAT grants and role names may differ now). */
  dropAll(): void {
    this.fills.detachAll();
    this.entries.clear();
  }

  /** Keys held now; they are hashes, which tests check. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
