import { availableParallelism } from 'node:os';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { PasswordHasher } from './password-hasher';

/** How many password hashes may run at once, and how many may wait for a turn. */
export interface PasswordHashingLimits {
  /** Hash and verify operations running at the same time (at least 1). */
  concurrency: number;
  /** Operations waiting for a turn; one more is refused at once with {@link PasswordHashingBusyError}. */
  maxQueued: number;
  /**
   * The share of a slot's time spent hashing, above 0 and at most 1 (default 1: a slot passes to
   * the next operation at once). Below 1, a slot rests after each operation in proportion to how
   * long it ran (0.5: as long again) before the next one starts, so hashing takes at most that
   * share of a core per slot. The caller gets its result at once; only the next waiter waits.
   */
  cpuShare?: number;
}

/** Seconds a refused caller is told to wait: one hash takes tens of milliseconds, a queue drains in about a second. */
export const PASSWORD_HASHING_RETRY_AFTER_SECONDS = 1;

/** Waiting operations by default: about a second of argon2id work on one core, then refusals. */
export const DEFAULT_PASSWORD_HASHING_MAX_QUEUED = 64;

/**
 * Each running hash takes a core; keeping some cores for requests matters more than hashing
 * faster on a big machine.
 */
const DEFAULT_CONCURRENCY_CAP = 3;

/**
 * The default concurrency: 1 on a machine with at most 2 cores (the other core serves every other
 * request), else one less than the cores, at most {@link DEFAULT_CONCURRENCY_CAP}.
 */
export function defaultPasswordHashingConcurrency(cores: number = availableParallelism()): number {
  return cores <= 2 ? 1 : Math.min(cores - 1, DEFAULT_CONCURRENCY_CAP);
}

/**
 * The default share of a slot's time spent hashing: 0.5 on a machine with at most 2 cores, else 1.
 * On 2 cores one busy hashing slot is a whole core; the other is shared by every other request
 * (and each login's own database work), so without a rest a login burst still triples their p99.
 */
export function defaultPasswordHashingCpuShare(cores: number = availableParallelism()): number {
  return cores <= 2 ? 0.5 : 1;
}

/**
 * Every password hash or check is refused because too many are already running or waiting. The
 * faces answer it as the 503 of an unavailable service with `Retry-After: 1`; it never carries
 * anything about the password or the account.
 */
export class PasswordHashingBusyError extends DomainError {
  constructor() {
    super(ErrorCode.ServiceUnavailable, 'Too many sign-ins are being checked right now, please try again in a second.', {
      retryAfterSeconds: PASSWORD_HASHING_RETRY_AFTER_SECONDS,
    });
    this.name = 'PasswordHashingBusyError';
  }
}

/**
 * Runs at most `concurrency` operations of the wrapped hasher at once, first come first served,
 * with at most `maxQueued` waiting. argon2id is memory- and CPU-hard on purpose: without a bound a
 * burst of logins takes every core and slows every other request; with it the burst waits its turn
 * and, past the queue, is told to come back instead of piling up.
 */
export class BoundedPasswordHasher implements PasswordHasher {
  private running = 0;
  /** Slots among `running` that only rest after a hash (see `cpuShare`). */
  private resting = 0;
  /** Callers waiting for a slot, oldest first; each resumes when a running operation hands over its slot. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: PasswordHashingLimits,
    /** Told of every refusal (the metrics count them). */
    private readonly onRefused: () => void = () => undefined,
    /** Milliseconds of a monotonic clock, to time each operation for the rest that follows it. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Operations running now and waiting now (for tests and diagnostics). */
  get load(): { running: number; queued: number } {
    // A resting slot hashes nothing; it is neither running nor waiting.
    return { running: this.running - this.resting, queued: this.waiting.length };
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.inner.hash(password));
  }

  decoy(): string | undefined {
    return this.inner.decoy?.();
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run(() => this.inner.verify(hash, password));
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    await this.acquire();
    const started = this.now();
    try {
      return await operation();
    } finally {
      // Also after a failure: a hasher that throws must not shrink the pool for good.
      this.releaseAfterRest(this.now() - started);
    }
  }

  /** Hands the slot on once it has rested for its share of `busyMs` (at once when the share is 1). */
  private releaseAfterRest(busyMs: number): void {
    const share = this.limits.cpuShare ?? 1;
    const restMs = share >= 1 ? 0 : (busyMs * (1 - share)) / share;
    if (restMs < 1) {
      this.release();
      return;
    }
    // Not unref'd: a waiting caller depends on this timer, and with nothing else pending (a boot
    // hashing twice in a row) an unref'd one would let the process exit under it. It lasts at
    // most a few hash lengths.
    this.resting++;
    setTimeout(() => {
      this.resting--;
      this.release();
    }, restMs);
  }

  private acquire(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    // A resting slot is free in a moment, so its next turn is one more place in the queue: with
    // maxQueued 0 a second hash right after a first (a boot: dummy hash, then the admin's) waits
    // out the rest instead of being refused.
    if (this.waiting.length >= this.limits.maxQueued + this.resting) {
      this.onRefused();
      return Promise.reject(new PasswordHashingBusyError());
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      // The slot passes straight to the oldest waiter, so a newcomer cannot overtake the queue.
      next();
    } else {
      this.running--;
    }
  }
}
