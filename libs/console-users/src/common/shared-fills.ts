/**
 * The fills of an in-memory cache. Concurrent misses share one fill: when an entry expires under
 * load, the requests that miss it at the same moment wait for one database read instead of each
 * making its own (a burst of identical reads that showed as the slowest requests). And a fill
 * that began before an invalidation is not kept: take a {@link ticket} before reading, store only
 * while it {@link isCurrent}, so a read racing a revocation cannot put the old state back.
 */
export class SharedFills<V> {
  private readonly pending = new Map<string, Promise<V>>();
  private generation = 0;

  /** Take before reading the database for a fill. */
  ticket(): number {
    return this.generation;
  }

  /** Whether nothing was invalidated since `ticket` was taken. */
  isCurrent(ticket: number): boolean {
    return ticket === this.generation;
  }

  /** `fill()`'s promise, or the one already running for `key`. */
  run(key: string, fill: () => Promise<V>): Promise<V> {
    const running = this.pending.get(key);
    if (running) {
      return running;
    }
    const promise: Promise<V> = fill().finally(() => {
      if (this.pending.get(key) === promise) {
        this.pending.delete(key);
      }
    });
    this.pending.set(key, promise);
    return promise;
  }

  /**
   * An invalidation: tickets taken before it are no longer current, and misses from now on start
   * a read of their own, never join one that began before it (and could return what was just revoked).
   */
  detachAll(): void {
    this.generation++;
    this.pending.clear();
  }
}
