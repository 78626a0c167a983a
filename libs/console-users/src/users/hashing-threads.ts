import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** What one hashing thread is asked to do; the password never leaves the process. */
export type HashingJob = { op: 'hash'; password: string; options: Record<string, unknown> } | { op: 'verify'; stored: string; password: string };

/** Settings of {@link HashingThreads}. */
export interface HashingThreadsOptions {
  /** Threads to run jobs on (at least 1). */
  threads: number;
  /**
   * Scheduling niceness of each thread, 0 (normal) to 19 (lowest); on Linux only (elsewhere the
   * threads run at normal priority). Default 10.
   */
  niceness?: number;
  /**
   * Linux: also move each thread to the `SCHED_IDLE` class (with util-linux's `chrt`, when
   * installed), so it runs only on CPU time no other thread of the machine wants, and gives its
   * core up at once when one does. Default: on machines with at least 2 cores. Off, or without
   * `chrt`, the niceness alone applies.
   */
  idle?: boolean;
  /**
   * How long a job may run on an idle-class thread before the thread counts as starved (default
   * 1 000 ms, and never less than four times the fastest job seen: slow argon2 parameters are
   * not starvation). See {@link HashingThreads}.
   */
  starvedAfterMs?: number;
  /** How long hashing stays out of the idle class after a thread starved (default 60 000 ms). */
  idleCooldownMs?: number;
  /** Told each time hashing leaves the idle class because a thread starved (the log says so). */
  onStarved?: (event: HashingStarvedEvent) => void;
}

/** What {@link HashingThreadsOptions.onStarved} is told. */
export interface HashingStarvedEvent {
  /** How long the job had been running when its thread was given up. */
  waitedMs: number;
  /** Jobs moved to a thread of normal scheduling class (the starved one and any queued behind it). */
  jobsMoved: number;
  /** How long new threads stay out of the idle class. */
  cooldownMs: number;
  /** The niceness the jobs' new thread runs at. */
  niceness: number;
}

/** The default of {@link HashingThreadsOptions.starvedAfterMs}. */
export const DEFAULT_STARVED_AFTER_MS = 1_000;
/** The default of {@link HashingThreadsOptions.idleCooldownMs}. */
export const DEFAULT_IDLE_COOLDOWN_MS = 60_000;

/**
 * The code of a hashing thread. It lowers its own priority first (Linux allows any thread to
 * lower its own; `/proc/thread-self` names it), then runs argon2 synchronously for each job: the
 * whole job runs on this thread, at this priority, never on libuv's shared pool.
 *
 * Niceness alone leaves readers waiting: measured beside 20 concurrent logins on 2 cores, a
 * request that wakes while a nice thread hashes still waits for the kernel to switch, and
 * `GET users/-`'s p99 rose from ≈ 1.9 to 4.5–5.2 ms; with the threads in SCHED_IDLE, which the
 * kernel preempts at once for any other thread, 3.3–3.9 ms. Node has no call for the
 * scheduling class, hence `chrt` (one short process when a thread starts, from this thread,
 * never the event loop's); without it the niceness still applies.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.argon2);
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.niceness);
  if (workerData.idle) {
    require('node:child_process').execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
  }
} catch {}
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'hash' ? argon2.hashSync(job.password, job.options) : argon2.verifySync(job.stored, job.password);
    parentPort.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String((error && error.message) || error) });
  }
});
`;

/** A hashing thread ended with jobs owed (crashed, or the application is shutting down): not a wrong password. */
export class HashingThreadStoppedError extends Error {
  constructor(reason: string) {
    super(`password hashing thread stopped: ${reason}`);
    this.name = 'HashingThreadStoppedError';
  }
}

interface Pending {
  job: HashingJob;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** What a {@link HashingThread} tells its owner. */
interface HashingThreadEvents {
  /** The thread stopped (crash or termination); its jobs were rejected. */
  onStop(): void;
  /** A job ran for `ms` (from when the thread could start it to its answer). */
  onJobDone(ms: number): void;
  /** Idle-class threads only: the job at the head has run for `ms` without an answer. */
  onOverdue(thread: HashingThread, ms: number): void;
}

/** One thread and the jobs it owes answers for, answered in the order they were sent. */
class HashingThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopped = false;
  /** When the job at the head of `pending` could start (the thread answers jobs one by one). */
  private headStartedAt = 0;
  private overdueTimer: NodeJS.Timeout | undefined;

  constructor(
    niceness: number,
    /** Whether this thread asks for the idle scheduling class. */
    readonly idle: boolean,
    /** Milliseconds before an idle-class thread's head job counts as overdue. */
    private readonly overdueAfterMs: () => number,
    private readonly events: HashingThreadEvents,
  ) {
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { argon2: require.resolve('@node-rs/argon2'), niceness, idle } });
    // An idle thread must not keep the process alive; one with work must.
    this.worker.unref();
    this.worker.on('message', (answer: { id: number; result?: unknown; error?: string }) => {
      const job = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      const now = performance.now();
      if (job) {
        this.events.onJobDone(now - this.headStartedAt);
      }
      this.headStartedAt = now;
      this.watchHead();
      if (this.pending.size === 0) {
        this.worker.unref();
      }
      if (answer.error !== undefined) {
        job?.reject(new Error(`password hashing failed: ${answer.error}`));
      } else {
        job?.resolve(answer.result);
      }
    });
    const stop = (reason: string) => {
      if (this.stopped) {
        return;
      }
      this.stopped = true;
      clearTimeout(this.overdueTimer);
      this.events.onStop();
      for (const job of this.pending.values()) {
        job.reject(new HashingThreadStoppedError(reason));
      }
      this.pending.clear();
    };
    this.worker.on('error', (error) => stop(error.message));
    this.worker.on('exit', (code) => stop(`exit code ${code}`));
  }

  get load(): number {
    return this.pending.size;
  }

  run(job: HashingJob): Promise<unknown> {
    return new Promise((resolve, reject) => this.adopt({ job, resolve, reject }));
  }

  /** Takes on a job, new or handed over by a thread that gave up. */
  adopt(entry: Pending): void {
    if (this.stopped) {
      entry.reject(new HashingThreadStoppedError('stopped before this job'));
      return;
    }
    this.send(entry);
  }

  /**
   * Stops the thread and hands back the jobs it still owes, unanswered, for another thread. The
   * job it is computing cannot be interrupted (argon2 runs synchronously in it): the thread ends
   * when that job does, which `exited` tells, and its answer is dropped.
   */
  giveUp(): { owed: Pending[]; exited: Promise<unknown> } {
    const owed = [...this.pending.values()];
    this.pending.clear();
    this.stopped = true;
    clearTimeout(this.overdueTimer);
    this.events.onStop();
    return { owed, exited: this.worker.terminate().catch(() => undefined) };
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private send(entry: Pending): void {
    const id = ++this.nextId;
    const first = this.pending.size === 0;
    this.pending.set(id, entry);
    if (first) {
      this.worker.ref();
      this.headStartedAt = performance.now();
      this.watchHead();
    }
    this.worker.postMessage({ id, ...entry.job });
  }

  /** Idle class only: arms the check that the job now at the head answers in time. */
  private watchHead(): void {
    clearTimeout(this.overdueTimer);
    this.overdueTimer = undefined;
    if (!this.idle || this.pending.size === 0) {
      return;
    }
    const startedAt = this.headStartedAt;
    this.overdueTimer = setTimeout(() => {
      if (!this.stopped && this.pending.size > 0 && this.headStartedAt === startedAt) {
        this.events.onOverdue(this, performance.now() - startedAt);
      }
    }, this.overdueAfterMs());
    // The job itself keeps the process alive (the worker is ref'd while it has one).
    this.overdueTimer.unref();
  }
}

/**
 * Dedicated threads for argon2, at a lower scheduling priority than the event loop.
 *
 * argon2id is meant to take a core for tens of milliseconds. On libuv's pool it competes as an
 * equal with the thread that serves every other request, so a burst of logins slowed everything
 * else; at niceness 10 (and, with 2 cores or more, in the idle scheduling class) the kernel
 * gives the event loop precedence and hashing the CPU that is left, which on an idle machine is
 * all of it. Threads start on first use, one job at a time each (the caller's bound decides how
 * many run), and are replaced if one ever stops.
 *
 * The idle class has a price: when every core is busy with threads of normal class (a neighbour
 * process, a CPU-bound job, a test suite on the same box), it gets almost nothing — measured here
 * beside three busy processes on 2 cores, 34 and 70 s for two logins, 41 s for the boot's first
 * hash. So a job that has not answered within `starvedAfterMs` (1 s; at least four times the
 * fastest job seen) moves, with any job queued behind it, to a new thread at the plain niceness,
 * and new threads start that way until `idleCooldownMs` (60 s) has passed and the starved thread
 * has finished the job it could not give up; then an idle-class thread takes over again. A login
 * on a saturated machine is slower, never stuck.
 */
export class HashingThreads {
  private readonly slots: (HashingThread | undefined)[];
  private readonly niceness: number;
  private readonly idle: boolean;
  private readonly starvedAfterMs: number;
  private readonly idleCooldownMs: number;
  private readonly onStarved: (event: HashingStarvedEvent) => void;
  /** The fastest job seen, in ms: the cost of one hash when the thread has a core. */
  private fastestJobMs = Infinity;
  /** Until when (performance.now()) new threads stay out of the idle class. */
  private idleSuspendedUntil = -Infinity;
  /** Starved threads given up and still finishing the job they were computing. */
  private stillStarving = 0;

  constructor(options: HashingThreadsOptions) {
    this.slots = new Array<HashingThread | undefined>(Math.max(1, Math.floor(options.threads))).fill(undefined);
    this.niceness = Math.min(19, Math.max(0, Math.floor(options.niceness ?? 10)));
    // On one core an idle-class thread would get almost nothing while requests keep it busy.
    this.idle = options.idle ?? availableParallelism() >= 2;
    this.starvedAfterMs = options.starvedAfterMs ?? DEFAULT_STARVED_AFTER_MS;
    this.idleCooldownMs = options.idleCooldownMs ?? DEFAULT_IDLE_COOLDOWN_MS;
    this.onStarved = options.onStarved ?? (() => undefined);
  }

  /** Runs `job` on the least busy thread. */
  run(job: HashingJob): Promise<unknown> {
    this.endCooldown();
    return this.threadAt(this.leastBusy()).run(job);
  }

  /** Ends every thread (the application is shutting down). */
  async close(): Promise<void> {
    const threads = this.slots.filter((t): t is HashingThread => t !== undefined);
    this.slots.fill(undefined);
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private leastBusy(): number {
    let best = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (!slot) {
        return i;
      }
      if (slot.load < this.slots[best]!.load) {
        best = i;
      }
    }
    return best;
  }

  /**
   * An idle-class thread got no CPU for its job: every core is taken by threads of normal class
   * (this process's or any other's), and the idle class would wait until they stop, a minute or
   * for ever. Hashing leaves the idle class for a while: the thread is given up, its jobs go to a
   * new thread at the plain niceness, which the kernel gives a small but steady share, and new
   * threads start so until the cooldown ends.
   */
  private starved(thread: HashingThread, waitedMs: number): void {
    const index = this.slots.indexOf(thread);
    if (index < 0) {
      return;
    }
    this.idleSuspendedUntil = performance.now() + this.idleCooldownMs;
    this.slots[index] = undefined;
    const { owed, exited } = thread.giveUp();
    this.stillStarving++;
    void exited.then(() => this.stillStarving--);
    for (const entry of owed) {
      this.threadAt(this.leastBusy()).adopt(entry);
    }
    this.onStarved({ waitedMs: Math.round(waitedMs), jobsMoved: owed.length, cooldownMs: this.idleCooldownMs, niceness: this.niceness });
  }

  /**
   * After the cooldown, a normal-class thread with nothing to do makes way for an idle-class one;
   * not while a given-up thread is still on its job: the cores are still taken, and going back
   * would only strand another thread (and its memory) behind them.
   */
  private endCooldown(): void {
    if (!this.idle || this.stillStarving > 0 || performance.now() < this.idleSuspendedUntil) {
      return;
    }
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot && !slot.idle && slot.load === 0) {
        this.slots[i] = undefined;
        void slot.terminate().catch(() => undefined);
      }
    }
  }

  /** A job may run this long on an idle-class thread before the thread counts as starved. */
  private overdueAfterMs(): number {
    return Math.max(this.starvedAfterMs, 4 * (Number.isFinite(this.fastestJobMs) ? this.fastestJobMs : 0));
  }

  private threadAt(index: number): HashingThread {
    let thread = this.slots[index];
    if (!thread) {
      const idle = this.idle && this.stillStarving === 0 && performance.now() >= this.idleSuspendedUntil;
      const created: HashingThread = new HashingThread(this.niceness, idle, () => this.overdueAfterMs(), {
        onStop: () => {
          if (this.slots[index] === created) {
            this.slots[index] = undefined;
          }
        },
        onJobDone: (ms) => {
          this.fastestJobMs = Math.min(this.fastestJobMs, ms);
        },
        onOverdue: (overdue, ms) => this.starved(overdue, ms),
      });
      thread = created;
      this.slots[index] = thread;
    }
    return thread;
  }
}
