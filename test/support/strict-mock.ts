import { mock } from 'node:test';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** The methods a strict mock answers; anything else it is asked for fails the test. */
export type MockMethods<T> = { [K in keyof T]?: T[K] extends AnyFn ? T[K] : never };

/**
 * A stand-in whose every configured method records its calls (`node:test` mocks) and whose
 * every other member throws on access, so a rule that touches a dependency it should not
 * fails loudly instead of passing on an `undefined`.
 */
export function strictMock<T extends object>(name: string, methods: MockMethods<T> = {}): T {
  const fns = new Map<PropertyKey, AnyFn>();
  for (const [key, impl] of Object.entries(methods)) {
    fns.set(key, mock.fn(impl as AnyFn));
  }
  return new Proxy({} as T, {
    get(_target, prop) {
      if (fns.has(prop)) {
        return fns.get(prop);
      }
      if (prop === 'then' || typeof prop === 'symbol') {
        return undefined; // awaiting or inspecting the mock itself is fine
      }
      throw new Error(`unexpected use of ${name}.${String(prop)}`);
    },
  });
}

/** The recorded argument lists of a strict mock's method. */
export function callsOf(fn: unknown): unknown[][] {
  const recorded = (fn as { mock?: { calls: { arguments: unknown[] }[] } }).mock;
  if (!recorded) {
    throw new Error('not a mocked method');
  }
  return recorded.calls.map((c) => c.arguments);
}
