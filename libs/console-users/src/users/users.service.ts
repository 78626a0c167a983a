import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import type { Principal } from '../auth/principal';
import type { HaloRole } from '../faces/halo/dto/halo-role.dto';
import { PermissionsService, UserPermissionView } from '../rbac/permissions.service';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { isHiddenRole, toHaloRole } from '../faces/halo/role.mapper';
import type { RoleNode } from '../rbac/role-graph';
import type { HaloUser } from '../faces/halo/dto/halo-user.dto';
import { ANONYMOUS_USER_NAME } from './system-users';
import { userNotFound } from './user-errors';

export { userNotFound } from './user-errors';
import { toHaloUser } from '../faces/halo/user.mapper';
import { UsersRepository } from './users.repository';

/** Halo's `DetailedUser` / `ListedUser`. */
export interface DetailedUserView {
  user: HaloUser;
  roles: HaloRole[];
}

/** Reading users for the Halo face. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly permissions: PermissionsService,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  /** GetPermissions for a named user: from its role bindings (an unknown user has none, as in Halo). */
  async permissionsOf(name: string): Promise<UserPermissionView> {
    return this.permissions.describe(await this.bindings.roleNamesOf(name));
  }

  /** GetCurrentUserDetail: the caller with its visible roles; `anonymousUser` for anonymous callers. */
  async currentUserDetail(principal: Principal): Promise<DetailedUserView> {
    const name = principal.kind === 'user' ? principal.name : ANONYMOUS_USER_NAME;
    const user = await this.users.findByName(name);
    if (!user) {
      throw userNotFound(name);
    }
    const roles = principal.kind === 'user' ? await this.visibleRoles(principal.roles) : [];
    return { user: toHaloUser(user, this.options.publicUrl), roles };
  }

  /** GetUserDetail: a user with the visible roles bound to it. */
  async userDetail(name: string): Promise<DetailedUserView> {
    const user = await this.users.findByName(name);
    if (!user) {
      throw userNotFound(name);
    }
    const roles = await this.visibleRoles(await this.bindings.roleNamesOf(name));
    return { user: toHaloUser(user, this.options.publicUrl), roles };
  }

  /** Role objects for names, without hidden ones, newest first then by name (Halo's order). */
  async visibleRoles(names: string[]): Promise<HaloRole[]> {
    const graph = await this.roleGraph.graph();
    const roles = [...new Set(names)]
      .map((n) => graph.get(n))
      .filter((r): r is RoleNode => r !== undefined && !isHiddenRole(r))
      .sort(
        (a, b) =>
          (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    return roles.map(toHaloRole);
  }
}
