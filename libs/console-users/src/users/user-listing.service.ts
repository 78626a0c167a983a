import { Injectable } from '@nestjs/common';
import type { Page } from '../common/page';
import type { RoleNode } from '../rbac/role-graph';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import type { UserListCriteria } from './user-list-criteria';
import { toUserView, UserView } from './user-view';
import { UsersRepository } from './users.repository';

/** A listed user and the roles bound to it. */
export interface UserWithRoles {
  user: UserView;
  /** By name; hidden roles too; bindings to names without a role are left out. */
  roles: RoleNode[];
}

/** Lists users by filters, keyword and role, sorted and paged in the database. */
@Injectable()
export class UserListingService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
  ) {}

  async list(criteria: UserListCriteria): Promise<Page<UserWithRoles>> {
    const { total, users } = await this.users.list(criteria);
    const graph = await this.roleGraph.graph();
    const roleNames = await this.bindings.roleNamesOfMany(users.map((u) => u.name));
    const items = users.map((user) => {
      const roles = [...new Set(roleNames.get(user.name) ?? [])].sort().flatMap((name) => {
        const role = graph.get(name);
        return role ? [role] : [];
      });
      return { user: toUserView(user), roles };
    });
    return { items, total };
  }
}
