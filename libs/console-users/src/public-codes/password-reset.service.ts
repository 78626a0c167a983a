import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CredentialRevocationService } from '../auth/credential-revocation.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_DATA_SOURCE } from '../database/data-source.token';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { NotificationsService } from '../notifications/notifications.service';
import { resolveLocale } from '../notifications/template-dirs';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from '../users/password-hasher';
import { assertPasswordAcceptable } from '../users/password-policy';
import type { UserEntity } from '../users/user.entity';
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
    private readonly revocation: CredentialRevocationService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CONSOLE_USERS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async resetWithCode(request: CodeResetRequest): Promise<void> {
    checkPolicy(request.password);
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
    const passwordHash = await this.hasher.hash(request.password);
    await this.db.transaction((manager) => this.apply(manager, user, passwordHash, request.channel, request.target, request));
    this.notifications.notifyCommitted();
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
      await this.db.transaction((manager) =>
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
    const passwordHash = await this.hasher.hash(request.password);
    await this.db.transaction(async (manager) => {
      // Consumed in the same transaction as the change: one winner, and no change without it.
      await this.verification.consumeLink(VerificationPurpose.ResetPassword, request.token, manager);
      await this.apply(manager, user, passwordHash, VerificationChannel.Email, request.target, request);
    });
    this.notifications.notifyCommitted();
  }

  private async apply(
    manager: EntityManager,
    user: UserEntity,
    passwordHash: string,
    channel: VerificationChannel,
    target: string,
    request: { acceptLanguage?: string; ip?: string },
  ): Promise<void> {
    const now = this.clock.now();
    const fresh = (await this.users.findById(user.id, manager)) ?? user;
    await this.users.update(manager, fresh, { passwordHash }, now);
    await this.revocation.revokeEverything(user.id, manager);
    await this.verification.revokeForUser(user.id, SECRETS_ENDED_BY_RESET, manager);
    await this.audit.record(
      { actor: user.name, action: 'password.reset', target: user.name, ip: request.ip, outcome: 'success', details: { channel } },
      manager,
    );
    await this.notifications.enqueue(manager, {
      channel: channel === VerificationChannel.Sms ? 'sms' : 'email',
      recipient: target,
      template: PASSWORD_RESET_NOTICE_TEMPLATE,
      locale: resolveLocale(user.language, request.acceptLanguage),
      variables: { username: user.name, displayName: user.displayName },
    });
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
