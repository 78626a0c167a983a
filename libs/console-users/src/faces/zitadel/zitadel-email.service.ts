import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { Principal, requireUser } from '../../auth/principal';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';
import { TransactionRunner } from '../../database/transaction-runner';
import { isUniqueViolation } from '../../database/unique-violation';
import { normalizeEmail } from '../../email-verification/email-address';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { resolveLocale } from '../../notifications/template-dirs';
import type { UserEntity } from '../../users/user.entity';
import { EmailAddressUseCase } from '../../users/email-address.use-case';
import { VerificationChannel, VerificationPurpose } from '../../verification/verification-purpose';
import { IssuedSecret, IssueSecretRequest, VerificationService } from '../../verification/verification.service';
import { oneofMember, SendEmailCodeDto, SetEmailDto } from './dto/zitadel-requests.dto';
import type { ZitadelWriteResponse } from './dto/zitadel-responses.dto';
import { ZitadelAccessPolicy } from './zitadel-access.policy';
import { zitadelErrors } from './zitadel-errors';
import { codeLink, validateUrlTemplate } from './zitadel-links';
import { assertSameUserId, ZitadelRequestContext } from './zitadel-request-context';
import { toZitadelDetails } from './zitadel-user.mapper';

/** How a code leaves the server: by mail inside a link, or in the response. */
type Delivery = { kind: 'mail'; urlTemplate: string | null } | { kind: 'return' };

/**
 * ZITADEL's SetEmail, SendEmailCode, ResendEmailCode and VerifyEmail on the verification
 * engine: codes are the engine's (6 digits, 10 min, 5 tries, replaced by the next one), mailed
 * through the outbox in the transaction that stores them, or handed back for `returnCode`.
 */
@Injectable()
export class ZitadelEmailService {
  constructor(
    private readonly access: ZitadelAccessPolicy,
    private readonly verification: VerificationService,
    private readonly audit: AuditService,
    private readonly emails: EmailAddressUseCase,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /**
   * Changes the address. The new address is unverified (unless an authorized `isVerified`), and
   * every outstanding code of the user dies in the same write that stores the address and, when
   * asked, the new code with its outbox row.
   */
  async setEmail(principal: Principal, userId: string, body: SetEmailDto, context: ZitadelRequestContext): Promise<ZitadelWriteResponse> {
    const actor = requireUser(principal);
    assertSameUserId(userId, body.userId, () => zitadelErrors.invalidArgument('invalid request: userId differs from the path'));
    const verification = oneofMember(body, ['sendCode', 'returnCode', 'isVerified']);
    if (verification === 'isVerified' && body.isVerified !== true) {
      throw zitadelErrors.invalidArgument('invalid request: isVerified may only be true');
    }
    const email = normalizeEmail(body.email);
    if (!email) {
      throw zitadelErrors.invalidEmail();
    }
    const target = await this.access.requireTarget(userId);
    const action = verification === 'returnCode' ? 'return-code' : verification === 'isVerified' ? 'mark-verified' : 'send';
    await this.access.assertMay(actor, action, target);
    const urlTemplate = validateUrlTemplate(body.sendCode?.urlTemplate, this.owner(target));
    if (target.disabled) {
      throw zitadelErrors.userInactive();
    }
    if (target.emailLower === email && target.emailVerified) {
      throw zitadelErrors.emailNotChanged();
    }
    const markVerified = verification === 'isVerified';
    const delivery: Delivery | null = markVerified ? null : verification === 'returnCode' ? { kind: 'return' } : { kind: 'mail', urlTemplate };
    let issued: IssuedSecret | undefined;
    let updated: UserEntity;
    try {
      updated = await this.tx.run(async (manager) => {
        const { user: current } = await this.emails.changeEmail(manager, {
          userId: target.id,
          email: body.email.trim(),
          verified: markVerified,
          clearPending: true,
          alsoEnd: [VerificationPurpose.EmailVerify],
          acceptLanguage: context.acceptLanguage,
        });
        if (delivery) {
          issued = await this.verification.issueWithin(manager, this.issueRequest(current, email, delivery, context));
        }
        await this.audit.record(
          {
            actor: actor.name,
            action: markVerified ? 'email.mark-verified' : 'email.set',
            target: current.name,
            ip: context.ip,
            outcome: 'success',
            details: { face: 'zitadel', email, delivery: delivery?.kind ?? 'none' },
          },
          manager,
        );
        return current;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw zitadelErrors.emailTaken();
      }
      throw error;
    }
    return this.answer(updated, delivery, issued);
  }

  /**
   * SendEmailCode and ResendEmailCode: a new code for the current, unverified address replaces
   * any older one. Resend fails with FailedPrecondition when no code is outstanding.
   */
  async sendCode(
    principal: Principal,
    userId: string,
    body: SendEmailCodeDto,
    context: ZitadelRequestContext,
    resend: boolean,
  ): Promise<ZitadelWriteResponse> {
    const actor = requireUser(principal);
    assertSameUserId(userId, body.userId, () => zitadelErrors.invalidArgument('invalid request: userId differs from the path'));
    const mode = oneofMember(body, ['sendCode', 'returnCode']);
    const target = await this.access.requireTarget(userId);
    await this.access.assertMay(actor, mode === 'returnCode' ? 'return-code' : 'send', target);
    const urlTemplate = validateUrlTemplate(body.sendCode?.urlTemplate, this.owner(target));
    if (target.disabled) {
      throw zitadelErrors.userInactive();
    }
    if (!target.emailLower) {
      throw zitadelErrors.noEmail();
    }
    if (target.emailVerified) {
      throw zitadelErrors.emailAlreadyVerified();
    }
    if (resend && !(await this.verification.hasLive(VerificationPurpose.EmailVerify, VerificationChannel.Email, target.emailLower, target.id))) {
      throw zitadelErrors.codeEmpty();
    }
    const delivery: Delivery = mode === 'returnCode' ? { kind: 'return' } : { kind: 'mail', urlTemplate };
    const issued = await this.tx.run(async (manager) => {
      const secret = await this.verification.issueWithin(manager, this.issueRequest(target, target.emailLower!, delivery, context));
      await this.audit.record(
        {
          actor: actor.name,
          action: 'email.code.send',
          target: target.name,
          ip: context.ip,
          outcome: 'success',
          details: { face: 'zitadel', delivery: delivery.kind, resend: String(resend) },
        },
        manager,
      );
      return secret;
    });
    return this.answer(target, delivery, issued);
  }

  /**
   * VerifyEmail: possession of the code is the proof, so no caller is needed. An unknown,
   * disabled or address-less user gets the same answer as a wrong code (no oracle of ids).
   */
  async verify(userId: string, bodyUserId: string | undefined, code: string, context: ZitadelRequestContext): Promise<ZitadelWriteResponse> {
    assertSameUserId(userId, bodyUserId, () => zitadelErrors.invalidArgument('invalid request: userId differs from the path'));
    const target = await this.access.findTarget(userId);
    if (!target || target.disabled || !target.emailLower) {
      throw zitadelErrors.codeInvalid();
    }
    let verifiedTarget: string;
    try {
      const verified = await this.verification.verifyCode({
        purpose: VerificationPurpose.EmailVerify,
        channel: VerificationChannel.Email,
        target: target.emailLower,
        code,
        accountKey: `user:${target.id}`,
        userId: target.id,
      });
      verifiedTarget = verified.target;
    } catch (error) {
      await this.audit.record({ actor: null, action: 'email.verify', target: target.name, ip: context.ip, outcome: 'failure', details: { face: 'zitadel' } });
      throw error instanceof DomainError && error.code === ErrorCode.VerificationFailed ? zitadelErrors.codeInvalid() : error;
    }
    try {
      const updated = await this.tx.run((manager: EntityManager) =>
        // The address changed between issue and use: the code proved the old one.
        this.emails.markEmailVerified(manager, {
          userId: target.id,
          address: verifiedTarget,
          refuse: () => zitadelErrors.codeInvalid(),
          audit: { ip: context.ip, details: { face: 'zitadel', email: verifiedTarget } },
        }),
      );
      return { details: toZitadelDetails(updated, this.options.zitadel.resourceOwner) };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw zitadelErrors.emailTaken();
      }
      throw error;
    }
  }

  private issueRequest(user: UserEntity, email: string, delivery: Delivery, context: ZitadelRequestContext): IssueSecretRequest {
    const owner = this.owner(user);
    return {
      purpose: VerificationPurpose.EmailVerify,
      channel: VerificationChannel.Email,
      target: email,
      userId: user.id,
      urlTemplate: delivery.kind === 'mail' ? delivery.urlTemplate : null,
      context: { face: 'zitadel' },
      // A returned code is not a mail: the recipient caps guard mailboxes, not callers who already hold the code.
      enforceLimits: delivery.kind === 'mail',
      delivery:
        delivery.kind === 'mail'
          ? {
              template: 'email-verify-link',
              locale: resolveLocale(user.language, context.acceptLanguage),
              variables: (code) => ({
                code,
                link: codeLink(this.options.publicUrl, 'verify-email', delivery.urlTemplate, owner, code),
                username: user.name,
                displayName: user.displayName,
                expiresInMinutes: Math.round(this.options.verification.emailCodeTtlMs / 60_000),
              }),
            }
          : null,
    };
  }

  private answer(user: UserEntity, delivery: Delivery | null, issued: IssuedSecret | undefined): ZitadelWriteResponse {
    const details = toZitadelDetails(user, this.options.zitadel.resourceOwner);
    return delivery?.kind === 'return' && issued ? { details, verificationCode: issued.secret } : { details };
  }

  private owner(user: UserEntity): { userId: number; orgId: string } {
    return { userId: user.id, orgId: this.options.zitadel.resourceOwner };
  }
}
