/** A value known now, or a promise of it: a cache hit answers at once, a miss waits. */
export type MaybePromise<T> = T | Promise<T>;

/** Whether `value` is a promise (any thenable: a host's hook may return another library's promise). */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * `next(value)`: at once for a value, once settled for a promise. Every authenticated request
 * goes through several cached lookups; awaiting each would cost a turn of the microtask queue
 * and a promise per step for answers that are already there.
 */
export function andThen<T, R>(value: T | PromiseLike<T>, next: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isPromiseLike(value) ? Promise.resolve(value).then(next) : next(value);
}
