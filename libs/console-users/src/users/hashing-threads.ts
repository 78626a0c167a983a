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
}

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
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** One thread and the jobs it owes answers for. */
class HashingThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopped = false;

  constructor(niceness: number, idle: boolean, onStop: () => void) {
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { argon2: require.resolve('@node-rs/argon2'), niceness, idle } });
    // An idle thread must not keep the process alive; one with work must.
    this.worker.unref();
    this.worker.on('message', (answer: { id: number; result?: unknown; error?: string }) => {
      const job = this.pending.get(answer.id);
      this.pending.delete(answer.id);
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
      onStop();
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
    if (this.stopped) {
      return Promise.reject(new HashingThreadStoppedError('stopped before this job'));
    }
    const id = ++this.nextId;
    if (this.pending.size === 0) {
      this.worker.ref();
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...job });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
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
 */
export class HashingThreads {
  private readonly slots: (HashingThread | undefined)[];
  private readonly niceness: number;

  private readonly idle: boolean;

  constructor(options: HashingThreadsOptions) {
    this.slots = new Array<HashingThread | undefined>(Math.max(1, Math.floor(options.threads))).fill(undefined);
    this.niceness = Math.min(19, Math.max(0, Math.floor(options.niceness ?? 10)));
    // On one core an idle-class thread would get almost nothing while requests keep it busy.
    this.idle = options.idle ?? availableParallelism() >= 2;
  }

  /** Runs `job` on the least busy thread. */
  run(job: HashingJob): Promise<unknown> {
    let best = 0;
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (!slot) {
        best = i;
        break;
      }
      if (slot.load < this.slots[best]!.load) {
        best = i;
      }
    }
    return this.threadAt(best).run(job);
  }

  /** Ends every thread (the application is shutting down). */
  async close(): Promise<void> {
    const threads = this.slots.filter((t): t is HashingThread => t !== undefined);
    this.slots.fill(undefined);
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private threadAt(index: number): HashingThread {
    let thread = this.slots[index];
    if (!thread) {
      const created: HashingThread = new HashingThread(this.niceness, this.idle, () => {
        if (this.slots[index] === created) {
          this.slots[index] = undefined;
        }
      });
      thread = created;
      this.slots[index] = thread;
    }
    return thread;
  }
}
