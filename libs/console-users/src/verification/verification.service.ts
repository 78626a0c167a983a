import { Inject, Injectable, Optional } from '@nestjs/common';
import { linkCode } from './link-code';
import type { DataSource, EntityManager } from 'typeorm';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import type { StringMap } from '../common/json-map';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { afterCommit, runTransaction } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ConsoleUsersMetrics, VerificationOutcome } from '../metrics/console-users-metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { generateCode, generateLinkToken, SecretHasher } from './code-secrets';
import { countSend } from './send-limits';
import { rateLimitedError } from '../throttling/rate-limited.error';
import { VerificationCodesRepository } from './verification-codes.repository';
import type { VerificationCodeEntity } from './verification-code.entity';
import { SecretKind, VerificationChannel, VerificationPurpose } from './verification-purpose';
import { VERIFICATION_SECRET_HASHER } from './verification.tokens';

/** How an issued secret reaches its owner; `null` hands it back to the caller only. */
export interface SecretDelivery {
  template: string;
  locale: string;
  /** Defaults to the target. */
  recipient?: string;
  /** Template variables, built from the plain secret (a code, or a link containing the token). */
  variables: (secret: string) => Record<string, string | number | boolean>;
  /**
   * Do all the work of a send but deliver nothing (outbox row `suppressed`): the answer to an
   * unknown address must cost what the answer to a known one costs.
   */
  suppressed?: boolean;
  /** Sender instead of the configured one. */
  from?: string | null;
}

/** What to issue. */
export interface IssueSecretRequest {
  purpose: VerificationPurpose;
  channel: VerificationChannel;
  /** Normalized address: lower-cased email or E.164. */
  target: string;
  userId?: number | null;
  kind?: SecretKind;
  /** Lifetime; default by channel (email 10 min, SMS 5 min). */
  ttlMs?: number;
  urlTemplate?: string | null;
  context?: StringMap;
  delivery: SecretDelivery | null;
  /** Count the send against cooldown and caps (default true). */
  enforceLimits?: boolean;
}

/** An issued secret; `secret` is the plain value, for delivery or for `returnCode`-style answers only. */
export interface IssuedSecret {
  id: number;
  secret: string;
  expiresAt: Date;
}

/** A secret that checked out. */
export interface VerifiedSecret {
  id: number;
  userId: number | null;
  target: string;
  context: StringMap;
}

/** What to check a typed code against. */
export interface VerifyCodeRequest {
  purpose: VerificationPurpose;
  channel: VerificationChannel;
  target: string;
  code: string;
  /** Whose failures count towards the hourly cap (`user:<id>` or the target). */
  accountKey: string;
  /** When set, the code must belong to this user. */
  userId?: number;
}

/** The state of a link token, for pages that must tell expired from used. */
export type LinkState = 'valid' | 'expired' | 'used' | 'revoked' | 'unknown';

const HOUR = 3_600_000;

/**
 * The one engine for codes and link tokens that every face uses: issue (replacing older
 * secrets, counting sends, queueing delivery in the same transaction), verify with atomic
 * attempt counting and single-winner consumption.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly codes: VerificationCodesRepository,
    private readonly limits: RateLimitRepository,
    private readonly notifications: NotificationsService,
    @Inject(VERIFICATION_SECRET_HASHER) private readonly hasher: SecretHasher,
    @Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
    @Optional() private readonly metrics?: ConsoleUsersMetrics,
  ) {}

  /** The 6-digit code a face shows beside a link token ({@link linkCode}); nothing is stored. */
  linkCode(context: string, token: string): string {
    return linkCode(this.hasher, context, token);
  }

  /** Issues in its own transaction; the queued message wakes the delivery worker after commit. */
  async issue(request: IssueSecretRequest): Promise<IssuedSecret> {
    const issued = await runTransaction(this.db, (manager) => this.issueWithin(manager, request));
    // Redundant with the after-commit hook of the enqueue; kept as this engine's own promise.
    if (request.delivery) {
      this.notifications.notifyCommitted();
    }
    return issued;
  }

  /**
   * Issues inside the caller's transaction (so the caller's own writes commit with the code and
   * its outbox row, or not at all). A queued message wakes the worker once that transaction,
   * run by the {@link TransactionRunner}, commits.
   */
  async issueWithin(manager: EntityManager, request: IssueSecretRequest): Promise<IssuedSecret> {
    const now = this.clock.now();
    const kind = request.kind ?? SecretKind.Code;
    if (request.enforceLimits !== false) {
      try {
        await countSend(this.limits, manager, this.options.verification, request, now, this.metrics);
      } catch (error) {
        this.metrics?.codeIssued(request.purpose, request.channel, kind, 'rate-limited');
        throw error;
      }
    }
    await this.codes.revokeLive(manager, request.purpose, request.channel, request.target, request.userId ?? null, now);
    const secret = kind === SecretKind.Code ? generateCode() : generateLinkToken();
    const ttl =
      request.ttlMs ??
      (request.channel === VerificationChannel.Sms ? this.options.verification.smsCodeTtlMs : this.options.verification.emailCodeTtlMs);
    const expiresAt = new Date(now.getTime() + ttl);
    const id = await this.codes.insert(manager, {
      purpose: request.purpose,
      channel: request.channel,
      kind,
      target: request.target,
      userId: request.userId ?? null,
      secretHash: kind === SecretKind.Code ? this.hasher.hashCode(secret) : this.hasher.hashLinkToken(secret),
      attempts: 0,
      maxAttempts: kind === SecretKind.Code ? this.options.verification.maxAttempts : 1,
      createdAt: now,
      expiresAt,
      consumedAt: null,
      revokedAt: null,
      urlTemplate: request.urlTemplate ?? null,
      context: request.context ?? {},
    });
    if (request.delivery) {
      await this.notifications.enqueue(manager, {
        channel: request.channel === VerificationChannel.Sms ? 'sms' : 'email',
        recipient: request.delivery.recipient ?? request.target,
        template: request.delivery.template,
        locale: request.delivery.locale,
        variables: request.delivery.variables(secret),
        verificationCodeId: id,
        suppressed: request.delivery.suppressed ?? false,
        from: request.delivery.from ?? null,
      });
    }
    // Counted once the code exists for good: a rolled-back request issued nothing.
    afterCommit(manager, () =>
      this.metrics?.codeIssued(request.purpose, request.channel, kind, request.delivery?.suppressed ? 'suppressed' : 'issued'),
    );
    return { id, secret, expiresAt };
  }

  /** Whether a live (unused, unexpired, not replaced) secret exists for the target (and user). */
  async hasLive(purpose: VerificationPurpose, channel: VerificationChannel, target: string, userId?: number | null): Promise<boolean> {
    const latest = await this.codes.findLatest(purpose, channel, target, userId);
    return latest !== null && isLive(latest, this.clock.now());
  }

  /** Revokes outstanding secrets for the target and user (e.g. the address changed). */
  async revokeFor(
    manager: EntityManager,
    purpose: VerificationPurpose,
    channel: VerificationChannel,
    target: string,
    userId: number | null,
  ): Promise<void> {
    await this.codes.revokeLive(manager, purpose, channel, target, userId, this.clock.now());
  }

  /** Revokes a user's outstanding secrets of some purposes (password changed, user disabled). */
  async revokeForUser(userId: number, purposes: VerificationPurpose[], manager?: EntityManager): Promise<number> {
    return this.codes.revokeForUser(manager, userId, purposes, this.clock.now());
  }

  /**
   * Checks a typed code. The account's failure cap comes first. A failure counts only where
   * there was something to guess: a wrong code against a live code of this user and purpose
   * (so strangers cannot spend the owner's budget when no code is out, and a replay of a used
   * code costs nothing). A right code is consumed by a conditional UPDATE that exactly one
   * caller wins and that also requires tries to be left; a wrong one registers its try in its
   * own statement, so parallel guesses cannot exceed the per-code cap. A late duplicate of the
   * right code answers "already used".
   */
  async verifyCode(request: VerifyCodeRequest): Promise<VerifiedSecret> {
    try {
      const verified = await this.checkCode(request);
      this.metrics?.codeChecked(request.purpose, 'success');
      return verified;
    } catch (error) {
      this.metrics?.codeChecked(request.purpose, verificationOutcome(error));
      throw error;
    }
  }

  private async checkCode(request: VerifyCodeRequest): Promise<VerifiedSecret> {
    const now = this.clock.now();
    const failKey = `verify-fail:${request.accountKey}`;
    const failures = await this.limits.peek(failKey, now);
    if (failures.hits >= this.options.verification.failedVerifiesPerHour) {
      this.metrics?.rateLimited('verify-failures-per-account');
      throw rateLimitedError(failures.resetAt, now);
    }
    const code = request.code.trim();
    const stored = await this.codes.findLatest(request.purpose, request.channel, request.target, request.userId);
    if (!stored || stored.kind !== SecretKind.Code) {
      throw invalidCode();
    }
    if (/^\d{1,20}$/.test(code) && this.hasher.codeMatches(code, stored.secretHash)) {
      if (await this.codes.consume(stored.id, now)) {
        return { id: stored.id, userId: stored.userId, target: stored.target, context: stored.context };
      }
      throw refusalOf((await this.codes.findById(stored.id)) ?? stored);
    }
    if (!isLive(stored, now)) {
      throw refusalOf(stored, false);
    }
    if (!(await this.codes.registerAttempt(stored.id, now))) {
      // It stopped being live meanwhile (used, replaced, expired or out of tries): nothing was guessed.
      throw refusalOf((await this.codes.findById(stored.id)) ?? stored, false);
    }
    await this.codes.burnIfExhausted(stored.id, now);
    await this.limits.hit(failKey, HOUR, now);
    throw invalidCode();
  }

  /**
   * Whether `code` is the newest secret for the target (and user) and was already used: lets a
   * flow whose pending state ended with the first success still answer a late duplicate with
   * "already used". Counts nothing.
   */
  async wasUsed(purpose: VerificationPurpose, channel: VerificationChannel, target: string, code: string, userId?: number): Promise<boolean> {
    const stored = await this.codes.findLatest(purpose, channel, target, userId);
    const typed = code.trim();
    return (
      stored !== null && stored.kind === SecretKind.Code && stored.consumedAt !== null && /^\d{1,20}$/.test(typed) && this.hasher.codeMatches(typed, stored.secretHash)
    );
  }

  /** Looks at a link token without using it (consent pages); inside the caller's transaction when given. */
  async inspectLink(
    purpose: VerificationPurpose,
    token: string,
    manager?: EntityManager,
  ): Promise<{ state: LinkState; secret?: VerifiedSecret & { expiresAt: Date } }> {
    const stored = token.length >= 32 && token.length <= 100 ? await this.codes.findBySecretHash(this.hasher.hashLinkToken(token), manager) : null;
    if (!stored || stored.purpose !== purpose || stored.kind !== SecretKind.Link) {
      this.metrics?.codeChecked(purpose, 'invalid');
      return { state: 'unknown' };
    }
    const state: LinkState = stored.consumedAt ? 'used' : stored.revokedAt ? 'revoked' : stored.expiresAt <= this.clock.now() ? 'expired' : 'valid';
    if (state !== 'valid') {
      // Counted here, where every caller looks a link up; a valid one counts when it is used.
      this.metrics?.codeChecked(purpose, 'invalid');
    }
    return {
      state,
      secret: { id: stored.id, userId: stored.userId, target: stored.target, context: stored.context, expiresAt: stored.expiresAt },
    };
  }

  /** Uses a link token; exactly one concurrent caller succeeds. Inside the caller's transaction when given. */
  async consumeLink(purpose: VerificationPurpose, token: string, manager?: EntityManager): Promise<VerifiedSecret> {
    const { state, secret } = await this.inspectLink(purpose, token, manager);
    if (state !== 'valid' || !secret || !(await this.codes.consume(secret.id, this.clock.now(), manager))) {
      if (state === 'valid') {
        this.metrics?.codeChecked(purpose, 'invalid'); // another request used it first
      }
      throw new DomainError(ErrorCode.VerificationFailed, 'The link is invalid, expired or already used.');
    }
    this.metrics?.codeChecked(purpose, 'success');
    return { id: secret.id, userId: secret.userId, target: secret.target, context: secret.context };
  }
}

/** The answer to a late duplicate of a right code. */
export function codeAlreadyUsed(): DomainError {
  return new DomainError(ErrorCode.VerificationCodeUsed, 'The verification code has already been used.');
}

const invalidCode = () => new DomainError(ErrorCode.VerificationFailed, 'Invalid verification code.');

/**
 * Why a code that is not live refuses: used (only told to whoever typed the right code),
 * burned by wrong tries, or simply invalid (expired, replaced, revoked).
 */
function refusalOf(code: VerificationCodeEntity, typedRight = true): DomainError {
  if (code.consumedAt !== null && typedRight) {
    return codeAlreadyUsed();
  }
  if (code.consumedAt === null && code.attempts >= code.maxAttempts) {
    return new DomainError(ErrorCode.VerificationAttemptsExceeded, 'Too many verification attempts, please try again later.');
  }
  return invalidCode();
}

function isLive(code: VerificationCodeEntity, now: Date): boolean {
  return code.consumedAt === null && code.revokedAt === null && code.expiresAt > now && code.attempts < code.maxAttempts;
}

/** The metric outcome of a failed check. */
function verificationOutcome(error: unknown): VerificationOutcome {
  if (error instanceof DomainError && error.code === ErrorCode.RateLimited) return 'rate-limited';
  if (error instanceof DomainError && error.code === ErrorCode.VerificationAttemptsExceeded) return 'attempts-exceeded';
  return error instanceof DomainError ? 'invalid' : 'error';
}
