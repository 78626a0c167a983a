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
import { extensionNotFound, systemUserReadOnly } from './user-errors';
import { UserManagementPolicy } from './user-management.policy';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';

/** GrantPermission (Halo's console API): replace a user's roles. */
@Injectable()
export class UserRolesService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly policy: UserManagementPolicy,
    private readonly revocation: CredentialRevocationService,
    private readonly audit: AuditService,
    private readonly tx: TransactionRunner,
    @Inject(CONSOLE_USERS_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Makes the user's roles exactly `roles`, after checking (unlike Halo) that the user and every
   * role exist and that the caller holds each role and every role the user holds now. When the set
   * changes, the user's sessions and tokens are revoked in the same transaction and its version
   * moves. Answers with the `User`, never an empty body.
   */
  async grant(actor: UserPrincipal, name: string, roleNames: string[], ip: string): Promise<UserView> {
    const roles = [...new Set(roleNames.filter((r) => r.trim() !== ''))];
    await this.policy.assertMayGrant(actor, roles);
    if (SYSTEM_USER_NAMES.includes(name)) {
      throw systemUserReadOnly(name);
    }
    const user = await this.tx.run(async (manager) => {
      await this.users.lockAdministratorSet(manager, this.tx.supportsLocking);
      const current = await this.users.findForUpdate(manager, name, this.tx.supportsLocking);
      if (!current) {
        throw extensionNotFound('User', name);
      }
      await this.policy.assertMayManage(actor, name, manager);
      const held = await this.bindings.roleNamesOf(name, manager);
      if (
        held.includes(RoleNames.superRole) &&
        !roles.includes(RoleNames.superRole) &&
        !current.disabled &&
        (await this.users.countEnabledWithRole(manager, RoleNames.superRole, name)) === 0
      ) {
        throw new DomainError(
          ErrorCode.BadRequest,
          `The user is the last enabled super-role user, the role ${RoleNames.superRole} can't be removed from it.`,
        );
      }
      const now = this.clock.now();
      if (await this.bindings.replaceRoles(manager, name, roles, now)) {
        await this.revocation.revokeEverything(current.id, manager);
        await this.users.update(manager, current, {}, now);
        await this.audit.record(
          { actor: actor.name, action: 'user.roles.grant', target: name, ip, outcome: 'success', details: { roles: roles.join(','), before: held.join(',') } },
          manager,
        );
      }
      return (await this.users.findByName(name, manager))!;
    });
    return toUserView(user);
  }
}
