import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UserPrincipal } from '../auth/principal';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';

/**
 * Who may act on whom, beyond the route's RBAC rule (deliberate tightenings of Halo):
 * a caller grants only roles it holds itself, and changes only users whose roles it holds too.
 * "Holds" follows dependencies and aggregation; `super-role` holds everything; a role that grants
 * nothing (such as `guest`) counts as held by everyone, since holding it confers no power. A
 * caller's roles are its authorities, so a personal access token counts with the roles it carries.
 */
@Injectable()
export class UserManagementPolicy {
  constructor(
    private readonly roleGraph: RoleGraphProvider,
    private readonly bindings: RoleBindingsRepository,
  ) {}

  /** 400 for a role that does not exist, 403 for one the actor does not hold. */
  async assertMayGrant(actor: UserPrincipal, roleNames: string[]): Promise<void> {
    const graph = await this.roleGraph.graph();
    for (const role of roleNames) {
      if (!graph.has(role)) {
        throw new DomainError(ErrorCode.BadRequest, `Role [${role}] is not found.`);
      }
    }
    for (const role of roleNames) {
      if (graph.grantsAnything(role) && !graph.contains(actor.roles, role)) {
        throw new DomainError(ErrorCode.Forbidden, `You cannot grant role [${role}]: you do not hold it yourself.`);
      }
    }
  }

  /**
   * 403 when the target holds a role the actor does not (so a manager cannot take over an admin).
   * Acting on oneself is always allowed here; the route's rule already decided that.
   */
  async assertMayManage(actor: UserPrincipal, targetName: string, manager?: EntityManager): Promise<void> {
    if (targetName === actor.name) {
      return;
    }
    const graph = await this.roleGraph.graph();
    const held = await this.bindings.roleNamesOf(targetName, manager);
    const lacking = held.filter((role) => graph.has(role) && graph.grantsAnything(role) && !graph.contains(actor.roles, role));
    if (lacking.length > 0) {
      throw new DomainError(
        ErrorCode.Forbidden,
        `You cannot change user ${targetName}: it holds roles you do not hold (${lacking.sort().join(', ')}).`,
      );
    }
  }
}
