import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { defaultPasswordHashingConcurrency } from './bounded-password-hasher';
import { HashingThreads, type HashingThreadsOptions, HashingThreadStoppedError } from './hashing-threads';

/** Port for hashing passwords; a host may replace it through the module options. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * Optional: a stored hash that no password matches and whose verification costs what a real
   * one does, made without hashing. Unknown login names are verified against it so they take as
   * long as a wrong password. Without it (or when it returns undefined) the verifier hashes a
   * random password once at boot instead.
   */
  decoy?(): string | undefined;
}

/** Injection token of the {@link PasswordHasher} port. */
export const CONSOLE_USERS_PASSWORD_HASHER = Symbol('console-users:password-hasher');

/** argon2id parameters; the defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1). */
export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Where the default hasher runs its work. */
export interface Argon2ThreadOptions {
  /** Dedicated hashing threads (default: the default hashing concurrency, 1 on ≤ 2 cores). */
  threads?: number;
  /** Their scheduling niceness on Linux, 0–19 (default 10: below the event loop). */
  niceness?: number;
  /** Linux: run them in the idle scheduling class too (default: with 2 cores or more; see {@link HashingThreads}). */
  idle?: boolean;
  /** When an idle-class thread counts as starved (see {@link HashingThreadsOptions.starvedAfterMs}). */
  starvedAfterMs?: number;
  /** How long hashing stays out of the idle class after that (see {@link HashingThreadsOptions.idleCooldownMs}). */
  idleCooldownMs?: number;
}

/**
 * The default hasher: argon2id in PHC string format, computed on dedicated threads of lower
 * scheduling priority than the event loop (see {@link HashingThreads}), started on first use and
 * ended at application shutdown.
 */
export class Argon2idPasswordHasher implements PasswordHasher, OnApplicationShutdown {
  private readonly threads: HashingThreads;
  private readonly logger = new Logger('PasswordHashing');

  constructor(
    private readonly params: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
    threads: Argon2ThreadOptions = {},
  ) {
    this.threads = new HashingThreads({
      ...threads,
      threads: threads.threads ?? defaultPasswordHashingConcurrency(),
      onStarved: ({ waitedMs, jobsMoved, cooldownMs, niceness }) =>
        this.logger.warn(
          `Password hashing got no CPU for ${waitedMs} ms: every core is busy. ${jobsMoved === 1 ? 'The waiting job moved' : `The ${jobsMoved} waiting jobs moved`} to a thread in the normal scheduling class at niceness ${niceness}, and hashing stays there for at least ${Math.round(cooldownMs / 1000)} s, so logins go on, at some cost to other requests.`,
        ),
    });
  }

  async hash(password: string): Promise<string> {
    return (await this.threads.run({ op: 'hash', password, options: { algorithm: Algorithm.Argon2id, ...this.params } })) as string;
  }

  /**
   * An argon2id PHC string with this hasher's parameters, a random salt and a random digest: a
   * verification runs the full argon2id computation and then compares against 32 random bytes,
   * so it costs a real verification and matches nothing. Booting no longer spends a hash (and
   * a hashing thread) on it.
   */
  decoy(): string {
    const b64 = (bytes: number) => randomBytes(bytes).toString('base64').replace(/=+$/, '');
    const { memoryCost, timeCost, parallelism } = this.params;
    return `$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$${b64(16)}$${b64(32)}`;
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return (await this.threads.run({ op: 'verify', stored, password })) === true;
    } catch (error) {
      // A hash argon2 cannot read matches nothing; a thread that stopped is an outage, not a wrong password.
      if (error instanceof HashingThreadStoppedError) {
        throw error;
      }
      return false;
    }
  }

  /** Ends the hashing threads. */
  close(): Promise<void> {
    return this.threads.close();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
