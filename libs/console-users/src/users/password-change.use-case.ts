import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CredentialRevocationService } from '../auth/credential-revocation.service';
import { accountOf, comparedOrReleased, GuessingClient, PasswordGuessBudget } from '../auth/password-guess-budget.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { NotificationsService, QueuedMessage } from '../notifications/notifications.service';
import type { VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from './password-hasher';
import { isPasswordChangeRequired, withoutPasswordChangeRequired } from './password-change-required';
import type { UserEntity } from './user.entity';
import { UserChanges, UsersRepository } from './users.repository';

/** A new password for one user, with what else changes in the same transaction. */
export interface PasswordChange {
  userId: number;
  /** From {@link PasswordChangeUseCase.hashPassword}, computed before the transaction (it is slow). */
  passwordHash: string;
  /** Lock the row (PostgreSQL) before the checks: for checks that read other rows, such as roles. */
  lock?: boolean;
  /**
   * Runs on the row as read in the transaction, before anything is written: throws to refuse
   * (the face's error), and may return other columns that change with the password.
   */
  check?: (fresh: UserEntity | null, manager: EntityManager) => Promise<UserChanges | void> | UserChanges | void;
  /** Secrets ended on top of sessions, tokens, recovery links and reset codes. */
  alsoEnd?: readonly VerificationPurpose[];
  audit: {
    actor: string | null;
    action: string;
    ip?: string;
    details?: Record<string, string>;
    /** Adds `sessionsEnded` and `patsEnded` to the details. */
    countRevoked?: boolean;
  };
  /** The notice to queue with the change, if any (built from the row as it was before the change). */
  notice?: (user: UserEntity) => QueuedMessage | null;
}

/**
 * Setting a password, the one way every face does it: the new hash, the end of every session,
 * token and password secret of the user, the audit event and the optional notice commit
 * together, so the very next request with an old credential gets 401.
 */
@Injectable()
export class PasswordChangeUseCase {
  constructor(
    private readonly users: UsersRepository,
    private readonly revocation: CredentialRevocationService,
    private readonly verification: VerificationService,
    private readonly notifications: NotificationsService,
    private readonly budget: PasswordGuessBudget,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** The stored form of a password (policy checks are the caller's, worded for its face). */
  hashPassword(password: string): Promise<string> {
    return this.hasher.hash(password);
  }

  /**
   * Applies a {@link PasswordChange} inside the caller's transaction, or in one of its own.
   * Returns the row as written.
   */
  async changePassword(change: PasswordChange, manager?: EntityManager): Promise<UserEntity> {
    if (!manager) {
      return this.tx.run((own) => this.changePassword(change, own));
    }
    const read = change.lock
      ? await this.users.findByIdForUpdate(manager, change.userId, this.tx.supportsLocking)
      : await this.users.findById(change.userId, manager);
    const also = change.check ? await change.check(read, manager) : undefined;
    if (!read) {
      throw new DomainError(ErrorCode.NotFound, 'The user no longer exists.');
    }
    const changes: UserChanges = { ...(also ?? {}), passwordHash: change.passwordHash };
    // A new password fulfils "change required", unless this very change asks for it again.
    if (changes.annotations === undefined && isPasswordChangeRequired(read)) {
      changes.annotations = withoutPasswordChangeRequired(read.annotations);
    }
    await this.users.update(manager, read, changes, this.clock.now());
    const revoked = await this.revocation.revokeEverything(read.id, manager);
    if (change.alsoEnd?.length) {
      await this.verification.revokeForUser(read.id, [...change.alsoEnd], manager);
    }
    const { countRevoked, details, ...audit } = change.audit;
    await this.audit.record(
      {
        ...audit,
        target: read.name,
        outcome: 'success',
        details: countRevoked ? { ...details, sessionsEnded: String(revoked.sessions), patsEnded: String(revoked.tokens) } : (details ?? {}),
      },
      manager,
    );
    const notice = change.notice?.(read);
    if (notice) {
      await this.notifications.enqueue(manager, notice);
    }
    return (await this.users.findById(read.id, manager))!;
  }

  /**
   * Checks a user's current password under the budget of failed password checks that login
   * uses ({@link PasswordGuessBudget}: per account and client, a failure reserved before
   * comparing): over budget → RateLimited for right and wrong passwords alike; a wrong guess
   * counts. `none` says what an account without a password gets. Returns whether it matched;
   * the caller words the refusal for its face.
   */
  async checkCurrentPassword(
    user: Pick<UserEntity, 'id' | 'name'>,
    candidate: string,
    none: 'accept' | 'reject',
    client: GuessingClient,
  ): Promise<boolean> {
    const stored = await this.users.findPasswordHash(user.id);
    if (!stored && none === 'accept') {
      return true;
    }
    const reservation = await this.budget.reserve(accountOf(user.id), client);
    if (stored && (await comparedOrReleased(reservation, () => this.hasher.verify(stored, candidate)))) {
      await reservation.release();
      return true;
    }
    return false;
  }
}

/**
 * The guessing client of a current-password check: the request's address, and its session as
 * proof of an earlier login when the caller is the account itself with a session (a PAT or
 * Basic caller is an unknown client: a leaked token must not guess on a known client's budget).
 */
export function guessingClientOf(caller: UserPrincipal, targetUserId: number, ip: string | undefined): GuessingClient {
  const known = caller.method === 'session' && caller.sessionId !== undefined && caller.userId === targetUserId;
  return { ip: ip ?? '', knownClientKey: known ? `session:${caller.sessionId}` : null };
}
