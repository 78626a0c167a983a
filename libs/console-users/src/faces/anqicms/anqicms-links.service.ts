import { Inject, Injectable } from '@nestjs/common';
import { safeEqual } from '../../common/crypto';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { TransactionRunner } from '../../database/transaction-runner';
import { isUniqueViolation } from '../../database/unique-violation';
import { normalizeEmail } from '../../email-verification/email-address';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { normalizeAddress } from '../../public-codes/addresses';
import { PasswordResetService } from '../../public-codes/password-reset.service';
import { PublicCodeService } from '../../public-codes/public-code.service';
import { EmailAddressUseCase } from '../../users/email-address.use-case';
import { SecretKind, VerificationChannel, VerificationPurpose } from '../../verification/verification-purpose';
import { VerificationService } from '../../verification/verification.service';
import type { PasswordResetRequestDto } from './dto/password-reset-request.dto';
import type { VerifyEmailRequestDto } from './dto/verify-email-request.dto';

/** Templates of the mailed links. */
export const LINK_TEMPLATES = { verify: 'link-email-verify', reset: 'link-reset-password' } as const;

/** The link's query as a browser sends it (anything may be missing or repeated). */
export interface LinkQuery {
  email?: unknown;
  token?: unknown;
  code?: unknown;
  state?: unknown;
}

/** What opening a valid link leads to. */
export type LinkOutcome =
  | { kind: 'verified' }
  | { kind: 'reset-form'; email: string; token: string; code: string };

/** Where a request came from. */
export interface AnqiCmsCaller {
  ip: string;
  acceptLanguage?: string;
}

const invalidLink = () => new DomainError(ErrorCode.VerificationFailed, 'The link is invalid, expired or already used.');

/**
 * AnqiCMS' mailed links: request one (verify or reset), open it, reset the password with it.
 * The token is one of our link tokens (32 random bytes, SHA-256 at rest, expiring, single use)
 * instead of MD5(email + password hash); the code next to it is checked; there is no
 * `state=exist`, and unknown addresses get the same answer and no mail.
 */
@Injectable()
export class AnqiCmsLinksService {
  constructor(
    private readonly publicCodes: PublicCodeService,
    private readonly verification: VerificationService,
    private readonly passwordReset: PasswordResetService,
    private readonly emails: EmailAddressUseCase,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** Mails a verify or reset link to an account's address; nothing to unknown addresses. */
  async requestLink(body: VerifyEmailRequestDto, caller: AnqiCmsCaller): Promise<void> {
    const email = normalizeAddress(VerificationChannel.Email, body.email);
    const reset = body.state === 'reset';
    await this.publicCodes.send({
      purpose: reset ? VerificationPurpose.ResetPassword : VerificationPurpose.EmailVerify,
      channel: VerificationChannel.Email,
      target: email,
      audience: {
        kind: 'existing',
        existenceErrors: this.options.publicCodes.existenceErrors,
        // An address that is verified already needs no verify link (the answer stays the same).
        eligible: reset ? undefined : (user) => !(user.emailVerified && user.emailLower === email),
      },
      kind: SecretKind.Link,
      ttlMs: this.options.publicCodes.linkTtlMs,
      template: reset ? LINK_TEMPLATES.reset : LINK_TEMPLATES.verify,
      variables: (token, holder) => ({
        url: this.linkUrl(token, body.state, email),
        username: holder?.name ?? '',
        displayName: holder?.displayName ?? '',
      }),
      acceptLanguage: caller.acceptLanguage,
      ip: caller.ip,
    });
  }

  /**
   * Opens a mailed link: `verify` marks the address verified (no login); `reset` checks the
   * link without using it and hands back what the reset form needs, so a mail scanner that
   * follows the link does not burn it.
   */
  async openLink(query: LinkQuery, caller: AnqiCmsCaller): Promise<LinkOutcome> {
    const email = typeof query.email === 'string' ? normalizeEmail(query.email) : null;
    const token = typeof query.token === 'string' ? query.token : null;
    const code = typeof query.code === 'string' ? query.code : null;
    if (!email || !token || !code || (query.state !== 'verify' && query.state !== 'reset')) {
      throw invalidLink();
    }
    if (query.state === 'reset') {
      await this.checkLink(VerificationPurpose.ResetPassword, token, code, email);
      return { kind: 'reset-form', email, token, code };
    }
    const userId = await this.checkLink(VerificationPurpose.EmailVerify, token, code, email);
    try {
      await this.tx.run(async (manager) => {
        await this.verification.consumeLink(VerificationPurpose.EmailVerify, token, manager);
        await this.emails.markEmailVerified(manager, {
          userId,
          address: email,
          refuse: invalidLink,
          audit: { ip: caller.ip, details: { via: 'link' } },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.AddressInUse, 'The email has been used by another account.', { reason: 'email' });
      }
      throw error;
    }
    return { kind: 'verified' };
  }

  /** Sets a new password with a reset link's token and code. */
  async resetPassword(body: PasswordResetRequestDto, caller: AnqiCmsCaller): Promise<void> {
    const email = normalizeEmail(body.email);
    if (!email) {
      throw new DomainError(ErrorCode.BadRequest, 'The email address is not valid.', { reason: 'email' });
    }
    if (body.confirmPassword !== undefined && body.confirmPassword !== body.password) {
      throw new DomainError(ErrorCode.BadRequest, 'The two passwords do not match.', { reason: 'password' });
    }
    await this.passwordReset.resetWithLink({
      token: body.token,
      target: email,
      password: body.password,
      proof: (token) => safeEqual(this.linkCode(token), body.code),
      acceptLanguage: caller.acceptLanguage,
      ip: caller.ip,
    });
  }

  /** Where the reset form posts. */
  resetAction(): string {
    return `${this.options.publicUrl}/api/password/reset`;
  }

  /** The origin forms on our pages may post to. */
  formOrigin(): string {
    return new URL(this.options.publicUrl).origin;
  }

  /** Checks a link without using it; a wrong code burns it. Returns the user it was sent to. */
  private async checkLink(purpose: VerificationPurpose, token: string, code: string, email: string): Promise<number> {
    const { state, secret } = await this.verification.inspectLink(purpose, token);
    if (state !== 'valid' || !secret || secret.target !== email || secret.userId === null) {
      throw invalidLink();
    }
    if (!safeEqual(this.linkCode(token), code)) {
      await this.tx.run((manager) => this.verification.revokeFor(manager, purpose, VerificationChannel.Email, secret.target, secret.userId));
      throw invalidLink();
    }
    return secret.userId;
  }

  private linkUrl(token: string, state: 'verify' | 'reset', email: string): string {
    const query = new URLSearchParams({ token, code: this.linkCode(token), state, email });
    return `${this.options.publicUrl}/api/verify/email?${query.toString()}`;
  }

  /** The code beside the token in AnqiCMS links; the context string is fixed: links already mailed carry it. */
  private linkCode(token: string): string {
    return this.verification.linkCode('anqicms-link-code', token);
  }
}
