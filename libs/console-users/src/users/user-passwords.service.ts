import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CredentialRevocationService } from '../auth/credential-revocation.service';
import { accountFailureKey } from '../auth/login.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RateLimitRepository } from '../throttling/rate-limit.repository';
import { rateLimitedError } from '../throttling/rate-limited.error';
import type { ChangeOwnPasswordDto } from '../faces/halo/dto/change-own-password.dto';
import type { ChangePasswordDto } from '../faces/halo/dto/change-password.dto';
import type { HaloUser } from '../faces/halo/dto/halo-user.dto';
import { CONSOLE_USERS_PASSWORD_HASHER, PasswordHasher } from './password-hasher';
import { SYSTEM_USER_NAMES } from './system-users';
import { systemUserReadOnly, userNotFound } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toHaloUser } from '../faces/halo/user.mapper';
import { UsersRepository } from './users.repository';


/**
 * ChangeOwnPassword and ChangeAnyonePassword. The new hash and the revocation of every session
 * and token of the user commit together: the very next request with an old credential gets 401.
 */
@Injectable()
export class UserPasswordsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly policy: UserManagementPolicy,
    private readonly revocation: CredentialRevocationService,
    private readonly limits: RateLimitRepository,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /**
   * Checks the old password (skipped, as in Halo, for an account without one); wrong guesses count
   * against the same per-account budget as failed logins.
   */
  async changeOwn(principal: UserPrincipal, body: ChangeOwnPasswordDto, ip: string): Promise<HaloUser> {
    const user = await this.users.findByName(principal.name);
    if (!user) {
      throw userNotFound(principal.name);
    }
    const stored = await this.users.findPasswordHash(user.id);
    if (stored) {
      const now = this.clock.now();
      const key = accountFailureKey(user.name);
      const { accountFailures, accountWindowMs } = this.options.loginLimits;
      const failures = await this.limits.peek(key, now);
      if (failures.hits >= accountFailures) {
        throw rateLimitedError(failures.resetAt, now);
      }
      if (!(await this.hasher.verify(stored, body.oldPassword ?? ''))) {
        await this.limits.hit(key, accountWindowMs, now);
        await this.audit.record({ actor: user.name, action: 'user.password.change', target: user.name, ip, outcome: 'failure' });
        throw new DomainError(ErrorCode.UnsatisfiedAttribute, 'The old password does not match.');
      }
    }
    return this.setPassword(user.name, body.password, { actor: principal, ip, action: 'user.password.change' });
  }

  /** Sets anyone's password without the old one, if the actor holds every role the target holds. */
  async changeAnyone(actor: UserPrincipal, name: string, body: ChangePasswordDto, ip: string): Promise<HaloUser> {
    if (!(await this.users.findByName(name))) {
      throw userNotFound(name);
    }
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    await this.policy.assertMayManage(actor, name);
    return this.setPassword(name, body.password, { actor, ip, action: 'user.password.set' });
  }

  private async setPassword(
    name: string,
    password: string,
    by: { actor: UserPrincipal; ip: string; action: 'user.password.change' | 'user.password.set' },
  ): Promise<HaloUser> {
    const passwordHash = await this.hasher.hash(password);
    const user = await this.tx.run(async (manager) => {
      const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
      if (!current) {
        throw userNotFound(name);
      }
      // Roles may have changed while the hash was computed.
      await this.policy.assertMayManage(by.actor, name, manager);
      await this.users.update(manager, current, { passwordHash }, this.clock.now());
      const revoked = await this.revocation.revokeEverything(current.id, manager);
      await this.audit.record(
        {
          actor: by.actor.name,
          action: by.action,
          target: name,
          ip: by.ip,
          outcome: 'success',
          details: { sessionsEnded: String(revoked.sessions), patsEnded: String(revoked.tokens) },
        },
        manager,
      );
      return (await this.users.findByName(name, manager))!;
    });
    return toHaloUser(user, this.options.publicUrl);
  }
}
