// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

/** The methods a strict mock answers; anything else it is asked for fails the test. */
export type MockMethods<T> = { [K in keyof T]?: T[K] extends AnyFn ? T[K] : never };

/**
 * A stand-in whose every configured method is a `jest.fn` (read its calls with
 * `jest.mocked(mock.method).mock.calls`) and whose every other member throws on access, so a rule
 * that touches a dependency it should not fails loudly instead of passing on an `undefined`.
 */
export function strictMock<T extends object>(name: string, methods: MockMethods<T> = {}): T {
  const fns = new Map<PropertyKey, AnyFn>();
  for (const [key, impl] of Object.entries(methods)) {
    fns.set(key, jest.fn(impl as AnyFn));
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
