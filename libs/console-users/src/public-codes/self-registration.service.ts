import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { isUniqueViolation } from '../database/unique-violation';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleNames } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from '../users/password-hasher';
import { assertPasswordAcceptable } from '../users/password-policy';
import { hasRefusedTextCharacters } from '../users/user-text';
import { newUser } from '../users/new-user';
import { UsersRepository } from '../users/users.repository';
import { VerificationChannel, VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';
import { AccountLookupRepository } from './account-lookup.repository';
import { maskAddress } from './addresses';
import { addressInUse } from './public-code.service';
import { tagPasswordPolicy, tagVerifyLimit } from './verify-errors';

/** A registration proven by a code sent to the address. */
export interface RegistrationRequest {
  channel: VerificationChannel;
  /** Normalized address the code was sent to. */
  target: string;
  code: string;
  password: string;
  displayName: string;
  ip?: string;
}

/** The new account, for the face's answer (the caller's own data). */
export interface RegisteredAccount {
  id: number;
  name: string;
  displayName: string;
  email: string | null;
  phone: string | null;
}

const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Self-service registration with a code (Fresns `account/register`): the code proves the address,
 * the account gets the `guest` role, the address is stored verified (email) or as E.164 (phone).
 */
@Injectable()
export class SelfRegistrationService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly accounts: AccountLookupRepository,
    private readonly verification: VerificationService,
    private readonly audit: AuditService,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  async register(request: RegistrationRequest): Promise<RegisteredAccount> {
    // Checked before the code is spent, so a weak password does not cost the user a new code.
    try {
      assertPasswordAcceptable(request.password);
    } catch (error) {
      throw tagPasswordPolicy(error);
    }
    // Hashed before the code is spent: when hashing is refused as busy (503), the code is still
    // good for the retry. A wrong code thus costs one hash, as a wrong login password does, under
    // the same bound and the same per-IP limits.
    const passwordHash = await this.hasher.hash(request.password);
    try {
      await this.verification.verifyCode({
        purpose: VerificationPurpose.Register,
        channel: request.channel,
        target: request.target,
        code: request.code,
        accountKey: `address:${request.target}`,
      });
    } catch (error) {
      await this.audit.record({ actor: null, action: 'account.register', target: maskAddress(request.channel, request.target), ip: request.ip, outcome: 'failure' });
      throw tagVerifyLimit(error);
    }
    // Only the owner of the address gets here, so telling them it is taken reveals nothing.
    if (await this.accounts.isTaken(request.channel, request.target)) {
      throw addressInUse(request.channel);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.insert(request, passwordHash);
      } catch (error) {
        if (!isUniqueViolation(error)) {
          throw error;
        }
        if (await this.accounts.isTaken(request.channel, request.target)) {
          throw addressInUse(request.channel);
        }
        if (attempt >= 2) {
          throw error;
        }
      }
    }
  }

  private async insert(request: RegistrationRequest, passwordHash: string): Promise<RegisteredAccount> {
    const now = this.clock.now();
    const email = request.channel === VerificationChannel.Email;
    return this.tx.run(async (manager) => {
      if (await this.accounts.isTaken(request.channel, request.target, manager)) {
        throw addressInUse(request.channel);
      }
      const user = await this.users.insert(
        newUser({
          name: generatedName(),
          displayName: request.displayName,
          email: email ? request.target : null,
          emailVerified: email,
          phone: email ? null : request.target,
          passwordHash,
          registeredAt: now,
        }),
        now,
        manager,
      );
      await this.bindings.replaceRoles(manager, user.name, [RoleNames.guest], now);
      await this.audit.record(
        { actor: user.name, action: 'account.register', target: user.name, ip: request.ip, outcome: 'success', details: { channel: request.channel } },
        manager,
      );
      return { id: user.id, name: user.name, displayName: user.displayName, email: user.email, phone: user.phone };
    });
  }
}

/**
 * A login name nobody can derive from the address (an email's local part would leak into
 * places that show user names): `u` and 11 random lower-case letters and digits.
 */
function generatedName(): string {
  let name = 'u';
  for (let i = 0; i < 11; i++) {
    name += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  }
  return name;
}

/** Nickname rules for self-registration: what a display name may be. */
export function assertDisplayName(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new DomainError(ErrorCode.BadRequest, 'nickname is required.', { reason: 'missing' });
  }
  // Stored exactly as sent: a name is the person's, not ours to normalize.
  const name = raw;
  const length = [...name].length;
  if (length < 1 || length > 64) {
    throw new DomainError(ErrorCode.BadRequest, 'The nickname must be 1 to 64 characters.', { reason: 'nickname-length' });
  }
  if (hasRefusedTextCharacters(name)) {
    throw new DomainError(ErrorCode.BadRequest, 'The nickname contains characters that are not allowed.', { reason: 'nickname-chars' });
  }
  return name;
}
