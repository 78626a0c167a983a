/**
 * Cache fills shared by concurrent misses: when an entry expires under load, the requests that
 * miss it at the same moment wait for one database read instead of each making its own (a burst
 * of identical reads that showed as the slowest requests).
 */
export class SharedFills<V> {
  private readonly pending = new Map<string, Promise<V>>();

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
   * After an invalidation: misses from now on start a read of their own, never join one that
   * began before it (and could return what was just revoked).
   */
  detachAll(): void {
    this.pending.clear();
  }
}
