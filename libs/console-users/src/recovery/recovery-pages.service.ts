import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { resolveLocale } from '../notifications/template-dirs';
import { assertPasswordAcceptable } from '../users/password-policy';
import type { UserEntity } from '../users/user.entity';
import { EmailAddressUseCase } from '../users/email-address.use-case';
import { PasswordChangeUseCase } from '../users/password-change.use-case';
import { UsersRepository } from '../users/users.repository';
import { SecretKind, VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { LinkState, VerificationService, VerifiedSecret } from '../verification/verification.service';
import { messagePage, RecoveryPage } from './recovery-page';
import { UNMAILED_TARGET_PREFIX, utc, type RecoveryContext } from './recovery.service';

/** A live secret of the expected step, with its user. */
interface Checked {
  secret: VerifiedSecret & { expiresAt: Date };
  user: UserEntity;
}

/** Why a token cannot be used: the page to show, and whose token it was when known. */
interface Refused {
  refused: RecoveryPage;
  userId?: number;
}

/**
 * The landing pages of a recovery link. GET only shows a consent page, so a mail scanner that
 * fetches the link burns nothing. The consent POST uses up the mailed link and opens a
 * short-lived set-password form with its own single-use token; the final POST uses that token
 * and sets the password in the same transaction, so of two concurrent submits exactly one wins.
 */
@Injectable()
export class RecoveryPagesService {
  constructor(
    private readonly verification: VerificationService,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordChangeUseCase,
    private readonly emails: EmailAddressUseCase,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** GET: the consent page, or why the link cannot be used. Changes nothing. */
  async landing(token: string): Promise<RecoveryPage> {
    const checked = await this.check(token, 'link');
    if ('refused' in checked) {
      return checked.refused;
    }
    return { kind: 'consent', status: 200, username: checked.user.name, expiresAt: checked.secret.expiresAt, token };
  }

  /** POST consent: uses up the mailed link and hands out the set-password form. */
  async consent(token: string, ip: string): Promise<RecoveryPage> {
    const checked = await this.check(token, 'link');
    if ('refused' in checked) {
      return this.refuse(checked, 'recovery.consent', ip);
    }
    const { secret, user } = checked;
    const admin = secret.context.admin ?? '';
    try {
      const form = await this.transactions.run(async (manager) => {
        await this.verification.consumeLink(VerificationPurpose.Recovery, token, manager);
        const issued = await this.verification.issueWithin(manager, {
          purpose: VerificationPurpose.Recovery,
          channel: VerificationChannel.Email,
          kind: SecretKind.Link,
          target: secret.target,
          userId: user.id,
          ttlMs: this.options.recovery.formTtlMs,
          enforceLimits: false,
          context: { step: 'form', admin, mailed: secret.context.mailed === 'yes' ? 'yes' : 'no' } satisfies RecoveryContext,
          delivery: null,
        });
        await this.audit.record({ actor: user.name, action: 'recovery.consent', target: user.name, ip, outcome: 'success', details: { admin } }, manager);
        return issued.secret;
      });
      return { kind: 'password', status: 200, username: user.name, token: form };
    } catch (error) {
      if (isLost(error)) {
        await this.audit.record({ actor: null, action: 'recovery.consent', target: user.name, ip, outcome: 'failure', details: { reason: 'linkUsed' } });
        return messagePage(410, 'linkUsed');
      }
      throw error;
    }
  }

  /**
   * POST password: checks the policy, then in one transaction uses the form token, sets the
   * password, marks the address verified (the link proved the mailbox), ends every session and
   * token, queues the "password changed" notice and audits. Does not log the user in.
   */
  async setPassword(token: string, password: unknown, confirmation: unknown, ip: string, pageLocale: string): Promise<RecoveryPage> {
    const checked = await this.check(token, 'form');
    if ('refused' in checked) {
      return this.refuse(checked, 'recovery.complete', ip);
    }
    const { secret, user } = checked;
    try {
      assertPasswordAcceptable(password);
    } catch {
      return { kind: 'password', status: 400, username: user.name, token, problem: 'passwordLength' };
    }
    if (password !== confirmation) {
      return { kind: 'password', status: 400, username: user.name, token, problem: 'passwordMismatch' };
    }
    const passwordHash = await this.passwords.hashPassword(password);
    const admin = secret.context.admin ?? '';
    try {
      await this.transactions.run(async (manager) => {
        const used = await this.verification.consumeLink(VerificationPurpose.Recovery, token, manager);
        await this.passwords.changePassword(
          {
            userId: user.id,
            passwordHash,
            check: async (fresh) => {
              if (!fresh || fresh.disabled || used.userId !== fresh.id) {
                throw new DomainError(ErrorCode.VerificationFailed, 'The link is invalid, expired or already used.');
              }
              // Only a mailed link proves the mailbox; one handed to an admin proves nothing about it.
              const provesMailbox = used.context.mailed === 'yes' && (await this.emails.mayMarkVerified(manager, fresh, used.target));
              return provesMailbox ? { emailVerified: true } : {};
            },
            audit: { actor: user.name, action: 'recovery.complete', ip, details: { admin } },
            notice: (fresh) =>
              fresh.emailLower
                ? {
                    channel: 'email',
                    recipient: fresh.emailLower,
                    template: 'password-changed',
                    locale: resolveLocale(fresh.language, pageLocale),
                    variables: { username: fresh.name, displayName: fresh.displayName, changedAt: utc(this.clock.now()) },
                  }
                : null,
          },
          manager,
        );
      });
    } catch (error) {
      if (isLost(error)) {
        await this.audit.record({ actor: null, action: 'recovery.complete', target: user.name, ip, outcome: 'failure', details: { reason: 'linkUsed' } });
        return messagePage(410, 'linkUsed');
      }
      throw error;
    }
    return { kind: 'done', status: 200, username: user.name };
  }

  /** The secret behind a token if it is live, of the expected step, and its user can still use it. */
  private async check(token: string, step: RecoveryContext['step']): Promise<Checked | Refused> {
    const { state, secret } = await this.verification.inspectLink(VerificationPurpose.Recovery, token);
    if (!secret || secret.context.step !== step || secret.userId === null) {
      return { refused: messagePage(400, 'linkInvalid') };
    }
    if (state !== 'valid') {
      return { refused: stateMessage(state, step), userId: secret.userId };
    }
    const user = await this.users.findById(secret.userId);
    if (!user) {
      return { refused: messagePage(400, 'linkInvalid') };
    }
    // A mailed link belongs to the address it was mailed to: if the address changed by a path
    // that did not revoke it, it is dead all the same.
    const mailedTo = secret.target.startsWith(UNMAILED_TARGET_PREFIX) ? null : secret.target;
    if (user.disabled || (mailedTo !== null && mailedTo !== user.emailLower)) {
      return { refused: messagePage(410, 'linkRevoked'), userId: user.id };
    }
    return { secret, user };
  }

  /**
   * Audits a refused submit of a known token (reuse, expiry, revocation): someone holds a link
   * that no longer works. GETs are not audited, mail scanners would flood the log.
   */
  private async refuse(refusal: Refused, action: string, ip: string): Promise<RecoveryPage> {
    if (refusal.userId !== undefined) {
      const user = await this.users.findById(refusal.userId);
      const reason = refusal.refused.kind === 'message' ? refusal.refused.message : 'refused';
      await this.audit.record({ actor: null, action, target: user?.name ?? null, ip, outcome: 'failure', details: { reason } });
    }
    return refusal.refused;
  }
}

function stateMessage(state: Exclude<LinkState, 'valid'>, step: RecoveryContext['step']): RecoveryPage {
  switch (state) {
    case 'used':
      return messagePage(410, 'linkUsed');
    case 'expired':
      return messagePage(410, step === 'form' ? 'formExpired' : 'linkExpired');
    case 'revoked':
      return messagePage(410, 'linkRevoked');
    case 'unknown':
      return messagePage(400, 'linkInvalid');
  }
}

/** Another request used the secret first (or it died meanwhile). */
function isLost(error: unknown): boolean {
  return error instanceof DomainError && error.code === ErrorCode.VerificationFailed;
}
