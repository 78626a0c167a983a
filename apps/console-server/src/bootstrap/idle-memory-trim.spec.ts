import { EventEmitter } from 'node:events';
import { collectUntilSettled, HeapControl, IdleMemoryTrim, requestWatch } from './idle-memory-trim';

const MB = 1024 * 1024;

/**
 * A heap whose committed size the test sets, and which shrinks to `afterTrim` when given back;
 * when `stillQuiet` says no after its first collection, only to `afterInterruptedTrim`.
 */
class FakeHeap implements HeapControl {
  committed = 100 * MB;
  afterTrim = 60 * MB;
  afterInterruptedTrim = 120 * MB;
  giveBacks = 0;
  failure: Error | undefined;

  committedBytes(): number {
    return this.committed;
  }

  async giveBack(stillQuiet: () => Promise<boolean>): Promise<boolean> {
    this.giveBacks++;
    if (this.failure) {
      throw this.failure;
    }
    if (!(await stillQuiet())) {
      this.committed = this.afterInterruptedTrim;
      return true;
    }
    this.committed = this.afterTrim;
    return false;
  }
}

describe('IdleMemoryTrim', () => {
  let heap: FakeHeap;
  let busy: number;
  let requestsArriveDuringTrim: boolean;
  let watchesStopped: number;
  let started: number[];
  let trims: [number, number, boolean][];
  let errors: unknown[];
  let sut: IdleMemoryTrim;

  beforeEach(() => {
    heap = new FakeHeap();
    busy = 0;
    requestsArriveDuringTrim = false;
    watchesStopped = 0;
    started = [];
    trims = [];
    errors = [];
    sut = new IdleMemoryTrim(heap, () => busy, {
      quietUtilization: 0.02,
      quietChecks: 2,
      minGrowthBytes: 16 * MB,
      watchRequests: () => ({ stillQuiet: async () => !requestsArriveDuringTrim, stop: () => watchesStopped++ }),
      onTrimStart: (before) => started.push(before),
      onTrim: (before, after, interrupted) => trims.push([before, after, interrupted]),
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
    expect(trims).toEqual([[180 * MB, 60 * MB, false]]);
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

  it('stops a trim when requests arrive, and hands back the rest in the next quiet spell', async () => {
    requestsArriveDuringTrim = true;
    heap.committed = 180 * MB;
    await sut.check();
    expect(await sut.check()).toBe(true);
    expect(started).toEqual([180 * MB]);
    expect(trims).toEqual([[180 * MB, 120 * MB, true]]);
    requestsArriveDuringTrim = false;
    // The requests made the server busy: two quiet checks again, and the 20 MB the trim did not
    // reach (above the 100 MB mark from before it) still count as growth.
    expect(await sut.check()).toBe(false);
    expect(await sut.check()).toBe(true);
    expect(trims).toEqual([
      [180 * MB, 120 * MB, true],
      [120 * MB, 60 * MB, false],
    ]);
    expect(watchesStopped).toBe(2); // each trim lets go of its watch
  });

  it('runs one trim at a time', async () => {
    heap.committed = 180 * MB;
    let finish!: () => void;
    heap.giveBack = async () => {
      heap.giveBacks++;
      await new Promise<void>((resolve) => (finish = resolve));
      heap.committed = heap.afterTrim;
      return false;
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

describe('collectUntilSettled', () => {
  /** A collector whose full collections leave the heap at the next of `sizes` (MB); records what ran. */
  function fakeCollector(sizes: number[]) {
    let committed = sizes.shift()! * MB;
    const ran: string[] = [];
    const gc = async ({ type }: { type: 'major' | 'minor' }) => {
      ran.push(type);
      if (type === 'major') {
        committed = (sizes.shift() ?? committed / MB) * MB;
      }
    };
    return { gc, ran, committed: () => committed };
  }

  it('repeats full collections until one frees less than 1 MB, then runs one young collection', async () => {
    const heap = fakeCollector([90, 60, 45, 44.5]);
    expect(await collectUntilSettled(heap.gc, heap.committed, async () => true)).toBe(false);
    expect(heap.ran).toEqual(['major', 'major', 'major', 'minor']);
    expect(heap.committed()).toBe(44.5 * MB);
  });

  it('runs at most five full collections', async () => {
    const heap = fakeCollector([200, 180, 160, 140, 120, 100, 80]);
    await collectUntilSettled(heap.gc, heap.committed, async () => true);
    expect(heap.ran).toEqual(['major', 'major', 'major', 'major', 'major', 'minor']);
  });

  it('asks after each full collection whether the server is still quiet, and stops when it is not', async () => {
    const heap = fakeCollector([90, 60, 45, 30]);
    let asked = 0;
    const interrupted = await collectUntilSettled(heap.gc, heap.committed, async () => ++asked < 2);
    expect(interrupted).toBe(true);
    expect(asked).toBe(2);
    expect(heap.ran).toEqual(['major', 'major']);
    expect(heap.committed()).toBe(45 * MB);
  });

  it('says so when requests came only during the young collection at the end', async () => {
    const heap = fakeCollector([90, 89.5]);
    let asked = 0;
    expect(await collectUntilSettled(heap.gc, heap.committed, async () => ++asked < 2)).toBe(true);
    expect(heap.ran).toEqual(['major', 'minor']);
  });

  it('asks after the last full collection too, before the young one', async () => {
    const heap = fakeCollector([90, 89.5]);
    expect(await collectUntilSettled(heap.gc, heap.committed, async () => false)).toBe(true);
    expect(heap.ran).toEqual(['major']);
  });
});

describe('requestWatch', () => {
  it('says quiet until the server takes a request, and listens only while the watch runs', async () => {
    const server = new EventEmitter();
    const watch = requestWatch(server)();
    expect(server.listenerCount('request')).toBe(1);
    expect(await watch.stillQuiet()).toBe(true);
    server.emit('request');
    expect(await watch.stillQuiet()).toBe(false);
    watch.stop();
    expect(server.listenerCount('request')).toBe(0);
  });

  it('looks after the requests already waiting have been read, not when it is asked', async () => {
    const server = new EventEmitter();
    const watch = requestWatch(server)();
    const answer = watch.stillQuiet();
    server.emit('request'); // read after the question, before the look
    expect(await answer).toBe(false);
    watch.stop();
  });
});
