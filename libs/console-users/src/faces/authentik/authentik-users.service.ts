import { Injectable } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { RoleBindingsRepository } from '../../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../../rbac/role-graph.provider';
import { isHiddenRole } from '../halo/role.mapper';
import { toAuthentikUser } from './authentik.mapper';
import { authentikPage, AuthentikPage, PageRequest } from './authentik-pagination';
import { AuthentikUserFilter, AuthentikUsersRepository } from './authentik-users.repository';
import type { AuthentikUser } from './dto/authentik-user.dto';

/** Reading users for the authentik face. */
@Injectable()
export class AuthentikUsersService {
  constructor(
    private readonly users: AuthentikUsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
  ) {}

  async list(filter: AuthentikUserFilter, ordering: string | undefined, page: PageRequest): Promise<AuthentikPage<AuthentikUser>> {
    const [rows, count] = await this.users.page(filter, ordering, page.offset, page.pageSize);
    const roles = await this.bindings.roleNamesOfMany(rows.map((u) => u.name));
    const visible = await this.visibleOnly();
    return authentikPage(
      rows.map((u) => toAuthentikUser(u, visible(roles.get(u.name) ?? []), roles.get(u.name) ?? [])),
      count,
      page,
    );
  }

  async get(id: string): Promise<AuthentikUser> {
    const user = /^\d{1,15}$/.test(id) ? await this.users.findById(Number(id)) : null;
    if (!user) {
      throw new DomainError(ErrorCode.UserNotFound, 'No User matches the given query.');
    }
    const roles = await this.bindings.roleNamesOf(user.name);
    return toAuthentikUser(user, (await this.visibleOnly())(roles), roles);
  }

  private async visibleOnly(): Promise<(names: string[]) => string[]> {
    const graph = await this.roleGraph.graph();
    return (names) =>
      [...new Set(names)].filter((name) => {
        const role = graph.get(name);
        return role !== undefined && !isHiddenRole(role);
      }).sort();
  }
}
