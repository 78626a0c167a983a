import { Injectable } from '@nestjs/common';
import type { UserPrincipal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ApiGroups } from '../rbac/rbac-labels';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { SYSTEM_USER_NAMES } from './system-users';
import type { UserEntity } from './user.entity';
import { UserManagementPolicy } from './user-management.policy';
import { UsersRepository } from './users.repository';

/** What acting on a user takes: the console RBAC rule, whether oneself passes without it, whether the target's roles matter. */
export interface TargetRule {
  resource: string;
  subresource?: string;
  verb: string;
  /** Acting on oneself needs no rule. */
  selfAllowed: boolean;
  /** Acting on someone else also needs every role the target holds (reads do not). */
  changesTarget: boolean;
}

/** The verdict; the face words a refusal in its own format. */
export type TargetAccess = 'allowed' | 'missing-permission' | 'lacks-target-roles';

/**
 * Decides whether a caller may act on one user, for routes whose permission depends on the
 * target (self versus other, "holds every role of the target"), the same rule Halo's routes apply.
 */
@Injectable()
export class TargetAccessPolicy {
  constructor(
    private readonly users: UsersRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly management: UserManagementPolicy,
  ) {}

  /** The user with this id, or null; system users (anonymousUser, ghost) are nobody here. */
  async findTarget(id: number): Promise<UserEntity | null> {
    const user = await this.users.findById(id);
    return user && !SYSTEM_USER_NAMES.includes(user.name) ? user : null;
  }

  async decide(actor: UserPrincipal, rule: TargetRule, target: Pick<UserEntity, 'id' | 'name'>): Promise<TargetAccess> {
    const self = actor.userId === target.id;
    if (!(self && rule.selfAllowed)) {
      const graph = await this.roleGraph.graph();
      const allowed = graph.allows(actor.roles, {
        kind: 'resource',
        apiGroup: ApiGroups.console,
        resource: rule.resource,
        subresource: rule.subresource,
        name: target.name,
        verb: rule.verb,
      });
      if (!allowed) {
        return 'missing-permission';
      }
    }
    if (!self && rule.changesTarget) {
      try {
        await this.management.assertMayManage(actor, target.name);
      } catch (error) {
        if (error instanceof DomainError && error.code === ErrorCode.Forbidden) {
          return 'lacks-target-roles';
        }
        throw error;
      }
    }
    return 'allowed';
  }
}
