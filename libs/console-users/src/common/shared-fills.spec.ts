import { SharedFills } from './shared-fills';

/** A fill the test settles by hand, counting how often it was started. */
function controlledFill<V>() {
  let started = 0;
  const settles: Array<{ resolve: (v: V) => void; reject: (e: Error) => void }> = [];
  const fill = () =>
    new Promise<V>((resolve, reject) => {
      started++;
      settles.push({ resolve, reject });
    });
  return { fill, started: () => started, settle: (i: number) => settles[i]! };
}

describe('SharedFills', () => {
  it('concurrent misses of one key share one fill and its answer', async () => {
    const sut = new SharedFills<string>();
    const { fill, started, settle } = controlledFill<string>();
    const first = sut.run('k', fill);
    const second = sut.run('k', fill);
    const other = sut.run('other', fill);
    expect(started()).toBe(2); // one per key
    settle(0).resolve('value');
    settle(1).resolve('other value');
    expect(await Promise.all([first, second, other])).toEqual(['value', 'value', 'other value']);
  });

  it('shares an error too, and the next miss after a settled fill starts a new one', async () => {
    const sut = new SharedFills<string>();
    const { fill, started, settle } = controlledFill<string>();
    const first = sut.run('k', fill);
    const second = sut.run('k', fill);
    settle(0).reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await expect(second).rejects.toThrow('database down');
    const third = sut.run('k', fill);
    expect(started()).toBe(2);
    settle(1).resolve('recovered');
    expect(await third).toBe('recovered');
  });

  it('after detachAll a miss never joins a fill that began before it', async () => {
    const sut = new SharedFills<string>();
    const { fill, started, settle } = controlledFill<string>();
    const before = sut.run('k', fill);
    sut.detachAll();
    const after = sut.run('k', fill);
    expect(started()).toBe(2);
    settle(1).resolve('fresh');
    settle(0).resolve('stale');
    expect(await before).toBe('stale');
    expect(await after).toBe('fresh');
    // The old fill settling late does not remove the new one: a third miss joins the new fill's key freshly.
    const third = sut.run('k', fill);
    expect(started()).toBe(3);
    settle(2).resolve('third');
    expect(await third).toBe('third');
  });
});
