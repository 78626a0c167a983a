import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HashingStarvedEvent, HashingThreads, HashingThreadStoppedError } from './hashing-threads';
import { Argon2idPasswordHasher } from './password-hasher';

/** Niceness of every thread of this process but the main one (Linux), by thread id. */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task')
    .filter((tid) => Number(tid) !== process.pid)
    .map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

/** Threads of this process in the SCHED_IDLE class (policy 5 in /proc, Linux). */
function idleClassThreads(): number {
  return readdirSync('/proc/self/task').filter((tid) => /^policy\s*:\s*5$/m.test(readFileSync(`/proc/self/task/${tid}/sched`, 'utf8'))).length;
}

/** Threads of this process at niceness 10 in the normal class (policy 0), Linux. */
function normalClassNice10Threads(): number {
  return readdirSync('/proc/self/task').filter((tid) => {
    const nice = Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    return nice === 10 && /^policy\s*:\s*0$/m.test(readFileSync(`/proc/self/task/${tid}/sched`, 'utf8'));
  }).length;
}

/** Waits (a hang guard, not a timing threshold) until `condition` holds. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Lets a settled job's answer reach the thread bookkeeping. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Argon2idPasswordHasher (real argon2id on its own threads)', () => {
  let sut: Argon2idPasswordHasher;

  beforeEach(() => {
    sut = new Argon2idPasswordHasher(undefined, { threads: 2, niceness: 10 });
  });

  afterEach(() => sut.close());

  it('hashes in PHC form and verifies the right password only', async () => {
    const stored = await sut.hash('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await sut.verify(stored, 'correct horse battery')).toBe(true);
    expect(await sut.verify(stored, 'correct horse batterx')).toBe(false);
    expect(await sut.verify('not a hash at all', 'correct horse battery')).toBe(false);
  });

  it('makes decoys with its own parameters that argon2 reads and no password matches', async () => {
    const decoy = sut.decoy();
    expect(decoy).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(sut.decoy()).not.toBe(decoy); // a new salt and digest each time
    // argon2 itself must accept the string (a hash it cannot read fails fast, which would give
    // unknown login names away by timing): it computes and answers false.
    await expect(argon2Verify(decoy, 'any password')).resolves.toBe(false);
    expect(await sut.verify(decoy, '')).toBe(false);
    const stronger = new Argon2idPasswordHasher({ memoryCost: 8_192, timeCost: 3, parallelism: 2 }, { threads: 1 });
    expect(stronger.decoy()).toMatch(/^\$argon2id\$v=19\$m=8192,t=3,p=2\$/);
    await stronger.close();
  });

  it('runs on threads of lower scheduling priority than the event loop', async () => {
    const before = threadNiceness().filter((n) => n === 10).length;
    await Promise.all([sut.hash('one password'), sut.hash('another password')]);
    expect(threadNiceness().filter((n) => n === 10).length).toBe(before + 2); // both threads, at 10
  });

  it('on 2 cores or more, puts its threads in the idle scheduling class, so any request thread goes first', async () => {
    const before = idleClassThreads();
    await Promise.all([sut.hash('one password'), sut.hash('another password')]);
    // util-linux's chrt is there, as on every Debian; on one core the class is left alone.
    const moved = availableParallelism() >= 2 ? 2 : 0;
    expect(idleClassThreads()).toBe(before + moved);
    const plain = new HashingThreads({ threads: 1, niceness: 10, idle: false });
    try {
      await plain.run({ op: 'hash', password: 'p', options: { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } });
      expect(idleClassThreads()).toBe(before + moved); // asked not to: niceness only
    } finally {
      await plain.close();
    }
  });

  it('keeps the process alive only while a job is running', async () => {
    const running = sut.hash('some password');
    expect(process.getActiveResourcesInfo()).toContain('MessagePort');
    await running;
    await settle();
    expect(process.getActiveResourcesInfo()).not.toContain('MessagePort');
  });

  it('a stopped thread is an outage, not a wrong password, and the next job gets a new thread', async () => {
    const stored = await sut.hash('some password');
    const checking = sut.verify(stored, 'some password');
    await sut.close();
    await expect(checking).rejects.toBeInstanceOf(HashingThreadStoppedError);
    expect(await sut.verify(stored, 'some password')).toBe(true);
  });
});

describe('HashingThreads', () => {
  it('spreads concurrent jobs over its threads and answers each its own', async () => {
    const sut = new HashingThreads({ threads: 2, niceness: 0 });
    try {
      const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
      const hashes = (await Promise.all(['a-password', 'b-password', 'c-password'].map((password) => sut.run({ op: 'hash', password, options })))) as string[];
      const checks = await Promise.all(hashes.map((stored, i) => sut.run({ op: 'verify', stored, password: `${'abc'[i]}-password` })));
      expect(checks).toEqual([true, true, true]);
      expect(new Set(hashes).size).toBe(3);
    } finally {
      await sut.close();
    }
  });
});

/** Threads of normal class that keep `count` cores busy until stopped: a machine with no CPU to spare. */
function busyCores(count: number): { stop(): Promise<void> } {
  const spinners = Array.from({ length: count }, () => new Worker('for (;;) {}', { eval: true }));
  return { stop: async () => void (await Promise.all(spinners.map((s) => s.terminate()))) };
}

describe('HashingThreads when every core is busy', () => {
  it('moves a starved idle-class job to a normal thread, and goes back to the idle class after the cooldown', async () => {
    if (availableParallelism() < 2) {
      return; // the idle class is not used on one core
    }
    const stored = await argon2Hash('a password'); // on libuv's pool, before any load
    const starved: HashingStarvedEvent[] = [];
    let starvedAt = 0;
    const cooldownMs = 5_000;
    const sut = new HashingThreads({
      threads: 1,
      niceness: 10,
      idle: true,
      starvedAfterMs: 300,
      idleCooldownMs: cooldownMs,
      onStarved: (e) => {
        starved.push(e);
        starvedAt ||= performance.now();
      },
    });
    const idleBefore = idleClassThreads();
    const normalBefore = normalClassNice10Threads();
    try {
      const load = busyCores(availableParallelism() + 1);
      let checks: unknown[];
      try {
        // Two jobs: one computing, one queued behind it; both must come back right.
        checks = await Promise.all([sut.run({ op: 'verify', stored, password: 'a password' }), sut.run({ op: 'verify', stored, password: 'wrong' })]);
        expect(normalClassNice10Threads()).toBe(normalBefore + 1); // they were answered by a normal-class thread
      } finally {
        await load.stop();
      }
      expect(checks).toEqual([true, false]);
      expect(starved).toHaveLength(1);
      expect(starved[0]!.jobsMoved).toBe(2);
      expect(starved[0]!.waitedMs >= 300).toBeTruthy();
      expect(starved[0]!.cooldownMs).toBe(cooldownMs);

      // The given-up thread finishes its job once the cores are free, and ends; inside the
      // cooldown the normal-class thread goes on answering.
      await eventually(() => idleClassThreads() === idleBefore);
      expect(performance.now() < starvedAt + cooldownMs).toBe(true); // (else raise cooldownMs)
      expect(await sut.run({ op: 'verify', stored, password: 'a password' })).toBe(true);
      expect(normalClassNice10Threads()).toBe(normalBefore + 1);

      await new Promise((resolve) => setTimeout(resolve, starvedAt + cooldownMs + 100 - performance.now()));
      expect(await sut.run({ op: 'verify', stored, password: 'a password' })).toBe(true);
      await eventually(() => normalClassNice10Threads() === normalBefore + (starved.length - 1));
      // The cooldown is over: an idle-class thread answered, unless the machine running this
      // test was itself that busy, in which case it starved again and said so.
      expect(idleClassThreads() === idleBefore + 1 || starved.length > 1).toBe(true);
    } finally {
      await sut.close();
    }
  });
});
