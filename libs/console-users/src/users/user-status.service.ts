import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CredentialRevocationService } from '../auth/credential-revocation.service';
import type { UserPrincipal } from '../auth/principal';
import { CONSOLE_USERS_CLOCK, Clock } from '../common/clock';
import { TransactionRunner } from '../database/transaction-runner';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleNames } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { SYSTEM_USER_NAMES } from './system-users';
import { systemUserReadOnly } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';
import { VerificationPurpose } from '../verification/verification-purpose';
import { VerificationService } from '../verification/verification.service';


/** DisableUser and EnableUser (Halo's console API). */
@Injectable()
export class UserStatusService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly policy: UserManagementPolicy,
    private readonly revocation: CredentialRevocationService,
    private readonly audit: AuditService,
    private readonly verification: VerificationService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Disables the user and revokes its sessions and tokens in one transaction. Refuses (400) the
   * caller itself and the last enabled super-role user, so the installation keeps an administrator.
   */
  async disable(actor: UserPrincipal, name: string, ip: string): Promise<UserView> {
    if (name === actor.name) {
      throw new DomainError(ErrorCode.BadRequest, "The user is the current user, can't disable it.");
    }
    const user = await this.tx.run(async (manager) => {
      await this.users.lockAdministratorSet(manager, this.tx.supportsLocking);
      const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
      if (!current || current.disabled) {
        throw new DomainError(ErrorCode.BadRequest, 'The user was not found or has been disabled.');
      }
      await this.policy.assertMayManage(actor, name, manager);
      const roles = await this.bindings.roleNamesOf(name, manager);
      if (
        roles.includes(RoleNames.superRole) &&
        (await this.users.countEnabledWithRole(manager, RoleNames.superRole, name)) === 0
      ) {
        throw new DomainError(ErrorCode.BadRequest, "The user is the last enabled super-role user, can't disable it.");
      }
      await this.users.update(manager, current, { disabled: true }, this.clock.now());
      await this.revocation.revokeEverything(current.id, manager);
      // No live code or link for an account that cannot log in.
      await this.verification.revokeForUser(current.id, Object.values(VerificationPurpose), manager);
      await this.audit.record({ actor: actor.name, action: 'user.disable', target: name, ip, outcome: 'success' }, manager);
      return (await this.users.findByName(name, manager))!;
    });
    return toUserView(user);
  }

  /** Enables a disabled user; Halo's system users stay disabled. */
  async enable(actor: UserPrincipal, name: string, ip: string): Promise<UserView> {
    const user = await this.tx.run(async (manager) => {
      const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
      if (!current || !current.disabled) {
        throw new DomainError(ErrorCode.BadRequest, 'The user was not found or has been enabled.');
      }
      if (SYSTEM_USER_NAMES.includes(name)) {
        throw systemUserReadOnly(name);
      }
      await this.policy.assertMayManage(actor, name, manager);
      await this.users.update(manager, current, { disabled: false }, this.clock.now());
      await this.audit.record({ actor: actor.name, action: 'user.enable', target: name, ip, outcome: 'success' }, manager);
      return (await this.users.findByName(name, manager))!;
    });
    return toUserView(user);
  }
}
