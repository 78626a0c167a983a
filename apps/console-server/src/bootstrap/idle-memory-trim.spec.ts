import { HeapControl, IdleMemoryTrim } from './idle-memory-trim';

const MB = 1024 * 1024;

/** A heap whose committed size the test sets, and which shrinks to `afterTrim` when given back. */
class FakeHeap implements HeapControl {
  committed = 100 * MB;
  afterTrim = 60 * MB;
  giveBacks = 0;
  failure: Error | undefined;

  committedBytes(): number {
    return this.committed;
  }

  async giveBack(): Promise<void> {
    this.giveBacks++;
    if (this.failure) {
      throw this.failure;
    }
    this.committed = this.afterTrim;
  }
}

describe('IdleMemoryTrim', () => {
  let heap: FakeHeap;
  let busy: number;
  let trims: [number, number][];
  let errors: unknown[];
  let sut: IdleMemoryTrim;

  beforeEach(() => {
    heap = new FakeHeap();
    busy = 0;
    trims = [];
    errors = [];
    sut = new IdleMemoryTrim(heap, () => busy, {
      quietUtilization: 0.02,
      quietChecks: 2,
      minGrowthBytes: 16 * MB,
      onTrim: (before, after) => trims.push([before, after]),
      onError: (error) => errors.push(error),
    });
    sut.start(); // baseline: 100 MB
  });

  afterEach(() => sut.stop());

  it('does nothing while the heap has not grown, however quiet the server', async () => {
    expect(await sut.check()).toBe(false);
    heap.committed = 115 * MB; // 15 MB: below the growth worth a pause
    expect(await sut.check()).toBe(false);
    expect(heap.giveBacks).toBe(0);
  });

  it('does nothing while the server is busy, however much the heap grew', async () => {
    heap.committed = 180 * MB;
    busy = 0.3;
    expect(await sut.check()).toBe(false);
    busy = 0.021;
    expect(await sut.check()).toBe(false);
    expect(heap.giveBacks).toBe(0);
  });

  it('gives memory back once two quiet intervals in a row follow growth, and says how much', async () => {
    heap.committed = 180 * MB;
    busy = 0.5;
    await sut.check();
    busy = 0.01;
    expect(await sut.check()).toBe(false); // one quiet interval: V8 would still see the load's rate
    busy = 0.03;
    expect(await sut.check()).toBe(false); // a busy one starts the count again
    busy = 0;
    expect(await sut.check()).toBe(false);
    expect(await sut.check()).toBe(true);
    expect(heap.giveBacks).toBe(1);
    expect(trims).toEqual([[180 * MB, 60 * MB]]);
  });

  it('trims a quiet server once, and again only after the heap grew anew from what the trim left', async () => {
    heap.committed = 180 * MB;
    await sut.check();
    expect(await sut.check()).toBe(true);
    expect(await sut.check()).toBe(false); // 60 MB now: the new mark
    heap.committed = 70 * MB;
    expect(await sut.check()).toBe(false);
    heap.committed = 80 * MB; // 20 MB above what the trim left (though below the boot's 100 MB)
    expect(await sut.check()).toBe(true);
    expect(heap.giveBacks).toBe(2);
  });

  it('measures growth from the lowest size seen, so a shrink V8 made itself lowers the mark', async () => {
    heap.committed = 70 * MB; // V8's own reducer ran
    busy = 0.5;
    expect(await sut.check()).toBe(false);
    heap.committed = 90 * MB;
    busy = 0;
    await sut.check();
    expect(await sut.check()).toBe(true);
  });

  it('runs one trim at a time', async () => {
    heap.committed = 180 * MB;
    let finish!: () => void;
    heap.giveBack = async () => {
      heap.giveBacks++;
      await new Promise<void>((resolve) => (finish = resolve));
      heap.committed = heap.afterTrim;
    };
    await sut.check();
    const first = sut.check();
    expect(await sut.check()).toBe(false);
    finish();
    expect(await first).toBe(true);
    expect(heap.giveBacks).toBe(1);
  });

  it('reports a failed trim and goes on looking', async () => {
    heap.committed = 180 * MB;
    heap.failure = new Error('collector gone');
    await sut.check();
    expect(await sut.check()).toBe(false);
    expect(errors).toEqual([heap.failure]);
    heap.failure = undefined;
    expect(await sut.check()).toBe(true);
  });
});
