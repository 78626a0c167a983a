import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { UserPrincipal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { assertReplacesGivenPassword } from './password-change-required';
import { guessingClientOf, PasswordChangeUseCase } from './password-change.use-case';
import { SYSTEM_USER_NAMES } from './system-users';
import type { UserEntity } from './user.entity';
import { systemUserReadOnly, userNotFound } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';

/** A new password for oneself: the current one (a missing one is a mismatch, unless the account has none) and the new one. */
export interface OwnPasswordChange {
  oldPassword?: string;
  password: string;
}

/**
 * ChangeOwnPassword and ChangeAnyonePassword. The new hash and the revocation of every session
 * and token of the user commit together: the very next request with an old credential gets 401.
 */
@Injectable()
export class UserPasswordsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly policy: UserManagementPolicy,
    private readonly passwords: PasswordChangeUseCase,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks the old password (skipped, as in Halo, for an account without one); wrong guesses count
   * against the same per-account budget as failed logins.
   */
  async changeOwn(principal: UserPrincipal, body: OwnPasswordChange, ip: string): Promise<UserView> {
    const user = await this.users.findByName(principal.name);
    if (!user) {
      throw userNotFound(principal.name);
    }
    if (!(await this.passwords.checkCurrentPassword(user, body.oldPassword ?? '', 'accept', guessingClientOf(principal, user.id, ip)))) {
      await this.audit.record({ actor: user.name, action: 'user.password.change', target: user.name, ip, outcome: 'failure' });
      throw new DomainError(ErrorCode.UnsatisfiedAttribute, 'The old password does not match.');
    }
    assertReplacesGivenPassword(user, body.oldPassword ?? '', body.password);
    return this.setPassword(user, body.password, { actor: principal, ip, action: 'user.password.change' });
  }

  /** Sets anyone's password without the old one, if the actor holds every role the target holds. */
  async changeAnyone(actor: UserPrincipal, name: string, password: string, ip: string): Promise<UserView> {
    const user = await this.users.findByName(name);
    if (!user) {
      throw userNotFound(name);
    }
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    await this.policy.assertMayManage(actor, name);
    return this.setPassword(user, password, { actor, ip, action: 'user.password.set' });
  }

  private async setPassword(
    user: UserEntity,
    password: string,
    by: { actor: UserPrincipal; ip: string; action: 'user.password.change' | 'user.password.set' },
  ): Promise<UserView> {
    const passwordHash = await this.passwords.hashPassword(password);
    const updated = await this.passwords.changePassword({
      userId: user.id,
      passwordHash,
      lock: true,
      check: async (fresh, manager) => {
        if (!fresh || fresh.name !== user.name) {
          throw userNotFound(user.name);
        }
        // Roles may have changed while the hash was computed.
        await this.policy.assertMayManage(by.actor, user.name, manager);
      },
      audit: { actor: by.actor.name, action: by.action, ip: by.ip, countRevoked: true },
    });
    return toUserView(updated);
  }
}
