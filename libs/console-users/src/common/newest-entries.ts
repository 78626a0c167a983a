/**
 * Puts `key` last in `entries` (a Map iterates in insertion order), first dropping the oldest
 * entry when the map already holds `maxEntries`: the eviction of the in-memory caches.
 */
export function putNewest<K, V>(entries: Map<K, V>, key: K, value: V, maxEntries: number): void {
  if (entries.size >= maxEntries) {
    const oldest = entries.keys().next();
    if (!oldest.done) {
      entries.delete(oldest.value);
    }
  }
  entries.delete(key);
  entries.set(key, value);
}
