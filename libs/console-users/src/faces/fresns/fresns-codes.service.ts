import { Inject, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { AuditService } from '../../audit/audit.service';
import { Principal, requireUser } from '../../auth/principal';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { AccountLimit, PublicAudience, PublicCodeService } from '../../public-codes/public-code.service';
import { normalizeAddress } from '../../public-codes/addresses';
import { tagVerifyLimit } from '../../public-codes/verify-errors';
import type { UserEntity } from '../../users/user.entity';
import { UserDirectoryService } from '../../users/user-directory.service';
import { userNotFound } from '../../users/users.service';
import { VerificationChannel, VerificationPurpose } from '../../verification/verification-purpose';
import { VerificationService } from '../../verification/verification.service';
import type { AccountVerifyIdentityDto } from './dto/account-verify-identity.dto';
import type { SendVerifyCodeDto } from './dto/send-verify-code.dto';
import { codeTemplate, FresnsTemplate, FresnsUseType, purposeForTemplate, sendRule } from './fresns-rules';

const MINUTE = 60_000;

/** Where a request came from. */
export interface FresnsCaller {
  principal: Principal;
  ip: string;
  /** `X-Fresns-Client-Lang-Tag`, else Accept-Language. */
  language?: string;
}

/**
 * Fresns' send-verify-code (with the useType rules of the contract) and verify-identity. The
 * logged-in identity is our session or PAT; `X-Fresns-*` headers are not needed.
 */
@Injectable()
export class FresnsCodesService {
  constructor(
    private readonly publicCodes: PublicCodeService,
    private readonly verification: VerificationService,
    private readonly users: UserDirectoryService,
    private readonly audit: AuditService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async sendVerifyCode(body: SendVerifyCodeDto, caller: FresnsCaller): Promise<void> {
    const channel = body.type === 'sms' ? VerificationChannel.Sms : VerificationChannel.Email;
    this.publicCodes.assertChannelEnabled(channel);
    const purpose = purposeForTemplate(body.templateId as FresnsTemplate, channel);
    const rule = sendRule(body.useType as FresnsUseType, purpose);
    const self = rule.needsLogin ? await this.currentUser(caller.principal) : null;

    let target: string;
    if (rule.audience === 'self') {
      target = ownAddress(self!, channel);
    } else {
      if (body.account === undefined || body.account.trim() === '') {
        throw new DomainError(ErrorCode.BadRequest, 'account is required', { reason: 'missing' });
      }
      target = normalizeAddress(channel, body.account, body.countryCode);
    }
    if (rule.needsBlankAddress && (channel === VerificationChannel.Email ? self!.email : self!.phone)) {
      throw channel === VerificationChannel.Email
        ? new DomainError(ErrorCode.UnsatisfiedAttribute, 'This account already has an email address.', { reason: 'email' })
        : new DomainError(ErrorCode.UnsatisfiedAttribute, 'This account already has a phone number.', { reason: 'phone' });
    }

    const existenceErrors = rule.reportsExistence && this.options.publicCodes.existenceErrors;
    const audience: PublicAudience =
      rule.audience === 'self'
        ? { kind: 'self', user: self! }
        : rule.audience === 'new'
          ? { kind: 'new', existenceErrors, bindUserId: self?.id ?? null }
          : { kind: 'existing', existenceErrors };
    await this.publicCodes.send({
      purpose,
      channel,
      target,
      audience,
      template: codeTemplate(purpose),
      variables: (code, holder) => ({ code, username: holder?.name ?? '', displayName: holder?.displayName ?? '' }),
      acceptLanguage: caller.language,
      accountLimits: fresnsAccountLimits(target),
      context: { templateId: String(body.templateId) },
      ip: caller.ip,
      actor: self?.name ?? null,
    });
  }

  /**
   * Checks a code sent to the caller's own address. Unlike Fresns, the code is used up: a code
   * that proved identity once must not prove it again.
   */
  async verifyIdentity(body: AccountVerifyIdentityDto, caller: FresnsCaller): Promise<void> {
    const user = await this.currentUser(caller.principal);
    const channel = body.type === 'sms' ? VerificationChannel.Sms : VerificationChannel.Email;
    const target = channel === VerificationChannel.Email ? user.emailLower : e164OrNull(user.phone);
    try {
      if (!target) {
        throw new DomainError(ErrorCode.VerificationFailed, 'Invalid verification code.');
      }
      await this.verification.verifyCode({
        purpose: VerificationPurpose.Identity,
        channel,
        target,
        code: body.verifyCode,
        accountKey: `user:${user.id}`,
        userId: user.id,
      });
    } catch (error) {
      await this.audit.record({ actor: user.name, action: 'identity.verify', target: user.name, ip: caller.ip, outcome: 'failure', details: { channel } });
      throw tagVerifyLimit(error);
    }
    await this.audit.record({ actor: user.name, action: 'identity.verify', target: user.name, ip: caller.ip, outcome: 'success', details: { channel } });
  }

  private async currentUser(principal: Principal): Promise<UserEntity> {
    const caller = requireUser(principal);
    const user = await this.users.findById(caller.userId);
    if (!user) {
      throw userNotFound(caller.name);
    }
    return user;
  }
}

/**
 * Fresns' documented per-account limit — at most 1 send a minute and 5 in 10 minutes, any
 * template — counted per normalized address. Fresns' own check (`> 1`, `> 5` on rows already
 * written) lets a 2nd and a 6th through; ours counts this send first, so they are refused.
 * Windows are fixed and start at the first send; the engine's per-recipient caps apply on top.
 */
export function fresnsAccountLimits(target: string): AccountLimit[] {
  return [
    { key: `fresns:send:minute:${target}`, windowMs: MINUTE, max: 1 },
    { key: `fresns:send:ten-minutes:${target}`, windowMs: 10 * MINUTE, max: 5 },
  ];
}

/** The caller's own address on a channel, or a 400 naming what is missing. */
function ownAddress(user: UserEntity, channel: VerificationChannel): string {
  if (channel === VerificationChannel.Email) {
    if (!user.emailLower) {
      throw new DomainError(ErrorCode.BadRequest, 'This account has no email address.', { reason: 'no-email' });
    }
    return user.emailLower;
  }
  const phone = e164OrNull(user.phone);
  if (!phone) {
    throw new DomainError(ErrorCode.BadRequest, 'This account has no phone number.', { reason: 'no-phone' });
  }
  return phone;
}

/** A stored phone if it is a valid E.164 number (Halo clients may have put free text there). */
function e164OrNull(phone: string | null): string | null {
  if (!phone || !/^\+[1-9]\d{6,14}$/.test(phone)) {
    return null;
  }
  return parsePhoneNumberFromString(phone)?.isValid() ? phone : null;
}
