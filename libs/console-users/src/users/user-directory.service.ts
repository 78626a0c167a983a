import { Injectable } from '@nestjs/common';
import type { Page } from '../common/page';
import { isHiddenRole } from '../rbac/rbac-labels';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import type { UserEntity } from './user.entity';
import type { UserSearchCriteria } from './user-search-criteria';
import { UserSearchRepository } from './user-search.repository';
import { UsersRepository } from './users.repository';

/** A user with the role names bound to it: all of them, and the visible ones (sorted, no hidden roles). */
export interface UserWithRoles {
  user: UserEntity;
  roles: string[];
  visibleRoles: string[];
}

/** Finding users for faces that read them: by id, or by a search in the core's terms. */
@Injectable()
export class UserDirectoryService {
  constructor(
    private readonly users: UsersRepository,
    private readonly search: UserSearchRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
  ) {}

  /** Any user by id, system users included (a signed-in caller's own row). */
  findById(id: number): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /** A listable user by id (never a system user) with its roles, or null. */
  async findListable(id: number): Promise<UserWithRoles | null> {
    const user = await this.search.findById(id);
    if (!user) {
      return null;
    }
    const roles = await this.bindings.roleNamesOf(user.name);
    return { user, roles, visibleRoles: (await this.visibleOnly())(roles) };
  }

  /** A page of listable users with their roles. */
  async page(criteria: UserSearchCriteria): Promise<Page<UserWithRoles>> {
    const [rows, total] = await this.search.page(criteria);
    const roles = await this.bindings.roleNamesOfMany(rows.map((u) => u.name));
    const visible = await this.visibleOnly();
    return {
      items: rows.map((user) => {
        const held = roles.get(user.name) ?? [];
        return { user, roles: held, visibleRoles: visible(held) };
      }),
      total,
    };
  }

  private async visibleOnly(): Promise<(names: string[]) => string[]> {
    const graph = await this.roleGraph.graph();
    return (names) =>
      [...new Set(names)]
        .filter((name) => {
          const role = graph.get(name);
          return role !== undefined && !isHiddenRole(role);
        })
        .sort();
  }
}
