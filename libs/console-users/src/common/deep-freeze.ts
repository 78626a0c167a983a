/**
 * Freezes `value` and everything it holds. A frozen answer promises that it never changes, which
 * is what lets a server keep its serialized text (the console server's reply serializer does).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}
