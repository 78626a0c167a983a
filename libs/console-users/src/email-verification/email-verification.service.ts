import { Inject, Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { isUniqueViolation } from '../database/unique-violation';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { resolveLocale } from '../notifications/template-dirs';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { guessingClientOf, PasswordChangeUseCase } from '../users/password-change.use-case';
import type { UserEntity } from '../users/user.entity';
import { EmailAddressUseCase } from '../users/email-address.use-case';
import { EMAIL_TO_VERIFY_ANNOTATION } from '../users/user-annotations';
import { UsersRepository } from '../users/users.repository';
import { userNotFound } from '../users/users.service';
import { rateLimitedError } from '../throttling/rate-limited.error';
import { VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { codeAlreadyUsed, VerificationService } from '../verification/verification.service';
import { maskEmail, normalizeEmail } from './email-address';

export { EMAIL_TO_VERIFY_ANNOTATION };

/** The current user's email verification (Halo's send-email-verification-code / verify-email). */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly users: UsersRepository,
    private readonly verification: VerificationService,
    private readonly limits: RateLimitRepository,
    private readonly audit: AuditService,
    private readonly emails: EmailAddressUseCase,
    private readonly passwords: PasswordChangeUseCase,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /**
   * Records the address as pending and mails a code to it. The code, its outbox row, the
   * pending annotation and the send counters commit together or not at all.
   */
  async sendCode(principal: UserPrincipal, rawEmail: string, acceptLanguage?: string, ip?: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    if (!email) {
      throw new DomainError(ErrorCode.BadRequest, 'The email address is not valid.');
    }
    const user = await this.currentUser(principal);
    if (user.emailLower === email && user.emailVerified) {
      throw new DomainError(ErrorCode.BadRequest, 'Email already verified.');
    }
    const now = this.clock.now();
    await this.tx.run(async (manager) => {
      // Halo allows one send a minute per user; the per-recipient cooldown and caps come on top.
      const perUser = await this.limits.hit(`halo:send-email-code:user:${user.id}`, 60_000, now, manager);
      if (perUser.hits > 1) {
        throw rateLimitedError(perUser.resetAt, now);
      }
      const previousPending = user.annotations[EMAIL_TO_VERIFY_ANNOTATION];
      if (previousPending && previousPending !== email) {
        await this.verification.revokeFor(manager, VerificationPurpose.EmailVerify, VerificationChannel.Email, previousPending, user.id);
      }
      await this.users.update(manager, user, { annotations: { ...user.annotations, [EMAIL_TO_VERIFY_ANNOTATION]: email } }, now);
      await this.verification.issueWithin(manager, {
        purpose: VerificationPurpose.EmailVerify,
        channel: VerificationChannel.Email,
        target: email,
        userId: user.id,
        delivery: {
          template: 'email-verify',
          locale: resolveLocale(user.language, acceptLanguage),
          variables: (code) => ({
            code,
            username: user.name,
            displayName: user.displayName,
            expiresInMinutes: Math.round(this.options.verification.emailCodeTtlMs / 60_000),
          }),
        },
      });
    });
  }

  /**
   * Checks the current password and the code, then makes the pending address the verified
   * email. The unique index on verified addresses settles races between two users.
   */
  async verify(principal: UserPrincipal, password: string, code: string, acceptLanguage?: string, ip?: string): Promise<void> {
    const user = await this.currentUser(principal);
    // Login's budget of failed password checks, reserved before comparing: once spent, right and
    // wrong passwords get the same 429, so this route cannot be used to guess passwords.
    if (!(await this.passwords.checkCurrentPassword(user, password, 'accept', guessingClientOf(principal, user.id, ip)))) {
      throw new DomainError(ErrorCode.UnsatisfiedAttribute, 'The password does not match.');
    }
    const pending = user.annotations[EMAIL_TO_VERIFY_ANNOTATION];
    if (!pending) {
      // The first success ended the pending state; a late duplicate of its code is told so.
      const duplicate =
        user.emailVerified &&
        user.emailLower !== null &&
        (await this.verification.wasUsed(VerificationPurpose.EmailVerify, VerificationChannel.Email, user.emailLower, code, user.id));
      throw duplicate ? codeAlreadyUsed() : new DomainError(ErrorCode.VerificationFailed, 'Invalid email verification code.');
    }
    const holder = await this.users.findByVerifiedEmail(pending);
    if (holder && holder.id !== user.id) {
      throw emailInUse();
    }
    try {
      await this.verification.verifyCode({
        purpose: VerificationPurpose.EmailVerify,
        channel: VerificationChannel.Email,
        target: pending,
        code,
        accountKey: `user:${user.id}`,
        userId: user.id,
      });
    } catch (error) {
      // Halo's wording for a wrong, expired, used or replaced code.
      await this.audit.record({ actor: user.name, action: 'email.verify', target: pending, ip, outcome: 'failure' });
      if (error instanceof DomainError && error.code === ErrorCode.VerificationFailed) {
        throw new DomainError(ErrorCode.VerificationFailed, 'Invalid email verification code.');
      }
      throw error;
    }
    try {
      await this.tx.run(async (manager) => {
        const { previous } = await this.emails.changeEmail(manager, { userId: user.id, email: pending, verified: true, acceptLanguage });
        await this.audit.record(
          { actor: user.name, action: 'email.verify', target: pending, ip, outcome: 'success', details: previous ? { previous: maskEmail(previous) } : {} },
          manager,
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw emailInUse();
      }
      throw error;
    }
  }

  private async currentUser(principal: UserPrincipal): Promise<UserEntity> {
    const user = await this.users.findById(principal.userId);
    if (!user) {
      throw userNotFound(principal.name);
    }
    return user;
  }
}

function emailInUse(): DomainError {
  return new DomainError(ErrorCode.VerificationFailed, 'The email has been used, please change the email and retry.');
}
