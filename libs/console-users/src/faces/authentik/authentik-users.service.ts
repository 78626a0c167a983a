import { Injectable } from '@nestjs/common';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-code';
import { UserDirectoryService, UserWithRoles } from '../../users/user-directory.service';
import type { UserSortKey } from '../../users/user-search-criteria';
import { toAuthentikUser } from './authentik.mapper';
import { authentikPage, AuthentikPage, PageRequest } from './authentik-pagination';
import type { AuthentikUser } from './dto/authentik-user.dto';

/** Filters of authentik's user list that we support. */
export interface AuthentikUserFilter {
  username?: string;
  /** Compared case-insensitively. */
  email?: string;
  name?: string;
  isActive?: boolean;
  /** Case-insensitive substring of username, name or email. */
  search?: string;
}

/** Sort keys of authentik's `ordering` parameter → the core's. */
const ORDERING: Record<string, UserSortKey> = {
  username: 'name',
  pk: 'id',
  name: 'displayName',
  email: 'email',
  date_joined: 'createdAt',
  last_updated: 'updatedAt',
  is_active: 'disabled',
};

/** Reading users for the authentik face: its filters and DRF ordering in, its user shape out. */
@Injectable()
export class AuthentikUsersService {
  constructor(private readonly directory: UserDirectoryService) {}

  /** `ordering` is DRF's (`username`, `-pk`, …); unknown keys are ignored as DRF's OrderingFilter ignores them. */
  async list(filter: AuthentikUserFilter, ordering: string | undefined, page: PageRequest): Promise<AuthentikPage<AuthentikUser>> {
    const found = await this.directory.page({
      name: filter.username,
      email: filter.email,
      displayName: filter.name,
      active: filter.isActive,
      text: filter.search,
      order: orderOf(ordering),
      offset: page.offset,
      limit: page.pageSize,
    });
    return authentikPage(found.items.map(toUser), found.total, page);
  }

  async get(id: string): Promise<AuthentikUser> {
    const found = /^\d{1,15}$/.test(id) ? await this.directory.findListable(Number(id)) : null;
    if (!found) {
      throw new DomainError(ErrorCode.UserNotFound, 'No User matches the given query.');
    }
    return toUser(found);
  }
}

function toUser(found: UserWithRoles): AuthentikUser {
  return toAuthentikUser(found.user, found.visibleRoles, found.roles);
}

function orderOf(ordering: string | undefined): { key: UserSortKey; descending: boolean }[] {
  const order: { key: UserSortKey; descending: boolean }[] = [];
  for (const raw of (ordering ?? '').split(',').map((k) => k.trim()).filter(Boolean)) {
    const descending = raw.startsWith('-');
    const key = ORDERING[descending ? raw.slice(1) : raw];
    if (key) {
      order.push({ key, descending });
    }
  }
  return order;
}
