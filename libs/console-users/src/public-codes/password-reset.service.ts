import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { resolveLocale } from '../notifications/template-dirs';
import { assertPasswordAcceptable } from '../users/password-policy';
import type { UserEntity } from '../users/user.entity';
import { PasswordChangeUseCase } from '../users/password-change.use-case';
import { UsersRepository } from '../users/users.repository';
import { VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { maskAddress } from './addresses';
import { tagPasswordPolicy, tagVerifyLimit } from './verify-errors';

/** Template of the notice sent after a password was reset (never contains the password). */
export const PASSWORD_RESET_NOTICE_TEMPLATE = 'password-reset-done';

/**
 * Besides the reset and recovery secrets `revokeEverything` ends, login codes die with the old
 * password too: they were issued to whoever held the account before.
 */
const SECRETS_ENDED_BY_RESET = [VerificationPurpose.Login];

/** A reset proven by a code sent to the account's address. */
export interface CodeResetRequest {
  channel: VerificationChannel;
  target: string;
  code: string;
  password: string;
  acceptLanguage?: string;
  ip?: string;
}

/** A reset proven by a mailed link token (and whatever extra proof the face requires). */
export interface LinkResetRequest {
  token: string;
  /** Normalized email the link was sent to; must match. */
  target: string;
  password: string;
  /** The face's second factor carried in the link (AnqiCMS' code); false burns the link. */
  proof: (token: string) => boolean;
  /** The account the face says the link is for (Halo's path name); any other holder fails. */
  userName?: string;
  acceptLanguage?: string;
  ip?: string;
}

const invalidCode = () => new DomainError(ErrorCode.VerificationFailed, 'Invalid verification code.');
const invalidLink = () => new DomainError(ErrorCode.VerificationFailed, 'The link is invalid, expired or already used.');

/**
 * Self-service password reset with a code or a link. Unknown accounts fail exactly like wrong
 * codes (no code was ever delivered to them). A reset ends every session and token of the user
 * and every outstanding reset or recovery secret, and tells the address it was done.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly users: UsersRepository,
    private readonly verification: VerificationService,
    private readonly passwords: PasswordChangeUseCase,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
  ) {}

  async resetWithCode(request: CodeResetRequest): Promise<void> {
    checkPolicy(request.password);
    // Hashed before the code is spent, so a refusal of busy hashing (503) leaves the code good
    // for the retry; a wrong code costs one hash, as a wrong login password does.
    const passwordHash = await this.passwords.hashPassword(request.password);
    let userId: number | null;
    try {
      const verified = await this.verification.verifyCode({
        purpose: VerificationPurpose.ResetPassword,
        channel: request.channel,
        target: request.target,
        code: request.code,
        accountKey: `address:${request.target}`,
      });
      userId = verified.userId;
    } catch (error) {
      await this.failed(request.channel, request.target, request.ip);
      throw tagVerifyLimit(error);
    }
    const user = userId === null ? null : await this.users.findById(userId);
    if (!user || user.disabled || !holds(user, request.channel, request.target)) {
      await this.failed(request.channel, request.target, request.ip);
      throw invalidCode();
    }
    await this.tx.run((manager) => this.apply(manager, user, passwordHash, request.channel, request.target, request));
  }

  async resetWithLink(request: LinkResetRequest): Promise<void> {
    checkPolicy(request.password);
    const { state, secret } = await this.verification.inspectLink(VerificationPurpose.ResetPassword, request.token);
    if (state !== 'valid' || !secret || secret.target !== request.target || secret.userId === null) {
      await this.failed(VerificationChannel.Email, request.target, request.ip);
      throw invalidLink();
    }
    if (!request.proof(request.token)) {
      // The link was tampered with: nobody gets a second try on it.
      await this.tx.run((manager) =>
        this.verification.revokeFor(manager, VerificationPurpose.ResetPassword, VerificationChannel.Email, secret.target, secret.userId),
      );
      await this.failed(VerificationChannel.Email, request.target, request.ip);
      throw invalidLink();
    }
    const user = await this.users.findById(secret.userId);
    const named = request.userName === undefined || user?.name === request.userName;
    if (!user || user.disabled || !named || !holds(user, VerificationChannel.Email, request.target)) {
      await this.failed(VerificationChannel.Email, request.target, request.ip);
      throw invalidLink();
    }
    const passwordHash = await this.passwords.hashPassword(request.password);
    await this.tx.run(async (manager) => {
      // Consumed in the same transaction as the change: one winner, and no change without it.
      await this.verification.consumeLink(VerificationPurpose.ResetPassword, request.token, manager);
      await this.apply(manager, user, passwordHash, VerificationChannel.Email, request.target, request);
    });
  }

  private async apply(
    manager: EntityManager,
    user: UserEntity,
    passwordHash: string,
    channel: VerificationChannel,
    target: string,
    request: { acceptLanguage?: string; ip?: string },
  ): Promise<void> {
    await this.passwords.changePassword(
      {
        userId: user.id,
        passwordHash,
        alsoEnd: SECRETS_ENDED_BY_RESET,
        audit: { actor: user.name, action: 'password.reset', ip: request.ip, details: { channel } },
        notice: () => ({
          channel: channel === VerificationChannel.Sms ? 'sms' : 'email',
          recipient: target,
          template: PASSWORD_RESET_NOTICE_TEMPLATE,
          locale: resolveLocale(user.language, request.acceptLanguage),
          variables: { username: user.name, displayName: user.displayName },
        }),
      },
      manager,
    );
  }

  private async failed(channel: VerificationChannel, target: string, ip?: string): Promise<void> {
    await this.audit.record({ actor: null, action: 'password.reset', target: maskAddress(channel, target), ip, outcome: 'failure' });
  }
}

function checkPolicy(password: string): void {
  try {
    assertPasswordAcceptable(password);
  } catch (error) {
    throw tagPasswordPolicy(error);
  }
}

/** Whether the user still holds the address the secret was sent to. */
export function holds(user: UserEntity, channel: VerificationChannel, target: string): boolean {
  return channel === VerificationChannel.Email ? user.emailLower === target : user.phone === target;
}
