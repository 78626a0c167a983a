import { Inject, Injectable } from '@nestjs/common';
import { consoleUiUrl } from '../console-ui/console-ui';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { UsersRepository } from '../users/users.repository';
import { SecretKind, VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { normalizeAddress } from './addresses';
import type { PasswordResetEmailRequestDto, ResetPasswordRequestDto } from './dto/halo-password-reset.dto';
import { PasswordResetService } from './password-reset.service';
import { PublicCodeService } from './public-code.service';

/** Template of the mailed reset link (shared with the AnqiCMS face: same words, same variables). */
export const HALO_RESET_LINK_TEMPLATE = 'link-reset-password';

/** The console page the mailed link opens; it reads `username` and `reset_password_token`. */
export const HALO_RESET_PAGE = 'password-reset';

/** Where a request came from. */
export interface HaloResetCaller {
  ip: string;
  acceptLanguage?: string;
}

/**
 * Halo's public password reset (`/apis/api.halo.run/v1alpha1/users/…`). Sending goes through the
 * public-code path, so known and unknown (name, email) pairs cost the same work and get the same
 * 204; the link is one of the engine's reset links (single use, expiring, SHA-256 at rest), and
 * setting the password is the shared link reset, which ends every session and token.
 */
@Injectable()
export class HaloPasswordResetService {
  constructor(
    private readonly publicCodes: PublicCodeService,
    private readonly passwordReset: PasswordResetService,
    private readonly users: UsersRepository,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async sendResetEmail(body: PasswordResetEmailRequestDto, caller: HaloResetCaller): Promise<void> {
    const email = normalizeAddress(VerificationChannel.Email, body.email);
    const username = body.username.trim();
    await this.publicCodes.send({
      purpose: VerificationPurpose.ResetPassword,
      channel: VerificationChannel.Email,
      target: email,
      // Halo's rule: the name and the address must belong to the same (enabled) account.
      audience: { kind: 'existing', existenceErrors: false, eligible: (user) => user.name === username },
      kind: SecretKind.Link,
      ttlMs: this.options.publicCodes.linkTtlMs,
      template: HALO_RESET_LINK_TEMPLATE,
      variables: (token, holder) => ({
        url: this.linkUrl(holder?.name ?? username, token),
        username: holder?.name ?? '',
        displayName: holder?.displayName ?? '',
      }),
      acceptLanguage: caller.acceptLanguage,
      ip: caller.ip,
    });
  }

  /** Sets the password with a mailed token; a bad, expired or used token (or a wrong name) is 403. */
  async resetPassword(name: string, body: ResetPasswordRequestDto, caller: HaloResetCaller): Promise<void> {
    const user = await this.users.findByName(name);
    try {
      await this.passwordReset.resetWithLink({
        token: body.token,
        // An unknown name still runs the check, against an address no secret is ever sent to.
        target: user?.emailLower ?? `unknown-user:${name}`,
        password: body.newPassword,
        proof: () => true,
        userName: name,
        acceptLanguage: caller.acceptLanguage,
        ip: caller.ip,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.VerificationFailed) {
        throw new DomainError(ErrorCode.Forbidden, 'The password reset link is invalid, expired or already used.');
      }
      throw error;
    }
  }

  private linkUrl(username: string, token: string): string {
    const query = new URLSearchParams({ username, reset_password_token: token });
    return `${consoleUiUrl(this.options.publicUrl, HALO_RESET_PAGE)}?${query.toString()}`;
  }
}
