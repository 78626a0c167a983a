import { resolveOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import {
  BoundedPasswordHasher,
  defaultPasswordHashingConcurrency,
  defaultPasswordHashingCpuShare,
  PasswordHashingBusyError,
} from './bounded-password-hasher';
import type { PasswordHasher } from './password-hasher';

/** A hasher whose every call stays pending until the test settles it, recording what ran. */
class GatedHasher implements PasswordHasher {
  readonly started: string[] = [];
  running = 0;
  maxRunning = 0;
  private readonly pending = new Map<string, { resolve: (v: string) => void; reject: (e: Error) => void }>();

  hash(password: string): Promise<string> {
    return this.track(password);
  }

  async verify(_hash: string, password: string): Promise<boolean> {
    return (await this.track(password)) === 'ok';
  }

  finish(password: string, result = 'ok'): void {
    this.take(password).resolve(result);
  }

  fail(password: string): void {
    this.take(password).reject(new Error('inner hasher failed'));
  }

  private take(password: string) {
    const entry = this.pending.get(password);
    if (!entry) {
      throw new Error(`${password} is not running`);
    }
    this.pending.delete(password);
    return entry;
  }

  private track(password: string): Promise<string> {
    this.started.push(password);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise<string>((resolve, reject) => {
      const done = () => this.running--;
      this.pending.set(password, {
        resolve: (v) => (done(), resolve(v)),
        reject: (e) => (done(), reject(e)),
      });
    });
  }
}

/** Lets every queued continuation run (the hand-over to the next waiter is a few ticks away). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function build(concurrency: number, maxQueued: number) {
  const inner = new GatedHasher();
  const sut = new BoundedPasswordHasher(inner, { concurrency, maxQueued });
  return { inner, sut };
}

describe('BoundedPasswordHasher', () => {
  it('hands out the inner hasher’s decoy without taking a slot, and undefined when it has none', () => {
    const { sut } = build(1, 0);
    expect(sut.decoy()).toBeUndefined();
    const withDecoy = new BoundedPasswordHasher({ hash: async () => 'h', verify: async () => false, decoy: () => 'decoy' }, { concurrency: 1, maxQueued: 0 });
    expect(withDecoy.decoy()).toBe('decoy');
  });

  it('never runs more than `concurrency` operations at once, hash and verify alike', async () => {
    const { inner, sut } = build(2, 10);
    const calls = ['a', 'b', 'c', 'd', 'e'].map((p, i) => (i % 2 ? sut.verify('stored', p) : sut.hash(p)));
    await settle();
    expect(inner.started).toEqual(['a', 'b']);
    expect(sut.load).toEqual({ running: 2, queued: 3 });
    for (const p of ['a', 'b', 'c', 'd', 'e']) {
      await settle();
      inner.finish(p);
    }
    await expect(Promise.all(calls)).resolves.toEqual(['ok', true, 'ok', true, 'ok']);
    expect(inner.maxRunning).toBe(2);
    expect(sut.load).toEqual({ running: 0, queued: 0 });
  });

  it('starts waiting operations in the order they arrived, and a newcomer does not overtake them', async () => {
    const { inner, sut } = build(2, 10);
    const calls = ['first', 'second', 'third', 'fourth', 'fifth'].map((p) => sut.hash(p));
    await settle();
    inner.finish('second');
    // Arrives in the same tick as the freed slot: it must queue behind third, fourth and fifth.
    calls.push(sut.hash('late'));
    await settle();
    inner.finish('first');
    await settle();
    for (const p of ['third', 'fourth', 'fifth', 'late']) {
      inner.finish(p);
      await settle();
    }
    await Promise.all(calls);
    expect(inner.started).toEqual(['first', 'second', 'third', 'fourth', 'fifth', 'late']);
    expect(inner.maxRunning).toBe(2);
  });

  it('refuses at once with a 503-style domain error when the queue is full, without calling the inner hasher', async () => {
    const { inner, sut } = build(1, 2);
    const accepted = ['a', 'b', 'c'].map((p) => sut.hash(p));
    await settle();

    const refused = sut.verify('stored', 'd');
    await expect(refused).rejects.toBeInstanceOf(PasswordHashingBusyError);
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable, options: { retryAfterSeconds: 1 } });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    expect(inner.started).toEqual(['a']);
    expect(sut.load).toEqual({ running: 1, queued: 2 });

    for (const p of ['a', 'b', 'c']) {
      await settle();
      inner.finish(p);
    }
    await Promise.all(accepted);
    // Room again once the queue drained.
    const later = sut.hash('e');
    await settle();
    inner.finish('e');
    await expect(later).resolves.toBe('ok');
  });

  it('with maxQueued 0 refuses whenever every slot is busy', async () => {
    const { inner, sut } = build(1, 0);
    const running = sut.hash('a');
    await settle();
    await expect(sut.hash('b')).rejects.toBeInstanceOf(PasswordHashingBusyError);
    inner.finish('a');
    await expect(running).resolves.toBe('ok');
  });

  it('gives the slot back when the inner hasher fails, so the next caller runs', async () => {
    const { inner, sut } = build(1, 5);
    const failing = sut.hash('broken');
    const next = sut.hash('next');
    await settle();
    inner.fail('broken');
    await expect(failing).rejects.toThrow('inner hasher failed');
    await settle();
    expect(inner.started).toEqual(['broken', 'next']);
    inner.finish('next');
    await expect(next).resolves.toBe('ok');
    expect(sut.load).toEqual({ running: 0, queued: 0 });
  });

  it('gives the slot back when the inner hasher throws before returning a promise', async () => {
    const throwing: PasswordHasher = {
      hash: () => {
        throw new Error('synchronous failure');
      },
      verify: async () => true,
    };
    const sut = new BoundedPasswordHasher(throwing, { concurrency: 1, maxQueued: 0 });
    await expect(sut.hash('x')).rejects.toThrow('synchronous failure');
    await expect(sut.verify('stored', 'x')).resolves.toBe(true);
  });
});

describe('BoundedPasswordHasher with a CPU share below 1', () => {
  // Timers are faked so the rest can be stepped through; the hand-over itself uses setImmediate.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  function buildTimed(cpuShare: number, maxQueued = 10) {
    const inner = new GatedHasher();
    let clock = 0;
    const sut = new BoundedPasswordHasher(inner, { concurrency: 1, maxQueued, cpuShare }, undefined, () => clock);
    return { inner, sut, advance: (ms: number) => (clock += ms) };
  }

  /** Steps the fake timers to 1 ms before the rest ends, checks `second` has not started, then to its end. */
  async function expectSecondStartsAfter(inner: GatedHasher, restMs: number): Promise<void> {
    jest.advanceTimersByTime(restMs - 1);
    await settle();
    expect(inner.started).toEqual(['first']);
    jest.advanceTimersByTime(1);
    await settle();
    expect(inner.started).toEqual(['first', 'second']);
    inner.finish('second');
  }

  it('answers the caller at once, then rests the slot in proportion to the hash before the next starts', async () => {
    const { inner, sut, advance } = buildTimed(0.5);
    const first = sut.hash('first');
    const second = sut.hash('second');
    await settle();
    advance(40); // the first hash runs for 40 ms
    inner.finish('first');
    await expect(first).resolves.toBe('ok');
    await settle();
    // Share 0.5: the slot rests as long again (40 ms) before the waiting one may start.
    expect(inner.started).toEqual(['first']);
    expect(sut.load).toEqual({ running: 0, queued: 1 });
    await expectSecondStartsAfter(inner, 40);
    await expect(second).resolves.toBe('ok');
  });

  it('rests three times as long as the hash with a share of 0.25, also after a failure', async () => {
    const { inner, sut, advance } = buildTimed(0.25);
    const first = sut.hash('first');
    const second = sut.hash('second');
    await settle();
    advance(10);
    inner.fail('first');
    await expect(first).rejects.toThrow('inner hasher failed');
    await expectSecondStartsAfter(inner, 30);
    await expect(second).resolves.toBe('ok');
  });

  it('with no queue, lets one caller wait out a resting slot and refuses the next', async () => {
    const { inner, sut, advance } = buildTimed(0.5, 0);
    const first = sut.hash('first');
    await settle();
    advance(30);
    inner.finish('first');
    await first;
    const second = sut.hash('second');
    await expect(sut.hash('third')).rejects.toBeInstanceOf(PasswordHashingBusyError);
    await expectSecondStartsAfter(inner, 30);
    await expect(second).resolves.toBe('ok');
  });

  it('frees the slot after the rest when nobody waits, so the next caller starts at once', async () => {
    const { inner, sut, advance } = buildTimed(0.5);
    const first = sut.hash('first');
    await settle();
    advance(20);
    inner.finish('first');
    await first;
    // Resting: not hashing (the gauge shows 0), yet the slot is not free for 20 ms.
    expect(sut.load).toEqual({ running: 0, queued: 0 });
    jest.advanceTimersByTime(20);
    const next = sut.hash('next');
    await settle();
    expect(inner.started).toEqual(['first', 'next']);
    inner.finish('next');
    await expect(next).resolves.toBe('ok');
  });
});

describe('password hashing limits', () => {
  it('default to a CPU share of 0.5 on two cores or fewer, else 1', () => {
    expect(defaultPasswordHashingCpuShare(1)).toBe(0.5);
    expect(defaultPasswordHashingCpuShare(2)).toBe(0.5);
    expect(defaultPasswordHashingCpuShare(3)).toBe(1);
  });

  it('default to one hash at a time on two cores, cores - 1 above, at most 3', () => {
    expect(defaultPasswordHashingConcurrency(1)).toBe(1);
    expect(defaultPasswordHashingConcurrency(2)).toBe(1);
    expect(defaultPasswordHashingConcurrency(3)).toBe(2);
    expect(defaultPasswordHashingConcurrency(4)).toBe(3);
    expect(defaultPasswordHashingConcurrency(64)).toBe(3);
  });

  const base = { publicUrl: 'http://console.test', appSecret: 'k'.repeat(32), dataDir: '/tmp' };

  it('are read from the module options, with a queue of 64 by default', () => {
    expect(resolveOptions(base).passwordHashing).toEqual({
      concurrency: defaultPasswordHashingConcurrency(),
      maxQueued: 64,
      cpuShare: defaultPasswordHashingCpuShare(),
    });
    expect(resolveOptions({ ...base, passwordHashing: { concurrency: 4, maxQueued: 0, cpuShare: 0.3 } }).passwordHashing).toEqual({
      concurrency: 4,
      maxQueued: 0,
      cpuShare: 0.3,
    });
  });

  it.each([
    [{ concurrency: 0 }, /passwordHashing\.concurrency must be a whole number from 1 to 256 \(got 0\)/],
    [{ concurrency: 1.5 }, /passwordHashing\.concurrency/],
    [{ concurrency: Number.NaN }, /passwordHashing\.concurrency/],
    [{ concurrency: 1000 }, /passwordHashing\.concurrency/],
    [{ maxQueued: -1 }, /passwordHashing\.maxQueued must be a whole number from 0 to 100000 \(got -1\)/],
    [{ maxQueued: Number.POSITIVE_INFINITY }, /passwordHashing\.maxQueued/],
    [{ cpuShare: 0 }, /passwordHashing\.cpuShare must be a number above 0 and at most 1 \(got 0\)/],
    [{ cpuShare: 1.5 }, /passwordHashing\.cpuShare/],
    [{ cpuShare: Number.NaN }, /passwordHashing\.cpuShare/],
  ])('stop the boot with a message naming the setting for %p', (passwordHashing, message) => {
    expect(() => resolveOptions({ ...base, passwordHashing })).toThrow(message);
  });
});
