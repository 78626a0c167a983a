import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { EffectivePermissions, PermissionsService } from '../rbac/permissions.service';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { isHiddenRole } from '../rbac/rbac-labels';
import type { RoleGraph, RoleNode } from '../rbac/role-graph';
import { ANONYMOUS_USER_NAME } from './system-users';
import { andThen, MaybePromise } from '../common/maybe-promise';
import { userNotFound } from './user-errors';

export { userNotFound } from './user-errors';
import { toUserView, UserView } from './user-view';
import { UserRecord, UserRecordCache } from './user-record-cache';
import { UsersRepository } from './users.repository';

/** An anonymous caller's roles: none. */
const NO_ROLES: readonly RoleNode[] = [];

/** A user with the visible roles it holds, newest role first then by name. */
export interface UserDetail {
  user: UserView;
  roles: readonly RoleNode[];
}

/** Reading one user, with its roles or its permissions. */
@Injectable()
export class UsersService {
  /** {@link visibleRoles} answers by the identity of the names array they were asked for. */
  private readonly visibleByNames = new WeakMap<readonly string[], { graph: RoleGraph; roles: readonly RoleNode[] }>();

  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    private readonly permissions: PermissionsService,
    private readonly records: UserRecordCache,
  ) {}

  /** GetPermissions for a named user: from its role bindings (an unknown user has none, as in Halo). */
  async permissionsOf(name: string): Promise<EffectivePermissions> {
    return this.permissions.describe(await this.bindings.roleNamesOf(name));
  }

  /**
   * GetCurrentUserDetail: the caller with its visible roles; `anonymousUser` for anonymous callers.
   * At once when the user and the role snapshot are cached.
   */
  currentUserDetail(principal: Principal): MaybePromise<UserDetail> {
    return andThen(this.record(principal.kind === 'user' ? principal.name : ANONYMOUS_USER_NAME), (record) =>
      // The caller's authorities, not its bindings: a PAT holds the roles it was given.
      andThen(principal.kind === 'user' ? this.visibleRoles(principal.roles) : NO_ROLES, (roles) => ({ user: record.view, roles })),
    );
  }

  /** GetUserDetail: a user with the visible roles bound to it; at once when cached. */
  userDetail(name: string): MaybePromise<UserDetail> {
    return andThen(this.record(name), (record) => andThen(this.visibleRoles(record.roleNames), (roles) => ({ user: record.view, roles })));
  }

  /** {@link findRecord} while the cache holds the user, without waiting; else undefined. */
  cachedRecord(name: string): UserRecord | undefined {
    return this.records.get(name);
  }

  /**
   * The user and its bound role names, from the cache while nothing changed (any write to users
   * or bindings on this instance drops it at once), or null for an unknown name.
   */
  async findRecord(name: string): Promise<UserRecord | null> {
    const cached = this.records.get(name);
    if (cached) {
      return cached;
    }
    return this.records.fill(name, async () => {
      const ticket = this.records.ticket();
      const user = await this.users.findByName(name);
      if (!user) {
        return null;
      }
      const record = { view: toUserView(user), roleNames: await this.bindings.roleNamesOf(name) };
      this.records.store(name, record, ticket);
      return record;
    });
  }

  /** {@link findRecord}, 404 for an unknown name; at once when cached. */
  private record(name: string): MaybePromise<UserRecord> {
    return (
      this.cachedRecord(name) ??
      this.findRecord(name).then((record) => {
        if (!record) {
          throw userNotFound(name);
        }
        return record;
      })
    );
  }

  /**
   * Role objects for names, without hidden ones, newest first then by name (Halo's order). The
   * answer for the same names array (a cached principal's, a cached record's) and the same role
   * snapshot is computed once and shared: callers must not change it.
   */
  visibleRoles(names: readonly string[]): MaybePromise<readonly RoleNode[]> {
    const graph = this.roleGraph.current();
    return graph ? this.visibleRolesIn(graph, names) : this.roleGraph.graph().then((loaded) => this.visibleRolesIn(loaded, names));
  }

  private visibleRolesIn(graph: RoleGraph, names: readonly string[]): readonly RoleNode[] {
    const known = this.visibleByNames.get(names);
    if (known?.graph === graph) {
      return known.roles;
    }
    const roles = [...new Set(names)]
      .map((n) => graph.get(n))
      .filter((r): r is RoleNode => r !== undefined && !isHiddenRole(r))
      .sort(
        (a, b) =>
          (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    this.visibleByNames.set(names, { graph, roles });
    return roles;
  }
}
