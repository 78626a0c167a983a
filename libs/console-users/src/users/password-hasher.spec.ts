import { verify as argon2Verify } from '@node-rs/argon2';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { HashingThreads, HashingThreadStoppedError } from './hashing-threads';
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
