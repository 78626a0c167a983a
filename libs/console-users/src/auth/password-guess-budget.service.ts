import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { sha256Hex } from '../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';

/** Who is guessing a password. */
export interface GuessingClient {
  /** The client address (after the trusted-proxy rules). */
  ip: string;
  /**
   * Proof that this client logged in to the account before: the key of a valid device cookie
   * ({@link DeviceCookies.deviceKeyFor}) or of the session the request came with. Null or absent
   * for an unknown client.
   */
  knownClientKey?: string | null;
}

/** A failure counted in advance: released when the password was right, kept when it was wrong. */
export interface GuessReservation {
  release(): Promise<void>;
  /**
   * Everything the guess took, given back because the password was never judged (hashing busy, a
   * dependency down): the counted failure and the wait between attempts it opened, so the person
   * may try again at once. Without it, {@link release} is used.
   */
  unjudged?(): Promise<void>;
}

const HOUR = 3_600_000;

/**
 * Runs the password comparison of a guess reserved in the budget. When it throws instead of
 * answering (the password hashing queue is full, a dependency is down) the password was never
 * judged, so the reserved failure is given back before the error goes on: a crowd of logins that
 * gets 503s must not lock its own accounts.
 */
export async function comparedOrReleased(reservation: GuessReservation, compare: () => Promise<boolean>): Promise<boolean> {
  try {
    return await compare();
  } catch (error) {
    await (reservation.unjudged ? reservation.unjudged() : reservation.release());
    throw error;
  }
}

/** The budget key of an account that exists. */
export function accountOf(userId: number): string {
  return `id:${userId}`;
}

/**
 * The budget key of a login that matched no account: keyed on a hash so the bucket table never
 * holds names typed by strangers (people type passwords into the name field), and limited like a
 * real account so limits tell no one which names exist.
 */
export function unknownAccountOf(login: string): string {
  return `name:${sha256Hex(login.trim().toLowerCase())}`;
}

/**
 * The wait an unknown client must keep between two attempts on an account that collected
 * `failures` failures from unknown clients this hour: none below a fifth of the ceiling, then
 * 5 s, 15 s, 30 s and 60 s for each further fifth.
 */
export function unknownClientDelayMs(failures: number, ceiling: number): number {
  const share = failures / ceiling;
  if (share < 0.2) {
    return 0;
  }
  if (share < 0.4) {
    return 5_000;
  }
  if (share < 0.6) {
    return 15_000;
  }
  return share < 0.8 ? 30_000 : 60_000;
}

/**
 * The one budget of failed password checks, used by login (form and Basic) and by every route
 * that checks a current password. Failures are counted per (account, client), OWASP's device
 * cookie scheme:
 * - a known client (device cookie from an earlier success, or the session of the request) has
 *   its own budget, `accountFailures` per window, and is not locked out by anyone else's
 *   failures; once its own budget is spent it is refused until its window ends;
 * - an unknown client has `accountFailures` per window per (account, address), and all unknown
 *   clients together `accountFailuresPerHour` per account (ASVS: at most 100 an hour), with
 *   growing waits between attempts before that ceiling ({@link unknownClientDelayMs}).
 * A failure is reserved (counted) BEFORE the password is compared and given back when it was
 * right, so parallel guesses cannot overrun a budget and, once it is spent, right and wrong
 * passwords get the same 429.
 */
@Injectable()
export class PasswordGuessBudget {
  constructor(
    private readonly limits: RateLimitRepository,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** Reserves one failure for a guess at `account` from `client`; throws the 429 when none is left. */
  async reserve(account: string, client: GuessingClient): Promise<GuessReservation> {
    const now = this.clock.now();
    const { accountFailures, accountWindowMs, accountFailuresPerHour } = this.options.loginLimits;
    if (client.knownClientKey) {
      const knownKey = `login:fail:${client.knownClientKey}`;
      const known = await this.limits.hit(knownKey, accountWindowMs, now);
      if (known.hits > accountFailures) {
        // OWASP: a known client in lockout is refused; it does not fall back to another budget.
        await this.limits.release(knownKey, now);
        throw rateLimitedError(known.resetAt, now);
      }
      return this.reservation([knownKey], now);
    }

    const accountKey = `login:fail:acct:${account}`;
    const overall = await this.limits.peek(accountKey, now);
    if (overall.hits >= accountFailuresPerHour) {
      throw rateLimitedError(overall.resetAt, now);
    }
    const delayMs = unknownClientDelayMs(overall.hits, accountFailuresPerHour);
    const gateKey = `login:gate:${account}`;
    if (delayMs > 0) {
      // One attempt per wait, whoever makes it: the first hit opens the window, the rest wait.
      const gate = await this.limits.hit(gateKey, delayMs, now);
      if (gate.hits > 1) {
        throw rateLimitedError(gate.resetAt, now);
      }
    }
    const clientKey = `login:fail:acct-ip:${account}:${client.ip}`;
    // Both counts in one statement (every login pays for each write); over either, both go back.
    // For that moment a concurrent guess sees the other count one higher: it errs on refusing.
    const [perClient, counted] = await this.limits.hitMany(
      [
        { key: clientKey, windowMs: accountWindowMs },
        { key: accountKey, windowMs: HOUR },
      ],
      now,
    );
    if (perClient!.hits > accountFailures || counted!.hits > accountFailuresPerHour) {
      await this.limits.releaseMany([clientKey, accountKey], now);
      throw rateLimitedError(perClient!.hits > accountFailures ? perClient!.resetAt : counted!.resetAt, now);
    }
    return this.reservation([clientKey, accountKey], now, delayMs > 0 ? gateKey : undefined);
  }

  /**
   * Lifts the lockout of `account` for unknown clients: the account-wide count, the wait between
   * attempts and every per-address count. For an operator who just set a new password: the owner
   * must be able to log in with it now, from any browser, not after the attacker's hour is over.
   * A known client's own budget is its own business and stays.
   */
  async forgive(account: string): Promise<void> {
    await this.limits.forget(`login:fail:acct:${account}`);
    await this.limits.forget(`login:gate:${account}`);
    await this.limits.forgetPrefix(`login:fail:acct-ip:${account}:`);
  }

  /**
   * A right password gives back the counted failure only: the wait it opened stays, one attempt
   * per wait whoever makes it. A guess never judged gives back the wait too.
   */
  private reservation(keys: string[], now: Date, gateKey?: string): GuessReservation {
    return {
      release: () => this.limits.releaseMany(keys, now),
      unjudged: () => this.limits.releaseMany(gateKey ? [...keys, gateKey] : keys, now),
    };
  }
}
