import { ChildProcess, spawn } from 'node:child_process';
import { hash as argon2Hash } from '@node-rs/argon2';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HashingStarvedEvent, HashingThreads } from '../../libs/console-users/src/users/hashing-threads';
import { buildServer, ServerProcess, spawnServer, stopServer } from '../support/server-process';
import { call } from './support/load';

/** A hang guard, not a timing threshold: without the starvation guard this scenario takes minutes. */
const HANG_GUARD = 150_000;
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const ADMIN_PASSWORD = 'the busy machine admin';
const STARVED = /Password hashing got no CPU for \d+ ms: every core is busy/;

/** Processes of normal priority that keep every core busy: a neighbour that leaves no CPU to spare. */
function busyCores(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

// Password hashing runs in Linux's idle scheduling class so that logins never slow other
// requests; when other processes take every core that class gets next to nothing. The server must
// notice, say so, and hash at its plain low priority instead of leaving people unable to log in.
describe('password hashing on a machine whose cores are all busy (real server process, real CPU load)', () => {
  let workDir: string;
  let server: ServerProcess | undefined;
  let hogs: ChildProcess[] = [];

  beforeAll(() => {
    buildServer();
    workDir = mkdtempSync(join(tmpdir(), 'console-users-busy-'));
  }, HANG_GUARD);

  afterAll(async () => {
    hogs.forEach((hog) => hog.kill('SIGKILL'));
    await stopServer(server, 'SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  }, HANG_GUARD);

  it('boots and logs people in, and the log says hashing left the idle class', async () => {
    hogs = busyCores(availableParallelism() + 1);
    server = spawnServer(
      {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: join(workDir, 'data'),
        PUBLIC_URL: 'http://busy.example.test',
        APP_SECRET: 'busy-machine-secret-busy-machine-0123456',
        ADMIN_PASSWORD,
      },
      workDir,
    );
    const [, port] = await server.waitForStdout(LISTENING); // the boot hashes the admin's password
    const logins = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(`http://127.0.0.1:${port}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
        }),
      ),
    );
    expect(logins.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const warnings = server.stdout().split('\n').filter((line) => STARVED.test(line));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, context: 'PasswordHashing' });
    expect(server.stdout()).not.toContain(ADMIN_PASSWORD);
  }, HANG_GUARD);
});

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

/** Threads of normal class that keep `count` cores busy until stopped: a machine with no CPU to spare. */
function busyThreads(count: number): { stop(): Promise<void> } {
  const spinners = Array.from({ length: count }, () => new Worker('for (;;) {}', { eval: true }));
  return { stop: async () => void (await Promise.all(spinners.map((s) => s.terminate()))) };
}

// The mechanism itself, in this process: its threads beside threads that spin. Here rather than
// with the unit tests because it needs the machine to itself (the fault suites run alone): a
// given-up idle-class thread only finishes once the cores are free.
describe('HashingThreads when every core is busy (real threads)', () => {
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
      const load = busyThreads(availableParallelism() + 1);
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
      await eventually(() => normalClassNice10Threads() === normalBefore);
      expect(idleClassThreads()).toBe(idleBefore + 1); // the cooldown is over: an idle-class thread answered
      expect(starved).toHaveLength(1);
    } finally {
      await sut.close();
    }
  }, HANG_GUARD);
});
