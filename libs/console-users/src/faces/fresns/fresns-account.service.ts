import { Injectable } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { normalizeAddress } from '../../public-codes/addresses';
import { AddressBindingService } from '../../public-codes/address-binding.service';
import { CodeLogin, CodeLoginService } from '../../public-codes/code-login.service';
import { requireUser } from '../../auth/principal';
import { PasswordResetService } from '../../public-codes/password-reset.service';
import { assertDisplayName, SelfRegistrationService } from '../../public-codes/self-registration.service';
import { VerificationChannel } from '../../verification/verification-purpose';
import type { AccountEditDto } from './dto/account-edit.dto';
import type { AccountLoginDto } from './dto/account-login.dto';
import type { AccountRegisterDto } from './dto/account-register.dto';
import type { AccountResetPasswordDto } from './dto/account-reset-password.dto';
import type { FresnsCaller } from './fresns-codes.service';
import { decodeBase64Password } from './fresns-rules';

/** What register answers: the new account (no session token; log in with `/login`). */
export interface FresnsRegisteredAccount {
  aid: string;
  username: string;
  nickname: string;
  email: string | null;
  phone: string | null;
}

/** Fresns' register and reset-password, on the core registration and reset services. */
@Injectable()
export class FresnsAccountService {
  constructor(
    private readonly registration: SelfRegistrationService,
    private readonly passwordReset: PasswordResetService,
    private readonly codeLogin: CodeLoginService,
    private readonly binding: AddressBindingService,
  ) {}

  /** Edit: bind a first email or phone with a templateId 3 code (other edits are not offered here). */
  async edit(body: AccountEditDto, caller: FresnsCaller): Promise<void> {
    const user = requireUser(caller.principal);
    const hasEmail = body.newEmail !== undefined && body.newEmail !== '';
    const hasPhone = body.newPhone !== undefined && body.newPhone !== '';
    if (hasEmail === hasPhone) {
      throw new DomainError(ErrorCode.BadRequest, 'Send newEmail or newPhone (with newCountryCode), one of them.', { reason: hasEmail ? undefined : 'missing' });
    }
    const channel = hasEmail ? VerificationChannel.Email : VerificationChannel.Sms;
    const target = normalizeAddress(channel, hasEmail ? body.newEmail! : body.newPhone!, body.newCountryCode);
    await this.binding.bind({ userId: user.userId, channel, target, code: body.newVerifyCode, ip: caller.ip });
  }

  /** Login with a templateId 7 code; the session is our cookie (Fresns' aid tokens are not issued). */
  async login(body: AccountLoginDto, caller: FresnsCaller & { userAgent: string | null }): Promise<{ detail: FresnsRegisteredAccount; session: CodeLogin }> {
    if (body.verifyCode === undefined || body.verifyCode === '') {
      throw new DomainError(
        ErrorCode.BadRequest,
        body.password !== undefined ? 'Password logins go through POST /login; this route takes a verifyCode.' : 'verifyCode is required',
        { reason: body.password !== undefined ? undefined : 'missing' },
      );
    }
    const channel = body.type === 'phone' ? VerificationChannel.Sms : VerificationChannel.Email;
    const target = normalizeAddress(channel, body.account, body.countryCode);
    const session = await this.codeLogin.login({ channel, target, code: body.verifyCode, ip: caller.ip, userAgent: caller.userAgent });
    const user = session.user;
    return { detail: { aid: user.name, username: user.name, nickname: user.displayName, email: user.email, phone: user.phone }, session };
  }

  async register(body: AccountRegisterDto, caller: FresnsCaller): Promise<FresnsRegisteredAccount> {
    const channel = body.type === 'phone' ? VerificationChannel.Sms : VerificationChannel.Email;
    const target = normalizeAddress(channel, body.account, body.countryCode);
    const password = base64Password(body.password);
    const displayName = assertDisplayName(body.nickname);
    const account = await this.registration.register({ channel, target, code: body.verifyCode, password, displayName, ip: caller.ip });
    return { aid: account.name, username: account.name, nickname: account.displayName, email: account.email, phone: account.phone };
  }

  async resetPassword(body: AccountResetPasswordDto, caller: FresnsCaller): Promise<void> {
    const channel = body.type === 'phone' ? VerificationChannel.Sms : VerificationChannel.Email;
    const target = normalizeAddress(channel, body.account, body.countryCode);
    const password = base64Password(body.newPassword);
    await this.passwordReset.resetWithCode({
      channel,
      target,
      code: body.verifyCode,
      password,
      acceptLanguage: caller.language,
      ip: caller.ip,
    });
  }
}

/** Fresns sends passwords base64-encoded; what does not decode fails like a bad password. */
function base64Password(encoded: string): string {
  const password = decodeBase64Password(encoded);
  if (password === null) {
    throw new DomainError(ErrorCode.BadRequest, 'The password must be base64 of the UTF-8 text.', { reason: 'password' });
  }
  return password;
}
