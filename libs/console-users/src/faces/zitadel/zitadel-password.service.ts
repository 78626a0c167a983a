import { Inject, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { AuditService } from '../../audit/audit.service';
import { Principal, requireUser } from '../../auth/principal';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { TransactionRunner } from '../../database/transaction-runner';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { resolveLocale } from '../../notifications/template-dirs';
import { importedPasswordHash } from '../../users/imported-password-hash';
import { assertPasswordAcceptable } from '../../users/password-policy';
import type { UserEntity } from '../../users/user.entity';
import { guessingClientOf, PasswordChangeUseCase } from '../../users/password-change.use-case';
import type { GuessingClient } from '../../auth/password-guess-budget.service';
import { VerificationChannel, VerificationPurpose } from '../../verification/verification-purpose';
import { IssuedSecret, VerificationService } from '../../verification/verification.service';
import { oneofMember, PasswordResetDto, SetPasswordDto } from './dto/zitadel-requests.dto';
import type { ZitadelWriteResponse } from './dto/zitadel-responses.dto';
import { ZitadelAccessPolicy } from './zitadel-access.policy';
import { zitadelErrors } from './zitadel-errors';
import { codeLink, validateUrlTemplate } from './zitadel-links';
import { assertSameUserId, ZitadelRequestContext } from './zitadel-request-context';
import { PASSWORD_CHANGE_REQUIRED_ANNOTATION, toZitadelDetails } from './zitadel-user.mapper';
import { assertReplacesGivenPassword } from '../../users/password-change-required';

/** Secrets that let someone set the password; a new password makes all of them useless. */
const PASSWORD_SECRETS = [VerificationPurpose.ResetPassword, VerificationPurpose.Recovery];

/** What SetPassword stores: a password to hash, or a hash made elsewhere. */
type NewSecret = ({ password: string } | { passwordHash: string }) & { changeRequired: boolean; imported: boolean };

/** Where a reset code goes. */
type ResetDelivery = { kind: 'mail'; channel: VerificationChannel; target: string; urlTemplate: string | null } | { kind: 'return'; channel: VerificationChannel; target: string };

/**
 * ZITADEL's PasswordReset and SetPassword. A reset code is the engine's code for
 * `reset-password` (email: 6 digits, 10 min; SMS: 6 digits, 5 min), only the latest on any
 * channel is valid, and setting a password revokes every session, token and reset secret of the
 * user in the same transaction.
 */
@Injectable()
export class ZitadelPasswordService {
  constructor(
    private readonly access: ZitadelAccessPolicy,
    private readonly verification: VerificationService,
    private readonly passwords: PasswordChangeUseCase,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** PasswordReset: mail or text a code (in the caller's link or ours), or return it. */
  async requestReset(principal: Principal, userId: string, body: PasswordResetDto, context: ZitadelRequestContext): Promise<ZitadelWriteResponse> {
    const actor = requireUser(principal);
    assertSameUserId(userId, body.userId, () => zitadelErrors.invalidArgument('invalid request: userId differs from the path'));
    const mode = oneofMember(body, ['sendLink', 'returnCode']);
    const target = await this.access.requireTarget(userId);
    await this.access.assertMay(actor, mode === 'returnCode' ? 'return-code' : 'send', target);
    const urlTemplate = validateUrlTemplate(body.sendLink?.urlTemplate, { userId: target.id, orgId: this.options.zitadel.resourceOwner });
    if (target.disabled) {
      throw zitadelErrors.userInactive();
    }
    const delivery = this.delivery(target, mode === 'returnCode', body.sendLink?.notificationType, urlTemplate);
    const issued = await this.tx.run(async (manager) => {
      // Only the latest reset code is valid, whichever channel carried the older ones.
      await this.verification.revokeForUser(target.id, [VerificationPurpose.ResetPassword], manager);
      const secret = await this.verification.issueWithin(manager, {
        purpose: VerificationPurpose.ResetPassword,
        channel: delivery.channel,
        target: delivery.target,
        userId: target.id,
        urlTemplate: delivery.kind === 'mail' ? delivery.urlTemplate : null,
        context: { face: 'zitadel' },
        enforceLimits: delivery.kind === 'mail',
        delivery: delivery.kind === 'mail' ? this.resetMessage(target, delivery, context) : null,
      });
      await this.audit.record(
        {
          actor: actor.name,
          action: 'password.reset.request',
          target: target.name,
          ip: context.ip,
          outcome: 'success',
          details: { face: 'zitadel', delivery: delivery.kind === 'return' ? 'return' : delivery.channel },
        },
        manager,
      );
      return secret;
    });
    return this.answer(target, delivery.kind === 'return' ? issued : undefined);
  }

  /**
   * SetPassword: with a reset code (public: the code is the proof), with the current password
   * (yourself, or `users/password` update), or with neither (`users/password` update only).
   */
  async setPassword(principal: Principal, userId: string, body: SetPasswordDto, context: ZitadelRequestContext): Promise<ZitadelWriteResponse> {
    assertSameUserId(userId, body.userId, () => zitadelErrors.invalidArgument('invalid request: userId differs from the path'));
    const given = oneofMember(body, ['newPassword', 'hashedPassword']);
    if (!given) {
      throw zitadelErrors.invalidArgument('invalid request: newPassword or hashedPassword is required');
    }
    const proof = oneofMember(body, ['currentPassword', 'verificationCode']);
    // Before any code or current password is used: a refused password or hash must not cost it.
    const secret = this.newSecret(body);
    if (proof === 'verificationCode') {
      return this.setWithCode(userId, body.verificationCode!, secret, context);
    }
    const actor = requireUser(principal);
    const target = await this.access.requireTarget(userId);
    await this.access.assertMay(actor, proof === 'currentPassword' ? 'change-password' : 'set-password', target);
    if (proof === 'currentPassword') {
      await this.checkCurrentPassword(target, body.currentPassword!, guessingClientOf(actor, target.id, context.ip));
      if (body.newPassword) {
        assertReplacesGivenPassword(target, body.currentPassword!, body.newPassword.password);
      }
    }
    return this.store(target, secret, {
      actor: actor.name,
      ip: context.ip,
      method: proof === 'currentPassword' ? 'current-password' : 'admin',
    });
  }

  /**
   * The password to store: a new one under our policy, or a hash made elsewhere (argon2id or
   * bcrypt, which our policy cannot see; it is rehashed with ours at the first login).
   */
  private newSecret(body: SetPasswordDto): NewSecret {
    if (body.hashedPassword) {
      try {
        return { passwordHash: importedPasswordHash(body.hashedPassword.hash), changeRequired: body.hashedPassword.changeRequired === true, imported: true };
      } catch (error) {
        throw error instanceof DomainError ? zitadelErrors.invalidArgument(error.message) : error;
      }
    }
    assertPasswordAcceptable(body.newPassword!.password);
    return { password: body.newPassword!.password, changeRequired: body.newPassword!.changeRequired === true, imported: false };
  }

  /** The reset page's action: a new password with a reset code. */
  async resetWithCode(userId: string, code: string, password: string, context: ZitadelRequestContext): Promise<ZitadelWriteResponse> {
    assertPasswordAcceptable(password);
    return this.setWithCode(userId, code, { password, changeRequired: false, imported: false }, context);
  }

  private async setWithCode(userId: string, code: string, secret: NewSecret, context: ZitadelRequestContext): Promise<ZitadelWriteResponse> {
    const target = await this.access.findTarget(userId);
    // Unknown and disabled users get the wrong-code answer: this route must not tell ids apart.
    if (!target || target.disabled) {
      throw zitadelErrors.codeInvalid();
    }
    const channel = await this.liveResetChannel(target);
    if (!channel) {
      throw zitadelErrors.codeInvalid();
    }
    try {
      await this.verification.verifyCode({
        purpose: VerificationPurpose.ResetPassword,
        channel: channel.channel,
        target: channel.target,
        code,
        accountKey: `user:${target.id}`,
        userId: target.id,
      });
    } catch (error) {
      await this.audit.record({ actor: null, action: 'password.reset', target: target.name, ip: context.ip, outcome: 'failure', details: { face: 'zitadel' } });
      throw error instanceof DomainError && error.code === ErrorCode.VerificationFailed ? zitadelErrors.codeInvalid() : error;
    }
    return this.store(target, secret, { actor: target.name, ip: context.ip, method: 'code' });
  }

  /**
   * The channel whose latest reset code is live; email first. When none is live the verify
   * still runs against the email address, so a stale or guessed code counts as a failure.
   */
  private async liveResetChannel(user: UserEntity): Promise<{ channel: VerificationChannel; target: string } | null> {
    const phone = e164(user.phone);
    if (user.emailLower && (await this.verification.hasLive(VerificationPurpose.ResetPassword, VerificationChannel.Email, user.emailLower, user.id))) {
      return { channel: VerificationChannel.Email, target: user.emailLower };
    }
    if (phone && (await this.verification.hasLive(VerificationPurpose.ResetPassword, VerificationChannel.Sms, phone, user.id))) {
      return { channel: VerificationChannel.Sms, target: phone };
    }
    if (user.emailLower) {
      return { channel: VerificationChannel.Email, target: user.emailLower };
    }
    return phone ? { channel: VerificationChannel.Sms, target: phone } : null;
  }

  /** Wrong current passwords count against the per-account budget of failed logins. */
  private async checkCurrentPassword(target: UserEntity, currentPassword: string, client: GuessingClient): Promise<void> {
    if (!(await this.passwords.checkCurrentPassword(target, currentPassword, 'reject', client))) {
      throw zitadelErrors.passwordInvalid();
    }
  }

  /** The new hash, and the end of every session, token and reset secret, in one transaction. */
  private async store(
    target: UserEntity,
    secret: NewSecret,
    audit: { actor: string; ip: string; method: 'code' | 'current-password' | 'admin' },
  ): Promise<ZitadelWriteResponse> {
    const changeRequired = secret.changeRequired;
    const passwordHash = 'passwordHash' in secret ? secret.passwordHash : await this.passwords.hashPassword(secret.password);
    const updated = await this.passwords.changePassword({
      userId: target.id,
      passwordHash,
      check: (current) => {
        if (!current) {
          throw zitadelErrors.userNotFound();
        }
        const annotations = { ...current.annotations };
        if (changeRequired) {
          annotations[PASSWORD_CHANGE_REQUIRED_ANNOTATION] = 'true';
        } else {
          delete annotations[PASSWORD_CHANGE_REQUIRED_ANNOTATION];
        }
        return { annotations };
      },
      alsoEnd: PASSWORD_SECRETS,
      audit: {
        actor: audit.actor,
        action: audit.method === 'code' ? 'password.reset' : 'password.change',
        ip: audit.ip,
        details: { face: 'zitadel', method: audit.method, ...(secret.imported ? { hash: 'imported' } : {}) },
        countRevoked: true,
      },
    });
    return this.answer(updated);
  }

  private delivery(
    target: UserEntity,
    returnCode: boolean,
    notificationType: string | number | undefined,
    urlTemplate: string | null,
  ): ResetDelivery {
    const phone = e164(target.phone);
    if (returnCode) {
      if (target.emailLower) {
        return { kind: 'return', channel: VerificationChannel.Email, target: target.emailLower };
      }
      if (phone) {
        return { kind: 'return', channel: VerificationChannel.Sms, target: phone };
      }
      throw zitadelErrors.noEmail();
    }
    if (notificationType === 'NOTIFICATION_TYPE_SMS' || notificationType === 2) {
      if (!phone) {
        throw zitadelErrors.noPhone();
      }
      return { kind: 'mail', channel: VerificationChannel.Sms, target: phone, urlTemplate };
    }
    if (!target.emailLower) {
      throw zitadelErrors.noEmail();
    }
    return { kind: 'mail', channel: VerificationChannel.Email, target: target.emailLower, urlTemplate };
  }

  private resetMessage(user: UserEntity, delivery: Extract<ResetDelivery, { kind: 'mail' }>, context: ZitadelRequestContext) {
    const owner = { userId: user.id, orgId: this.options.zitadel.resourceOwner };
    const ttl = delivery.channel === VerificationChannel.Sms ? this.options.verification.smsCodeTtlMs : this.options.verification.emailCodeTtlMs;
    return {
      template: 'password-reset-code',
      locale: resolveLocale(user.language, context.acceptLanguage),
      variables: (code: string) => ({
        code,
        link: codeLink(this.options.publicUrl, 'reset-password', delivery.urlTemplate, owner, code),
        username: user.name,
        displayName: user.displayName,
        expiresInMinutes: Math.round(ttl / 60_000),
      }),
    };
  }

  private answer(user: UserEntity, issued?: IssuedSecret): ZitadelWriteResponse {
    const details = toZitadelDetails(user, this.options.zitadel.resourceOwner);
    return issued ? { details, verificationCode: issued.secret } : { details };
  }
}

/** The number in E.164 when it is a valid international number, else null. */
function e164(phone: string | null): string | null {
  if (!phone) {
    return null;
  }
  const parsed = parsePhoneNumberFromString(phone.trim());
  return parsed?.isValid() ? parsed.number : null;
}

