import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { EffectivePermissions, PermissionsService } from '../rbac/permissions.service';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { isHiddenRole } from '../rbac/rbac-labels';
import type { RoleNode } from '../rbac/role-graph';
import { ANONYMOUS_USER_NAME } from './system-users';
import { userNotFound } from './user-errors';

export { userNotFound } from './user-errors';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';

/** A user with the visible roles it holds, newest role first then by name. */
export interface UserDetail {
  user: UserView;
  roles: RoleNode[];
}

/** Reading one user, with its roles or its permissions. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly permissions: PermissionsService,
  ) {}

  /** GetPermissions for a named user: from its role bindings (an unknown user has none, as in Halo). */
  async permissionsOf(name: string): Promise<EffectivePermissions> {
    return this.permissions.describe(await this.bindings.roleNamesOf(name));
  }

  /** GetCurrentUserDetail: the caller with its visible roles; `anonymousUser` for anonymous callers. */
  async currentUserDetail(principal: Principal): Promise<UserDetail> {
    const name = principal.kind === 'user' ? principal.name : ANONYMOUS_USER_NAME;
    const user = await this.users.findByName(name);
    if (!user) {
      throw userNotFound(name);
    }
    const roles = principal.kind === 'user' ? await this.visibleRoles(principal.roles) : [];
    return { user: toUserView(user), roles };
  }

  /** GetUserDetail: a user with the visible roles bound to it. */
  async userDetail(name: string): Promise<UserDetail> {
    const user = await this.users.findByName(name);
    if (!user) {
      throw userNotFound(name);
    }
    const roles = await this.visibleRoles(await this.bindings.roleNamesOf(name));
    return { user: toUserView(user), roles };
  }

  /** Role objects for names, without hidden ones, newest first then by name (Halo's order). */
  async visibleRoles(names: string[]): Promise<RoleNode[]> {
    const graph = await this.roleGraph.graph();
    const roles = [...new Set(names)]
      .map((n) => graph.get(n))
      .filter((r): r is RoleNode => r !== undefined && !isHiddenRole(r))
      .sort(
        (a, b) =>
          (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    return roles;
  }
}
