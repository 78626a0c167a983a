import { Inject, Injectable } from '@nestjs/common';
import { Principal, requireUser } from '../../auth/principal';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { importedPasswordHash } from '../../users/imported-password-hash';
import { assertPasswordAcceptable } from '../../users/password-policy';
import { UserAccountsService } from '../../users/user-accounts.service';
import { USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../halo/dto/user-field.validators';
import { normalizeEmail } from '../../email-verification/email-address';
import { AddHumanUserDto, oneofMember } from './dto/zitadel-requests.dto';
import type { ZitadelAddHumanUserResponse } from './dto/zitadel-responses.dto';
import { ZitadelAccessPolicy } from './zitadel-access.policy';
import { ZitadelEmailService } from './zitadel-email.service';
import { zitadelErrors } from './zitadel-errors';
import { ZitadelRequestContext } from './zitadel-request-context';
import { toZitadelDetails } from './zitadel-user.mapper';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../../console-users.options';

/**
 * ZITADEL's AddHumanUser on the core's CreateUser: a user without roles, with a password (our
 * policy) or an imported hash (argon2id or bcrypt), `changeRequired` enforced at login, and the
 * email verified by the creator's word, by a mailed code (the default) or a returned one.
 */
@Injectable()
export class ZitadelAddHumanService {
  constructor(
    private readonly accounts: UserAccountsService,
    private readonly access: ZitadelAccessPolicy,
    private readonly email: ZitadelEmailService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async addHuman(principal: Principal, body: AddHumanUserDto, context: ZitadelRequestContext): Promise<ZitadelAddHumanUserResponse> {
    const actor = requireUser(principal);
    if (body.userId) {
      throw zitadelErrors.invalidArgument('invalid request: userId is assigned by the server');
    }
    if ((body.metadata?.length ?? 0) > 0 || (body.idpLinks?.length ?? 0) > 0 || body.totpSecret) {
      throw zitadelErrors.invalidArgument('invalid request: metadata, idpLinks and totpSecret are not supported');
    }
    const name = body.username ?? '';
    if (name.length > USERNAME_MAX_LENGTH || !USERNAME_PATTERN.test(name)) {
      throw zitadelErrors.invalidArgument(
        'invalid request: username is required: lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 63 characters',
      );
    }
    const email = normalizeEmail(body.email.email);
    if (!email) {
      throw zitadelErrors.invalidEmail();
    }
    const verification = oneofMember(body.email, ['sendCode', 'returnCode', 'isVerified']);
    if (verification === 'isVerified' && body.email.isVerified !== true) {
      throw zitadelErrors.invalidArgument('invalid request: isVerified may only be true');
    }
    oneofMember(body, ['password', 'hashedPassword']);
    const secret = this.secret(body);
    // What the email choice needs is checked before the user exists (id 0 is nobody, so never
    // "yourself"): a refusal must not leave a half-made user behind.
    const emailAction = verification === 'returnCode' ? 'return-code' : verification === 'isVerified' ? 'mark-verified' : 'send';
    await this.access.assertMay(actor, emailAction, { id: 0, name });
    const profile = body.profile;
    const displayName = profile.displayName?.trim() ? profile.displayName : `${profile.givenName} ${profile.familyName}`;

    const created = await this.accounts.create(
      actor,
      {
        name,
        email,
        displayName,
        phone: body.phone?.phone || undefined,
        ...secret,
        emailVerified: verification === 'isVerified',
        roles: [],
      },
      context.ip,
    );
    const userId = String(created.id);
    let emailCode: string | undefined;
    if (verification !== 'isVerified') {
      // No choice means ZITADEL's default: mail the code.
      try {
        const sent = await this.email.sendCode(
          principal,
          userId,
          verification === 'returnCode' ? { returnCode: {} } : { sendCode: body.email.sendCode ?? {} },
          context,
          false,
        );
        emailCode = sent.verificationCode;
      } catch (error) {
        // The user exists now; a send refused by the mail limits is what ResendEmailCode is for.
        if (!(error instanceof DomainError && error.code === ErrorCode.RateLimited)) {
          throw error;
        }
      }
    }
    const user = await this.access.requireTarget(userId);
    const details = toZitadelDetails(user, this.options.zitadel.resourceOwner);
    return emailCode === undefined ? { userId, details } : { userId, details, emailCode };
  }

  /** The password under our policy, or the imported hash (which our policy cannot see). */
  private secret(body: AddHumanUserDto): { password?: string; passwordHash?: string; passwordChangeRequired: boolean } {
    if (body.hashedPassword) {
      try {
        return { passwordHash: importedPasswordHash(body.hashedPassword.hash), passwordChangeRequired: body.hashedPassword.changeRequired === true };
      } catch (error) {
        throw error instanceof DomainError ? zitadelErrors.invalidArgument(error.message) : error;
      }
    }
    if (body.password) {
      assertPasswordAcceptable(body.password.password);
      return { password: body.password.password, passwordChangeRequired: body.password.changeRequired === true };
    }
    return { passwordChangeRequired: false };
  }
}
