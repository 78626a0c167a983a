import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_USERS_OPTIONS, ResolvedConsoleUsersOptions } from '../console-users.options';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import {
  HaloListResult,
  listResult,
  parseFieldSelector,
  parseLabelSelector,
  parseSort,
  SelectorTerm,
  SortOrder,
  withDefaultOrder,
} from '../faces/halo/halo-list-query';
import type { HaloRole } from '../faces/halo/dto/halo-role.dto';
import { RoleBindingsRepository } from '../rbac/role-bindings.repository';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { toHaloRole } from '../faces/halo/role.mapper';
import type { ListUsersQuery } from '../faces/halo/dto/list-users.query';
import { toHaloUser } from '../faces/halo/user.mapper';
import type { DetailedUserView } from '../faces/halo/dto/detailed-user.dto';
import { USER_SELECTOR_FIELDS, USER_SORT_PROPERTIES, UserSelectorField, UsersRepository } from './users.repository';

/** Halo's page size when none (or ≤ 0) is given, and the largest one served. */
export const USER_PAGE_SIZE = 1000;

/** Halo's order, appended to every requested one: newest first, then by name. */
export const DEFAULT_USER_ORDER: SortOrder[] = [
  { property: 'metadata.creationTimestamp', direction: 'desc' },
  { property: 'metadata.name', direction: 'asc' },
];

/** Pages past this one cannot exist (it keeps offsets far inside safe integers). */
const MAX_PAGE = 1_000_000_000;

/** ListUsers (contract §2.2): Halo's paging, selectors, keyword and role filter, in the database. */
@Injectable()
export class UserListingService {
  constructor(
    private readonly users: UsersRepository,
    private readonly bindings: RoleBindingsRepository,
    private readonly roleGraph: RoleGraphProvider,
    @Inject(CONSOLE_USERS_OPTIONS) private readonly options: ResolvedConsoleUsersOptions,
  ) {}

  async list(query: ListUsersQuery): Promise<HaloListResult<DetailedUserView>> {
    const page = query.page !== undefined && query.page >= 1 ? Math.min(query.page, MAX_PAGE) : 1;
    const size = query.size !== undefined && query.size >= 1 ? Math.min(query.size, USER_PAGE_SIZE) : USER_PAGE_SIZE;
    const { total, users } = await this.users.list({
      fields: (query.fieldSelector ?? []).map(userFieldTerm),
      labels: (query.labelSelector ?? []).map(parseLabelSelector),
      keyword: notBlank(query.keyword),
      role: notBlank(query.role),
      sort: withDefaultOrder(parseSort(query.sort ?? []).map(sortableProperty), DEFAULT_USER_ORDER),
      offset: (page - 1) * size,
      limit: size,
    });

    const graph = await this.roleGraph.graph();
    const roleNames = await this.bindings.roleNamesOfMany(users.map((u) => u.name));
    const items = users.map((user) => {
      // Halo lists hidden roles here too, and silently drops names without a Role.
      const roles: HaloRole[] = [...new Set(roleNames.get(user.name) ?? [])]
        .sort()
        .flatMap((name) => {
          const role = graph.get(name);
          return role ? [toHaloRole(role)] : [];
        });
      return { user: toHaloUser(user, this.options.publicUrl), roles };
    });
    return listResult(items, page, size, total);
  }
}

function notBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** A field-selector term on one of Halo's indexed user fields (`name` is `metadata.name`). */
function userFieldTerm(raw: string): SelectorTerm {
  const term = parseFieldSelector(raw);
  const key = term.key === 'name' ? 'metadata.name' : term.key;
  if (!(USER_SELECTOR_FIELDS as readonly string[]).includes(key)) {
    throw new DomainError(
      ErrorCode.BadRequest,
      `Invalid fieldSelector "${raw}": "${term.key}" is not an indexed field (use one of name, ${USER_SELECTOR_FIELDS.join(', ')}).`,
    );
  }
  return { ...term, key: key as UserSelectorField };
}

function sortableProperty(order: SortOrder): SortOrder {
  const property = order.property === 'name' ? 'metadata.name' : order.property;
  if (USER_SORT_PROPERTIES[property] === undefined) {
    throw new DomainError(
      ErrorCode.BadRequest,
      `Invalid sort "${order.property}": sort on one of ${Object.keys(USER_SORT_PROPERTIES).join(', ')}.`,
    );
  }
  return { ...order, property };
}
