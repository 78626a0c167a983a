/**
 * Milliseconds on a clock that only moves forward (since the process started), for how long a
 * cached thing stays fresh or how long to wait.
 *
 * Not the wall clock: the system time can step (NTP correcting a drifted VM, an operator setting
 * the date). A step back of an hour would keep a cache entry "fresh" for that hour: a role or
 * profile changed on another instance, or by a script, would stay stale on this one. A step
 * forward would empty every cache at once. Business rules (when a session, code or token
 * expires) read the module's {@link Clock} instead, because their instants are stored and
 * compared across processes.
 */
export function monotonicMs(): number {
  return performance.now();
}
