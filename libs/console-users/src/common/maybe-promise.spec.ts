import { andThen, isPromiseLike } from './maybe-promise';

describe('andThen', () => {
  it('runs the next step at once for a value', () => {
    expect(andThen(2, (n) => n * 3)).toBe(6);
  });

  it('waits for a promise, and for any thenable', async () => {
    await expect(andThen(Promise.resolve(2), (n) => n * 3)).resolves.toBe(6);
    const thenable: PromiseLike<number> = { then: (resolve) => Promise.resolve(resolve?.(5)) as never };
    await expect(andThen(thenable, (n) => n + 1)).resolves.toBe(6);
  });

  it("throws a step's error at once for a value, and rejects with it for a promise", async () => {
    const boom = new Error('boom');
    expect(() => andThen(1, () => { throw boom; })).toThrow(boom);
    await expect(andThen(Promise.resolve(1), () => { throw boom; })).rejects.toBe(boom);
  });

  it('tells thenables from plain values (null and objects without then included)', () => {
    expect(isPromiseLike(Promise.resolve(1))).toBe(true);
    expect(isPromiseLike({ then: () => undefined })).toBe(true);
    expect(isPromiseLike({ name: 'ann' })).toBe(false);
    expect(isPromiseLike(null)).toBe(false);
    expect(isPromiseLike(undefined)).toBe(false);
  });
});
