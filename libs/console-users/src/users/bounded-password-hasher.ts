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
}

/** Seconds a refused caller is told to wait: one hash takes tens of milliseconds, a queue drains in about a second. */
export const PASSWORD_HASHING_RETRY_AFTER_SECONDS = 1;

/** Waiting operations by default: about a second of argon2id work on one core, then refusals. */
export const DEFAULT_PASSWORD_HASHING_MAX_QUEUED = 64;

/**
 * libuv runs argon2 on its thread pool, 4 threads unless `UV_THREADPOOL_SIZE` says otherwise.
 * Keeping the default below that leaves a thread for file, DNS and zlib work of other requests.
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
  /** Callers waiting for a slot, oldest first; each resumes when a running operation hands over its slot. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly inner: PasswordHasher,
    private readonly limits: PasswordHashingLimits,
    /** Told of every refusal (the metrics count them). */
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Operations running now and waiting now (for tests and diagnostics). */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.inner.hash(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.run(() => this.inner.verify(hash, password));
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await operation();
    } finally {
      // Also after a failure: a hasher that throws must not shrink the pool for good.
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.limits.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxQueued) {
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
