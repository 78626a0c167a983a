import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, Repository } from 'typeorm';
import { CONSOLE_USERS_DATA_SOURCE } from '../../database/data-source.token';
import { SYSTEM_USER_NAMES } from '../../users/system-users';
import { UserEntity } from '../../users/user.entity';

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

/** Sort keys of authentik's `ordering` parameter → entity properties. */
const ORDERING: Record<string, string> = {
  username: 'u.name',
  pk: 'u.id',
  name: 'u.displayNameLower',
  email: 'u.emailLower',
  date_joined: 'u.createdAt',
  last_updated: 'u.updatedAt',
  is_active: 'u.disabled',
};

/** The user queries of the authentik face. System users (anonymousUser, ghost) are never listed. */
@Injectable()
export class AuthentikUsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(CONSOLE_USERS_DATA_SOURCE) db: DataSource) {
    this.users = db.getRepository(UserEntity);
  }

  /**
   * A page and the total count. `ordering` is DRF's (`username`, `-pk`, …); unknown keys are
   * ignored as DRF's OrderingFilter ignores them.
   */
  page(filter: AuthentikUserFilter, ordering: string | undefined, offset: number, limit: number): Promise<[UserEntity[], number]> {
    const query = this.users.createQueryBuilder('u').where('u.name NOT IN (:...system)', { system: [...SYSTEM_USER_NAMES] });
    if (filter.username !== undefined) {
      query.andWhere('u.name = :username', { username: filter.username });
    }
    if (filter.email !== undefined) {
      query.andWhere('u.email_lower = :email', { email: filter.email.toLowerCase() });
    }
    if (filter.name !== undefined) {
      query.andWhere('u.display_name = :name', { name: filter.name });
    }
    if (filter.isActive !== undefined) {
      query.andWhere('u.disabled = :disabled', { disabled: !filter.isActive });
    }
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(
        "(LOWER(u.name) LIKE :pattern ESCAPE '\\' OR u.display_name_lower LIKE :pattern ESCAPE '\\' OR u.email_lower LIKE :pattern ESCAPE '\\')",
        { pattern },
      );
    }
    let ordered = false;
    for (const key of (ordering ?? '').split(',').map((k) => k.trim()).filter(Boolean)) {
      const descending = key.startsWith('-');
      const column = ORDERING[descending ? key.slice(1) : key];
      if (column) {
        query.addOrderBy(column, descending ? 'DESC' : 'ASC');
        ordered = true;
      }
    }
    if (!ordered) {
      query.addOrderBy('u.name', 'ASC');
    }
    return query.addOrderBy('u.id', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  /** One listable user. */
  findById(id: number): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('u.id = :id AND u.name NOT IN (:...system)', { id, system: [...SYSTEM_USER_NAMES] }).getOne();
  }
}
